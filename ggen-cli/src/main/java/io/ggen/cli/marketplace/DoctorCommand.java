package io.ggen.cli.marketplace;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.content.ContentStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check the store and catalog: every object against its CID, every release has its object, database and index integrity.")
final class DoctorCommand extends MarketplaceSubcommand {
    @Option(names = "--fix", description = "Remove unreferenced objects and leftover temp files (corrupt objects are always quarantined).")
    boolean fix;

    @Override
    int execute() {
        MarketplaceHome home = home();
        ContentStore store = home.store();
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int objects = 0;
        long releases;
        try (Catalog catalog = home.openCatalog()) {
            if (!catalog.databaseIntact()) problems.add("catalog database fails its integrity check");
            if (!catalog.indexIntact()) problems.add("search index is out of step with the catalog (run with --fix to rebuild)");
            if (fix && !catalog.indexIntact()) catalog.rebuildIndex();
            Set<String> referenced = new HashSet<>(catalog.allCids());
            releases = catalog.releaseCount();
            for (ContentId id : store.list()) {
                objects++;
                if (!store.verify(id)) {
                    problems.add("object " + id + " is corrupt; quarantined");
                    continue;
                }
                if (!referenced.contains(id.toString())) {
                    if (fix) {
                        store.delete(id);
                        notes.add("removed unreferenced object " + id);
                    } else {
                        notes.add("unreferenced object " + id + " (left by an interrupted publish; --fix removes it)");
                    }
                }
            }
            for (String cid : referenced) {
                if (!store.contains(ContentId.parse(cid))) problems.add("release object " + cid + " is missing from the store; publish or fetch it again");
            }
        }
        int temps = fix ? store.cleanTemp() : 0;
        if (temps > 0) notes.add("removed " + temps + " leftover temp file" + (temps == 1 ? "" : "s"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ok", problems.isEmpty());
        data.put("objects", objects);
        data.put("releases", releases);
        data.put("problems", problems);
        data.put("notes", notes);
        String summary = (problems.isEmpty() ? "ok: " : problems.size() + " problem(s): ") + objects + " objects, " + releases + " releases";
        emit(data, () -> {
            problems.forEach(p -> out().println("problem: " + p));
            notes.forEach(n -> out().println("note: " + n));
            out().println(summary);
        });
        return problems.isEmpty() ? 0 : 1;
    }
}
