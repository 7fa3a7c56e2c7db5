package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.api.ApiClient;
import io.ggen.cli.errors.CliErrors;
import io.ggen.marketplace.error.InvalidRequestException;
import io.ggen.marketplace.service.SearchRequest;
import io.ggen.node.render.Output;
import io.ggen.node.render.OutputFormat;
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
    OutputFormat format;

    @Override
    public Integer call() {
        SearchRequest request;
        try {
            request = new SearchRequest(query, category, tags, limit, minReputation, network);
        } catch (InvalidRequestException e) {
            throw CliErrors.of(e);
        }
        Optional<ApiClient> api = ApiClient.find(dataDir());
        long t0 = System.nanoTime();
        JsonNode r = nodeOrLocal(api, "/v1/search", request, Duration.ofSeconds(60), m -> m.search(request));
        double ms = (System.nanoTime() - t0) / 1e6;
        if (format != OutputFormat.table) {
            print(r, format);
            return CliErrors.OK;
        }
        PrintWriter out = out();
        out.println("Searching " + (r.path("offline").asBoolean() ? "the local catalog (no node running)" : "the P2P network") + " for '" + query + "'...");
        JsonNode results = r.path("results");
        out.printf("Found %d package%s (%.0f ms%s)%n", results.size(), results.size() == 1 ? "" : "s", ms,
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
        return CliErrors.OK;
    }
}
