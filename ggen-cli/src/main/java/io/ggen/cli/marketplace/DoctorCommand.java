package io.ggen.cli.marketplace;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.cli.errors.CliErrors.UserError;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.CatalogRebuild;
import io.ggen.marketplace.install.Installer;
import io.ggen.node.home.DataDir;
import io.ggen.node.home.NodeLock;
import io.ggen.marketplace.service.DoctorReport;
import io.ggen.marketplace.service.MarketplaceService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check the store and catalog: every object against its CID, the archive of every release you published is present, database and index integrity.",
        footer = {"", "Examples:", "  ggen marketplace doctor", "  ggen marketplace doctor --fix", "  ggen marketplace doctor --target ./my-project",
                "  ggen marketplace doctor --rebuild-catalog"})
final class DoctorCommand extends MarketplaceSubcommand {
    @Option(names = "--fix", description = "Remove unreferenced objects and leftover temp files untouched for an hour (younger ones may be a download or publish under way); corrupt objects are always quarantined.")
    boolean fix;

    @Option(names = "--rebuild-catalog", description = "Rebuild a damaged catalog: move it aside, keep every signed record still readable in it; "
            + "the node fetches the rest from peers when it next starts (stop the node first).")
    boolean rebuild;

    @Option(names = "--target", paramLabel = "<dir>", description = "Also check this project for what interrupted installs left (rolled back and removed with --fix; an install under way is waited for, never touched).")
    java.nio.file.Path target;

    @Override
    int execute() {
        MarketplaceHome home = home();
        if (rebuild) return rebuild(home);
        DoctorReport r;
        try (Catalog catalog = home.openCatalog()) {
            r = new MarketplaceService(home, catalog, Optional.empty()).doctor(fix);
        }
        if (target != null) {
            int staged = Installer.leftovers(target, fix);
            if (staged > 0) {
                String what = staged + " unfinished install" + (staged == 1 ? "" : "s") + " in " + target + " (.staging-* directories)";
                List<String> notes = new ArrayList<>(r.notes());
                notes.add(fix ? "rolled back and removed " + what : what + "; a repair rolls them back and removes them");
                r = new DoctorReport(r.ok(), r.objects(), r.releases(), r.problems(), notes);
            }
        }
        DoctorReport report = r;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ok", report.ok());
        data.put("objects", report.objects());
        data.put("releases", report.releases());
        data.put("problems", report.problems());
        data.put("notes", report.notes());
        String summary = (report.ok() ? "ok: " : report.problems().size() + " problem(s): ") + report.objects() + " objects, " + report.releases() + " releases";
        emit(data, () -> {
            report.problems().forEach(p -> out().println("problem: " + p));
            report.notes().forEach(n -> out().println("note: " + n));
            out().println(summary);
            if (!fix && (!report.ok() || !report.notes().isEmpty())) out().println("repair what can be repaired with: ggen marketplace doctor --fix");
        });
        return report.ok() ? 0 : 1;
    }

    private int rebuild(MarketplaceHome home) {
        if (NodeLock.isHeld(DataDir.of(home.root()))) {
            throw new UserError("a node is running on " + home.root() + "; stop it first (ggen marketplace p2p stop), then rebuild the catalog");
        }
        CatalogRebuild.Report r = CatalogRebuild.rebuild(home.catalogFile());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("catalog", home.catalogFile().toString());
        data.put("damaged_copy", r.damagedCopy() == null ? null : r.damagedCopy().toString());
        data.put("releases", r.releases());
        data.put("yanks", r.yanks());
        data.put("pinned_owners", r.pinnedOwners());
        data.put("unusable", r.unusable());
        emit(data, () -> {
            out().println("rebuilt the catalog " + home.catalogFile() + ": " + r.releases() + " releases, " + r.yanks() + " yanks and "
                    + r.pinnedOwners() + " pinned owners recovered" + (r.unusable() > 0 ? " (" + r.unusable() + " unreadable or refused)" : ""));
            if (r.damagedCopy() != null) out().println("the damaged file is kept as " + r.damagedCopy());
            out().println("start the node (ggen marketplace p2p start) to fetch the rest of the catalog from peers");
        });
        return 0;
    }
}
