package io.ggen.marketplace.service;

import io.ggen.marketplace.catalog.SearchQuery;
import io.ggen.marketplace.error.InvalidRequestException;
import java.util.List;

/**
 * A search of the catalog: words, optional category and tags, the most results wanted, an
 * optional floor on the best provider's reputation, and whether to ask peers even when the local
 * catalog has enough hits ({@code limit} null means {@value #DEFAULT_LIMIT}). Every rule on a
 * search request is checked here, once.
 */
public record SearchRequest(String query, String category, List<String> tags, Integer limit, Double minReputation, boolean network) {
    // The catalog's own bounds: a request the catalog would refuse is refused here, with the request's words.
    public static final int MAX_QUERY_CHARS = SearchQuery.MAX_TEXT;
    public static final int MAX_TAGS = SearchQuery.MAX_TAGS;
    public static final int MAX_LIMIT = SearchQuery.MAX_LIMIT;
    public static final int DEFAULT_LIMIT = 20;

    public SearchRequest {
        query = query == null ? "" : query;
        tags = tags == null ? List.of() : List.copyOf(tags);
        if (limit == null) limit = DEFAULT_LIMIT;
        if (query.length() > MAX_QUERY_CHARS) throw new InvalidRequestException("query", "is longer than " + MAX_QUERY_CHARS + " characters");
        if (tags.size() > MAX_TAGS) throw new InvalidRequestException("tags", "has " + tags.size() + " entries; at most " + MAX_TAGS);
        if (limit < 1 || limit > MAX_LIMIT) throw new InvalidRequestException("limit", "must be between 1 and " + MAX_LIMIT + ", got " + limit);
        if (minReputation != null && !(minReputation >= 0.0 && minReputation <= 1.0)) {
            throw new InvalidRequestException("min_reputation", "must be a number from 0.0 to 1.0, got " + minReputation);
        }
    }
}
