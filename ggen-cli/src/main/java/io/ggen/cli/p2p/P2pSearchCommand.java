package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.CliErrors;
import io.ggen.cli.CliErrors.UserError;
import io.ggen.cli.api.ApiClient;
import io.ggen.cli.node.LocalSearch;
import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.catalog.Catalog;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Search the packages known to the network: the local catalog (filled by gossip, catalog sync and the DHT), and with --network (or when few local hits) the best peers' catalogs too, whose answers are verified before use.",
        footer = {"", "Examples:", "  ggen marketplace p2p search rust", "  ggen marketplace p2p search \"web api\" --category web --tags rest --limit 10",
                "  ggen marketplace p2p search cli --network --min-reputation 0.5 --format json"})
public final class P2pSearchCommand extends P2pSubcommand {
    @Parameters(index = "0", paramLabel = "<query>", description = "Words to look for in ids, names, descriptions, keywords and tags.")
    String query;

    @Option(names = "--category", paramLabel = "<category>", description = "Only packages in this category.")
    String category;

    @Option(names = "--tags", paramLabel = "<tag>", split = ",", description = "Only packages with all these tags (repeatable or comma-separated).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "<n>", defaultValue = "20", description = "Most results (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--min-reputation", paramLabel = "<0.0-1.0>", description = "Drop results with no provider at or above this reputation.")
    Double minReputation;

    @Option(names = "--network", description = "Also ask the best connected peers (done anyway when the local catalog has few hits).")
    boolean network;

    @Option(names = "--format", defaultValue = "table", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        if (limit < 1 || limit > 1000) throw new UserError("--limit " + limit + ": expected 1 to 1000", CliErrors.USAGE);
        if (minReputation != null && !(minReputation >= 0.0 && minReputation <= 1.0)) {
            throw new UserError("--min-reputation " + minReputation + ": expected a number from 0.0 to 1.0", CliErrors.USAGE);
        }
        if (query.length() > 512) throw new UserError("the query is longer than 512 characters", CliErrors.USAGE);
        Optional<ApiClient> api = ApiClient.find(dataDir());
        long t0 = System.nanoTime();
        JsonNode r;
        if (api.isPresent()) {
            ObjectNode req = api.get().json().createObjectNode();
            req.put("query", query);
            if (category != null) req.put("category", category);
            ArrayNode t = req.putArray("tags");
            tags.forEach(t::add);
            req.put("limit", limit);
            if (minReputation != null) req.put("min_reputation", minReputation);
            req.put("network", network);
            r = api.get().postOk("/v1/search", req, Duration.ofSeconds(60));
        } else {
            try (Catalog catalog = new MarketplaceHome(dataDir().root()).openCatalog()) {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                o.set("results", LocalSearch.search(catalog, query, category, tags, limit, minReputation));
                o.put("offline", true);
                r = o;
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        if (format != Format.table) {
            print(r, format);
            return CliErrors.OK;
        }
        PrintWriter out = out();
        out.println("Searching " + (r.path("offline").asBoolean() ? "the local catalog (no node running)" : "the P2P network") + " for '" + query + "'...");
        JsonNode results = r.path("results");
        out.printf("Found %d package%s (%.0f ms%s)%n", results.size(), results.size() == 1 ? "" : "s", ms,
                r.path("peers_asked").asInt() > 0 ? ", " + r.path("peers_answered").asInt() + " of " + r.path("peers_asked").asInt() + " peers answered" : "");
        for (JsonNode h : results) {
            out.println();
            out.println("  " + h.path("id").asText() + " (v" + h.path("version").asText() + ")"
                    + ("network".equals(h.path("source").asText()) ? "  [from a peer's catalog]" : ""));
            if (!h.path("description").asText().isEmpty()) out.println("    " + h.path("description").asText());
            out.printf("    Providers: %d peer%s (avg reputation %.2f)%n", h.path("providers").asInt(), h.path("providers").asInt() == 1 ? "" : "s",
                    h.path("avg_reputation").asDouble());
            if (h.path("size").asLong() > 0) out.println("    Size: " + h.path("size").asLong() + " bytes");
        }
        out.flush();
        return CliErrors.OK;
    }
}
