package io.ggen.cli.marketplace;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.service.DoctorReport;
import io.ggen.marketplace.service.MarketplaceService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check the store and catalog: every object against its CID, the archive of every release you published is present, database and index integrity.")
final class DoctorCommand extends MarketplaceSubcommand {
    @Option(names = "--fix", description = "Remove unreferenced objects and leftover temp files untouched for an hour (younger ones may be a download or publish under way); corrupt objects are always quarantined.")
    boolean fix;

    @Override
    int execute() {
        MarketplaceHome home = home();
        DoctorReport r;
        try (Catalog catalog = home.openCatalog()) {
            r = new MarketplaceService(home, catalog, Optional.empty()).doctor(fix);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ok", r.ok());
        data.put("objects", r.objects());
        data.put("releases", r.releases());
        data.put("problems", r.problems());
        data.put("notes", r.notes());
        String summary = (r.ok() ? "ok: " : r.problems().size() + " problem(s): ") + r.objects() + " objects, " + r.releases() + " releases";
        emit(data, () -> {
            r.problems().forEach(p -> out().println("problem: " + p));
            r.notes().forEach(n -> out().println("note: " + n));
            out().println(summary);
            if (!fix && (!r.ok() || !r.notes().isEmpty())) out().println("repair what can be repaired with: ggen marketplace doctor --fix");
        });
        return r.ok() ? 0 : 1;
    }
}
