package io.ggen.cli.marketplace;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.install.InstallSpec;
import io.ggen.marketplace.install.Installer;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.node.render.TextTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "install", mixinStandardHelpOptions = true,
        description = "Install a package and its dependencies into a project (verifies CID, signature and owner; writes ggen.lock).",
        footer = {"", "Examples:", "  ggen marketplace install io.ggen.rust.cli", "  ggen marketplace install io.ggen.rust.cli@^1.2 --target ./my-project"})
final class InstallCommand extends MarketplaceSubcommand {
    @Parameters(index = "0", paramLabel = "<id>[@range]", description = "Package, optionally with a version range (id@1.2.3 means exactly 1.2.3).")
    String spec;

    @Option(names = "--target", paramLabel = "<dir>", defaultValue = ".", description = "Project directory (default: current directory). Packs go to <dir>/"
            + Installer.PACKS_DIR + "/<id>, the lockfile to <dir>/ggen.lock.")
    Path target;

    @Option(names = "--dry-run", description = "Resolve and print what would be installed, change nothing.")
    boolean dryRun;

    @Override
    int execute() {
        InstallSpec s = InstallSpec.parse(spec);
        MarketplaceHome home = home();
        List<Map<String, Object>> installed = new ArrayList<>();
        try (Catalog catalog = home.openCatalog()) {
            Installer installer = new Installer(home.store(), catalog, ArchiveLimits.DEFAULT);
            if (dryRun) {
                for (ReleaseRecord r : installer.resolve(s).values()) installed.add(entry(r, null));
            } else {
                for (Installer.Installed i : installer.install(s, target)) installed.add(entry(i.release(), i.directory()));
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("package", s.id());
        data.put("version", installed.stream().filter(m -> m.get("id").equals(s.id())).map(m -> m.get("version")).findFirst().orElse(null));
        data.put("path", target.resolve(Installer.PACKS_DIR).resolve(s.id()).toString());
        data.put("dry_run", dryRun);
        data.put("installed", installed);
        emit(data, () -> {
            TextTable t = new TextTable("ID", "VERSION", "CID", "PUBLISHER");
            for (Map<String, Object> m : installed) t.row(m.get("id"), m.get("version"), m.get("cid"), m.get("publisher"));
            t.print(out());
            out().println(dryRun ? "dry run: nothing installed" : "installed " + installed.size() + " pack" + (installed.size() == 1 ? "" : "s") + " into "
                    + target.resolve(Installer.PACKS_DIR) + "; lockfile " + target.resolve("ggen.lock"));
        });
        return 0;
    }

    private static Map<String, Object> entry(ReleaseRecord r, Path dir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("version", r.version());
        m.put("cid", r.cid().toString());
        m.put("publisher", r.fingerprint());
        m.put("dependencies", r.dependencies());
        if (dir != null) m.put("path", dir.toString());
        return m;
    }
}
