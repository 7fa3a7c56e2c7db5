package io.ggen.marketplace.catalog;

import io.ggen.marketplace.error.MarketplaceException;
import java.util.List;

/**
 * A catalog search: free text (matched against id, name, description, keywords and tags with
 * bm25 ranking; exact-id matches first) and filters, all of which must hold. Tags: a package
 * must carry every tag given. Author is a case-insensitive substring; the others are exact,
 * case-insensitive.
 */
public record SearchQuery(String text, String category, List<String> tags, String keyword, String author, String license,
                          int limit, int offset, Sort sort) {
    public static final int MAX_LIMIT = 1000;
    public static final int MAX_TEXT = 512;
    public static final int MAX_TAGS = 32;

    public enum Sort { RELEVANCE, NAME, UPDATED }

    public SearchQuery {
        text = text == null ? "" : text.strip();
        tags = tags == null ? List.of() : List.copyOf(tags);
        if (text.length() > MAX_TEXT) throw new io.ggen.marketplace.error.InvalidRequestException("query", "is longer than " + MAX_TEXT + " characters");
        if (limit < 1 || limit > MAX_LIMIT) throw new io.ggen.marketplace.error.InvalidRequestException("limit", "must be between 1 and " + MAX_LIMIT + ", got " + limit);
        if (offset < 0) throw new io.ggen.marketplace.error.InvalidRequestException("offset", "must not be negative, got " + offset);
        if (tags.size() > MAX_TAGS) throw new io.ggen.marketplace.error.InvalidRequestException("tags", "has " + tags.size() + " entries; at most " + MAX_TAGS);
        if (sort == null) sort = Sort.RELEVANCE;
    }

    public static SearchQuery text(String text) {
        return new SearchQuery(text, null, List.of(), null, null, null, 20, 0, Sort.RELEVANCE);
    }
}
