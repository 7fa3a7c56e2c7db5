package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.api.ApiClient;
import io.ggen.cli.api.JsonBody;
import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.shortpath.ShortArgs;
import io.ggen.marketplace.error.InvalidRequestException;
import io.ggen.marketplace.service.SearchRequest;
import io.ggen.node.home.DataDir;
import io.ggen.node.render.MarketplaceText;
import io.ggen.node.render.OutputFormat;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
        return show(dataDir(), query, category, tags, limit, minReputation, network, format, out());
    }

    /** The launcher's short path: plain options only, without picocli's command tree (see {@link ShortArgs}). */
    public static Optional<Integer> fastPath(String[] args) {
        Optional<ShortArgs> parsed = ShortArgs.parse(args, 3, Set.of("--network"), Set.of("--category", "--limit", "--min-reputation", "--format"), Set.of("--tags"), 1);
        if (parsed.isEmpty() || parsed.get().positionals().size() != 1) return Optional.empty();
        ShortArgs a = parsed.get();
        Optional<OutputFormat> format = a.format();
        Optional<Integer> limit = a.integer("--limit", 20);
        Optional<ShortArgs.Holder<Double>> min = a.decimal("--min-reputation");
        if (format.isEmpty() || limit.isEmpty() || min.isEmpty()) return Optional.empty();
        return Optional.of(show(DataDir.fromEnvironment(), a.positionals().get(0), a.value("--category"), a.values("--tags"), limit.get(), min.get().value(),
                a.flag("--network"), format.get(), ShortArgs.stdout()));
    }

    /** Asks the running node, which searches and renders the answer (MarketplaceText); with none, searches the local catalog here. */
    public static int show(DataDir dir, String query, String category, List<String> tags, int limit, Double minReputation, boolean network, OutputFormat format,
                    PrintWriter out) {
        SearchRequest request;
        try {
            request = new SearchRequest(query, category, tags, limit, minReputation, network);
        } catch (InvalidRequestException e) {
            throw CliErrors.of(e);
        }
        Optional<ApiClient> api = ApiClient.find(dir);
        if (api.isPresent()) {
            byte[] body = JsonBody.object().put("query", query).put("category", category).put("tags", tags).put("limit", limit)
                    .put("min_reputation", minReputation).put("network", network).bytes();
            out.print(api.get().textOk("POST", "/v1/search?render=" + format.name(), body, Duration.ofSeconds(60)));
        } else {
            long t0 = System.nanoTime();
            JsonNode r = local(dir, m -> m.search(request));
            out.print(MarketplaceText.search(r, query, (System.nanoTime() - t0) / 1e6, format));
        }
        out.flush();
        return CliErrors.OK;
    }
}
