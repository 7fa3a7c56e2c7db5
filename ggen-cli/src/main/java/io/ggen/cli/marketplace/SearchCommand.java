package io.ggen.cli.marketplace;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.SearchHit;
import io.ggen.marketplace.catalog.SearchQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "search", mixinStandardHelpOptions = true, description = "Search the catalog (id, name, description, keywords, tags; bm25 ranking, exact id first).",
        footer = {"", "Examples:", "  ggen marketplace search rust", "  ggen marketplace search \"web api\" --tags rest --format json"})
final class SearchCommand extends MarketplaceSubcommand {
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
        SearchQuery q = new SearchQuery(query, category, tags, keyword, author, license, limit, offset, SearchQuery.Sort.valueOf(sort.name().toUpperCase(java.util.Locale.ROOT)));
        List<SearchHit> hits;
        try (Catalog catalog = home().openCatalog()) {
            hits = catalog.search(q);
        }
        List<Map<String, Object>> packages = new ArrayList<>();
        for (SearchHit h : hits) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", h.id());
            m.put("version", h.version());
            m.put("name", h.name());
            m.put("description", h.description());
            m.put("license", h.license());
            m.put("publisher", h.publisher());
            m.put("authors", h.authors());
            m.put("keywords", h.keywords());
            m.put("tags", h.tags());
            m.put("categories", h.categories());
            m.put("updated", time(h.updatedAtMillis()));
            m.put("score", h.score());
            packages.add(m);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("query", query);
        data.put("packages", packages);
        data.put("count", hits.size());
        data.put("offset", offset);
        data.put("limit", limit);
        emit(data, () -> {
            if (hits.isEmpty()) {
                out().println("no packages match" + (query.isBlank() ? "" : " '" + query + "'") + " in the local catalog");
                return;
            }
            Table t = new Table("ID", "VERSION", "DESCRIPTION", "PUBLISHER");
            for (SearchHit h : hits) t.row(h.id(), h.version(), shorten(h.description(), 60), h.publisher());
            t.print(out());
            out().println(hits.size() + " package" + (hits.size() == 1 ? "" : "s") + (hits.size() == limit ? " (more with --offset " + (offset + limit) + ")" : ""));
        });
        return 0;
    }
}
