package io.ggen.node.render;

import io.ggen.marketplace.catalog.Ownership;
import io.ggen.marketplace.catalog.ReleaseRow;
import io.ggen.marketplace.catalog.SearchHit;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.install.InstallSpec;
import io.ggen.marketplace.release.ReleaseRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code ggen marketplace search} and {@code marketplace info} print about the local
 * catalog. The same code runs in the node (which has the catalog open and renders the answer for
 * the CLI) and in the CLI when no node runs, so the two print the same bytes.
 */
public final class CatalogText {
    private CatalogText() {}

    /** {@code marketplace search}: the hits of a catalog search for {@code query} with this offset and limit. */
    public static String search(String query, int offset, int limit, List<SearchHit> hits, OutputFormat format) {
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
            m.put("updated", Output.instant(h.updatedAtMillis()));
            m.put("score", h.score());
            packages.add(m);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("query", query);
        data.put("packages", packages);
        data.put("count", hits.size());
        data.put("offset", offset);
        data.put("limit", limit);
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        if (format != OutputFormat.table) {
            Output.print(data, format, out);
            return text.toString();
        }
        if (hits.isEmpty()) {
            out.println("no packages match" + (query.isBlank() ? "" : " '" + query + "'") + " in the local catalog");
        } else {
            TextTable t = new TextTable("ID", "VERSION", "DESCRIPTION", "PUBLISHER");
            for (SearchHit h : hits) t.row(h.id(), h.version(), Output.shorten(h.description(), 60), h.publisher());
            t.print(out);
            out.println(hits.size() + " package" + (hits.size() == 1 ? "" : "s") + (hits.size() == limit ? " (more with --offset " + (offset + limit) + ")" : ""));
        }
        out.flush();
        return text.toString();
    }

    /**
     * {@code marketplace info}: the package of {@code spec} from its catalog rows and owner; a
     * package or range with no release is a NOT_FOUND MarketplaceException.
     */
    public static String info(InstallSpec s, List<ReleaseRow> rows, Optional<Ownership> owner, OutputFormat format) {
        if (rows.isEmpty()) {
            throw new MarketplaceException(MarketplaceException.Kind.NOT_FOUND, "no package " + s.id() + " in the catalog; try 'ggen marketplace search " + s.id() + "'");
        }
        List<ReleaseRow> matching = rows.stream().filter(r -> s.range().matches(r.record().parsedVersion())).toList();
        if (matching.isEmpty()) {
            throw new MarketplaceException(MarketplaceException.Kind.NOT_FOUND, "no version of " + s.id() + " matches " + s.range() + "; versions: "
                    + String.join(", ", rows.stream().map(r -> r.record().version()).toList()));
        }
        ReleaseRow shown = matching.stream().filter(r -> !r.yanked()).max(Comparator.comparing(r -> r.record().parsedVersion()))
                .orElse(matching.get(matching.size() - 1));
        ReleaseRecord r = shown.record();
        List<Map<String, Object>> versions = new ArrayList<>();
        for (ReleaseRow row : matching) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("version", row.record().version());
            v.put("cid", row.record().cid().toString());
            v.put("size", row.record().size());
            v.put("published", Output.instant(row.record().publishedAtMillis()));
            v.put("publisher", row.record().fingerprint());
            v.put("yanked", row.yanked());
            if (row.yanked() && row.yankReason() != null && !row.yankReason().isEmpty()) v.put("yank_reason", row.yankReason());
            versions.add(v);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", r.id());
        data.put("name", r.name());
        data.put("version", r.version());
        data.put("description", r.description());
        data.put("license", r.license());
        data.put("ggen_compat", r.ggenCompat());
        data.put("authors", r.authors());
        data.put("keywords", r.keywords());
        data.put("categories", r.categories());
        data.put("tags", r.tags());
        if (r.homepage() != null) data.put("homepage", r.homepage());
        if (r.repository() != null) data.put("repository", r.repository());
        data.put("publisher", r.fingerprint());
        Map<String, Object> own = new LinkedHashMap<>();
        owner.ifPresent(o -> {
            own.put("fingerprint", o.fingerprint());
            own.put("how", o.how());
            own.put("since", Output.instant(o.sinceMillis()));
        });
        data.put("owner", own);
        data.put("dependencies", r.dependencies());
        data.put("versions", versions);
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        if (format != OutputFormat.table) {
            Output.print(data, format, out);
            return text.toString();
        }
        out.println(r.id() + " " + r.version() + (shown.yanked() ? " (yanked)" : "") + " - " + r.name());
        out.println(r.description());
        out.println();
        out.println("license:      " + r.license());
        out.println("ggen_compat:  " + r.ggenCompat());
        if (!r.authors().isEmpty()) out.println("authors:      " + String.join(", ", r.authors()));
        if (!r.keywords().isEmpty()) out.println("keywords:     " + String.join(", ", r.keywords()));
        if (!r.categories().isEmpty()) out.println("categories:   " + String.join(", ", r.categories()));
        if (!r.tags().isEmpty()) out.println("tags:         " + String.join(", ", r.tags()));
        if (r.homepage() != null) out.println("homepage:     " + r.homepage());
        if (r.repository() != null) out.println("repository:   " + r.repository());
        out.println("publisher:    " + r.fingerprint());
        owner.ifPresent(o -> out.println("owner:        " + o.fingerprint() + " (" + (o.how().equals(Ownership.PINNED) ? "pinned" : "trusted on first use") + ")"));
        out.println("dependencies: " + (r.dependencies().isEmpty() ? "none" : ""));
        r.dependencies().forEach((id, range) -> out.println("  " + id + " " + range));
        out.println();
        TextTable t = new TextTable("VERSION", "CID", "SIZE", "PUBLISHED", "PUBLISHER", "YANKED");
        for (ReleaseRow row : matching) {
            t.row(row.record().version(), row.record().cid(), row.record().size(), Output.instant(row.record().publishedAtMillis()), row.record().fingerprint(),
                    row.yanked() ? "yes" + (row.yankReason() == null || row.yankReason().isEmpty() ? "" : ": " + row.yankReason()) : "");
        }
        t.print(out);
        out.flush();
        return text.toString();
    }
}
