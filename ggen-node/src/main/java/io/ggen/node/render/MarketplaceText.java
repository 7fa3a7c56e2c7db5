package io.ggen.node.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The answers of {@code ggen marketplace p2p search} and {@code p2p publish}, from the JSON of
 * the use cases' results (the node's {@code /v1/search} and {@code /v1/publish}, or the same use
 * case run offline). The node renders them for the CLI (see {@link StatusText} for why).
 */
public final class MarketplaceText {
    private MarketplaceText() {}

    /** {@code p2p search}: {@code r} is a SearchResult as JSON, {@code millis} the time the search took. */
    public static String search(JsonNode r, String query, double millis, OutputFormat format) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        if (format != OutputFormat.table) {
            Output.print(r, format, out);
            return text.toString();
        }
        out.println("Searching " + (r.path("offline").asBoolean() ? "the local catalog (no node running)" : "the P2P network") + " for '" + query + "'...");
        JsonNode results = r.path("results");
        out.printf("Found %d package%s (%.0f ms%s)%n", results.size(), results.size() == 1 ? "" : "s", millis,
                r.path("peers_asked").asInt() > 0 ? ", " + r.path("peers_answered").asInt() + " of " + Output.count(r.path("peers_asked").asInt(), "peer") + " answered" : "");
        for (JsonNode h : results) {
            out.println();
            out.println("  " + h.path("id").asText() + " (v" + h.path("version").asText() + ")"
                    + ("network".equals(h.path("source").asText()) ? "  [from a peer's catalog]" : ""));
            if (!h.path("description").asText().isEmpty()) out.println("    " + h.path("description").asText());
            out.printf("    Providers: %s (avg reputation %.2f)%n", Output.count(h.path("providers").asInt(), "peer"),
                    h.path("avg_reputation").asDouble());
            if (h.path("size").asLong() > 0) out.println("    Size: " + Output.bytes(h.path("size").asLong()));
        }
        out.flush();
        return text.toString();
    }

    /** {@code p2p publish}: {@code r} is a PublishResult as JSON. */
    public static String publish(JsonNode r, OutputFormat format) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        if (format != OutputFormat.table) {
            Output.print(r, format, out);
            return text.toString();
        }
        for (JsonNode w : r.path("warnings")) out.println("warning: " + w.asText());
        String coords = r.path("package").asText() + "@" + r.path("version").asText();
        out.println((r.path("already_present").asBoolean() ? "Already published: " : "Published ") + coords);
        out.println("  cid:       " + r.path("cid").asText());
        out.println("  size:      " + Output.bytes(r.path("size").asLong()));
        out.println("  publisher: " + r.path("publisher").asText());
        if (r.path("offline").asBoolean()) {
            out.println("No node is running: the release is in the local store and catalog, and will be announced when the node next starts.");
        } else {
            out.println("Announced to " + Output.count(r.path("announced_to").asInt(), "peer") + "; head stored on " + r.path("head_stored_on").asInt()
                    + " DHT nodes; provider record on " + r.path("provider_stored_on").asInt() + " DHT nodes");
            for (JsonNode p : r.path("problems")) out.println("  note: " + p.asText());
        }
        out.flush();
        return text.toString();
    }
}
