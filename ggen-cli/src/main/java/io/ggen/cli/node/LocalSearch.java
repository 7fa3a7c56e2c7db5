package io.ggen.cli.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.PeerReputation;
import io.ggen.marketplace.catalog.SearchHit;
import io.ggen.marketplace.catalog.SearchQuery;
import java.util.List;

/**
 * Search of the local catalog as the p2p commands show it: each hit with its archive size, the
 * number of providers known for its CID and their average reputation, and the
 * {@code --min-reputation} filter (a hit stays when some provider, this node included, reaches it).
 */
public final class LocalSearch {
    private LocalSearch() {}

    public static ArrayNode search(Catalog catalog, String text, String category, List<String> tags, int limit, Double minReputation) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        // Ask for more than the limit: the reputation filter may drop some.
        int ask = Math.min(SearchQuery.MAX_LIMIT, minReputation == null ? limit : limit * 4);
        for (SearchHit h : catalog.search(new SearchQuery(text, category, tags, null, null, null, ask, 0, SearchQuery.Sort.RELEVANCE))) {
            String cid = h.cid();
            List<PeerReputation> providers = cid.isEmpty() ? List.of() : catalog.providers(cid);
            double avg = providers.stream().mapToDouble(PeerReputation::reputation).average().orElse(0.0);
            double best = providers.stream().mapToDouble(PeerReputation::reputation).max().orElse(0.0);
            if (minReputation != null && best < minReputation) continue;
            ObjectNode o = out.addObject();
            o.put("id", h.id());
            o.put("version", h.version());
            o.put("name", h.name());
            o.put("description", h.description());
            o.put("cid", cid);
            o.put("size", h.size());
            o.put("publisher", h.publisher());
            o.put("providers", providers.size());
            o.put("avg_reputation", avg);
            o.put("score", h.score());
            o.put("source", "local");
            if (out.size() >= limit) break;
        }
        return out;
    }
}
