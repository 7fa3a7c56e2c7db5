package io.ggen.cli.marketplace;

import io.ggen.cli.api.ApiClient;
import io.ggen.cli.api.JsonBody;
import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.shortpath.ShortArgs;
import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.SearchHit;
import io.ggen.marketplace.catalog.SearchQuery;
import io.ggen.node.home.DataDir;
import io.ggen.node.render.CatalogText;
import io.ggen.node.render.OutputFormat;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "search", mixinStandardHelpOptions = true, description = "Search the catalog (id, name, description, keywords, tags; bm25 ranking, exact id first).",
        footer = {"", "Examples:", "  ggen marketplace search rust", "  ggen marketplace search \"web api\" --tags rest --format json"})
public final class SearchCommand extends MarketplaceSubcommand {
    enum Sort { relevance, name, updated }

    @Parameters(index = "0", arity = "0..1", defaultValue = "", paramLabel = "<query>", description = "Words to search for (none: list everything).")
    String query;

    @Option(names = "--category", description = "Only packages in this category.")
    String category;

    @Option(names = "--tags", split = ",", paramLabel = "<tag>", description = "Only packages with all these tags (repeatable, or comma-separated).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--keyword", description = "Only packages with this keyword.")
    String keyword;

    @Option(names = "--author", description = "Only packages whose authors contain this text.")
    String author;

    @Option(names = "--license", description = "Only packages under this license (SPDX id).")
    String license;

    @Option(names = "--limit", defaultValue = "20", description = "At most this many results (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--offset", defaultValue = "0", description = "Skip this many results (default: ${DEFAULT-VALUE}).")
    int offset;

    @Option(names = "--sort", defaultValue = "relevance", description = "Order: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Sort sort;

    @Override
    int execute() {
        return show(home(), DataDir.fromEnvironment(), query, category, tags, keyword, author, license, limit, offset, sort.name(),
                OutputFormat.valueOf(format.name()), out());
    }

    /**
     * The launcher's short path: {@code ggen marketplace search} with plain options runs without
     * picocli's command tree; anything else (help, errors) is left to picocli.
     */
    public static Optional<Integer> fastPath(String[] args) throws Exception {
        Optional<ShortArgs> parsed = ShortArgs.parse(args, 2, Set.of(),
                Set.of("--category", "--keyword", "--author", "--license", "--limit", "--offset", "--sort", "--format"), Set.of("--tags"), 1);
        if (parsed.isEmpty()) return Optional.empty();
        ShortArgs a = parsed.get();
        Optional<OutputFormat> format = a.format();
        Optional<Integer> limit = a.integer("--limit", 20);
        Optional<Integer> offset = a.integer("--offset", 0);
        String sort = a.value("--sort") == null ? Sort.relevance.name() : a.value("--sort");
        if (format.isEmpty() || limit.isEmpty() || offset.isEmpty() || Arrays.stream(Sort.values()).noneMatch(x -> x.name().equals(sort))) return Optional.empty();
        String query = a.positionals().isEmpty() ? "" : a.positionals().get(0);
        PrintWriter out = ShortArgs.stdout();
        return Optional.of(guard(() -> show(MarketplaceHome.fromEnvironment(), DataDir.fromEnvironment(), query, a.value("--category"), a.values("--tags"),
                a.value("--keyword"), a.value("--author"), a.value("--license"), limit.get(), offset.get(), sort, format.get(), out)));
    }

    /** Asks the running node (which has the catalog open, and renders the answer), or, with none, searches the catalog here. */
    public static int show(MarketplaceHome home, DataDir dir, String query, String category, List<String> tags, String keyword, String author, String license,
                    int limit, int offset, String sort, OutputFormat format, PrintWriter out) {
        SearchQuery q = new SearchQuery(query, category, tags, keyword, author, license, limit, offset, SearchQuery.Sort.valueOf(sort.toUpperCase(Locale.ROOT)));
        Optional<ApiClient> api = ApiClient.find(dir);
        if (api.isPresent()) {
            byte[] body = JsonBody.object().put("query", query).put("category", category).put("tags", tags).put("keyword", keyword).put("author", author)
                    .put("license", license).put("limit", limit).put("offset", offset).put("sort", sort).bytes();
            out.print(api.get().textOk("POST", "/v1/catalog/search?render=" + format.name(), body, Duration.ofSeconds(30)));
        } else {
            List<SearchHit> hits;
            try (Catalog catalog = home.openCatalog()) {
                hits = catalog.search(q);
            }
            out.print(CatalogText.search(query, offset, limit, hits, format));
        }
        out.flush();
        return CliErrors.OK;
    }
}
