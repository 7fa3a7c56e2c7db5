package io.ggen.cli.marketplace;

import io.ggen.marketplace.install.Installer;
import io.ggen.marketplace.install.Lockfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List the packs installed in a project (from its ggen.lock).",
        footer = {"", "Examples:", "  ggen marketplace list", "  ggen marketplace list --target ./my-project --format yaml"})
final class ListCommand extends MarketplaceSubcommand {
    @Option(names = "--target", paramLabel = "<dir>", defaultValue = ".", description = "Project directory (default: current directory).")
    Path target;

    @Override
    int execute() {
        List<Lockfile.Entry> entries = Installer.installed(target);
        List<Map<String, Object>> packs = new ArrayList<>();
        for (Lockfile.Entry e : entries) {
            Path dir = target.resolve(Installer.PACKS_DIR).resolve(e.id());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("version", e.version());
            m.put("sha256", e.sha256());
            m.put("source", e.source());
            m.put("dependencies", e.dependencies());
            m.put("publisher", e.publisher());
            m.put("path", dir.toString());
            m.put("present", Files.isDirectory(dir));
            packs.add(m);
        }
        emit(Map.of("packages", packs, "total", packs.size()), () -> {
            if (packs.isEmpty()) {
                out().println("no packs installed in " + target.toAbsolutePath().normalize() + " (no entries in ggen.lock)");
                return;
            }
            Table t = new Table("ID", "VERSION", "PUBLISHER", "SOURCE", "STATUS");
            for (Map<String, Object> m : packs) t.row(m.get("id"), m.get("version"), m.get("publisher"), m.get("source"), (Boolean) m.get("present") ? "ok" : "missing");
            t.print(out());
            out().println("Total: " + packs.size() + " pack" + (packs.size() == 1 ? "" : "s"));
        });
        return 0;
    }
}
