package io.ggen.cli.marketplace;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.Ownership;
import io.ggen.marketplace.catalog.ReleaseRow;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.install.InstallSpec;
import io.ggen.marketplace.release.ReleaseRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "info", mixinStandardHelpOptions = true, description = "Show a package: versions, publisher and owner, dependencies, yanked releases.",
        footer = {"", "Examples:", "  ggen marketplace info io.ggen.rust.cli", "  ggen marketplace info io.ggen.rust.cli@^1.2 --format json"})
final class InfoCommand extends MarketplaceSubcommand {
    @Parameters(index = "0", paramLabel = "<id>[@range]")
    String spec;

    @Override
    int execute() {
        InstallSpec s = InstallSpec.parse(spec);
        List<ReleaseRow> rows;
        Optional<Ownership> owner;
        try (Catalog catalog = home().openCatalog()) {
            rows = catalog.releases(s.id());
            owner = catalog.ownerOf(s.id());
        }
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
            v.put("published", time(row.record().publishedAtMillis()));
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
            own.put("since", time(o.sinceMillis()));
        });
        data.put("owner", own);
        data.put("dependencies", r.dependencies());
        data.put("versions", versions);
        emit(data, () -> {
            out().println(r.id() + " " + r.version() + (shown.yanked() ? " (yanked)" : "") + " - " + r.name());
            out().println(r.description());
            out().println();
            out().println("license:      " + r.license());
            out().println("ggen_compat:  " + r.ggenCompat());
            if (!r.authors().isEmpty()) out().println("authors:      " + String.join(", ", r.authors()));
            if (!r.keywords().isEmpty()) out().println("keywords:     " + String.join(", ", r.keywords()));
            if (!r.categories().isEmpty()) out().println("categories:   " + String.join(", ", r.categories()));
            if (!r.tags().isEmpty()) out().println("tags:         " + String.join(", ", r.tags()));
            if (r.homepage() != null) out().println("homepage:     " + r.homepage());
            if (r.repository() != null) out().println("repository:   " + r.repository());
            out().println("publisher:    " + r.fingerprint());
            owner.ifPresent(o -> out().println("owner:        " + o.fingerprint() + " (" + (o.how().equals(Ownership.PINNED) ? "pinned" : "trusted on first use") + ")"));
            out().println("dependencies: " + (r.dependencies().isEmpty() ? "none" : ""));
            r.dependencies().forEach((id, range) -> out().println("  " + id + " " + range));
            out().println();
            Table t = new Table("VERSION", "CID", "SIZE", "PUBLISHED", "PUBLISHER", "YANKED");
            for (ReleaseRow row : matching) {
                t.row(row.record().version(), row.record().cid(), row.record().size(), time(row.record().publishedAtMillis()), row.record().fingerprint(),
                        row.yanked() ? "yes" + (row.yankReason() == null || row.yankReason().isEmpty() ? "" : ": " + row.yankReason()) : "");
            }
            t.print(out());
        });
        return 0;
    }
}
