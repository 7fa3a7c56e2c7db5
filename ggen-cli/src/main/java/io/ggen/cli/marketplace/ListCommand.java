package io.ggen.cli.marketplace;

import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.shortpath.ShortArgs;
import io.ggen.marketplace.install.Installer;
import io.ggen.marketplace.install.Lockfile;
import io.ggen.node.render.Output;
import io.ggen.node.render.OutputFormat;
import io.ggen.node.render.TextTable;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List the packs installed in a project (from its ggen.lock).",
        footer = {"", "Examples:", "  ggen marketplace list", "  ggen marketplace list --target ./my-project --format yaml"})
public final class ListCommand extends MarketplaceSubcommand {
    @Option(names = "--target", paramLabel = "<dir>", defaultValue = ".", description = "Project directory (default: current directory).")
    Path target;

    @Override
    int execute() {
        return show(target, OutputFormat.valueOf(format.name()), out());
    }

    /** The launcher's short path: {@code ggen marketplace list [--target D] [--format F]} without picocli's command tree. */
    public static Optional<Integer> fastPath(String[] args) throws Exception {
        Optional<ShortArgs> parsed = ShortArgs.parse(args, 2, Set.of(), Set.of("--target", "--format"), Set.of(), 0);
        if (parsed.isEmpty() || parsed.get().format().isEmpty()) return Optional.empty();
        String target = parsed.get().value("--target");
        PrintWriter out = ShortArgs.stdout();
        return Optional.of(guard(() -> show(Path.of(target == null ? "." : target), parsed.get().format().get(), out)));
    }

    /** Reads the project's ggen.lock here: a project directory is the user's, not the node's. */
    public static int show(Path target, OutputFormat format, PrintWriter out) {
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
        if (format != OutputFormat.table) {
            // in this order every time (a Map.of's order changes from one run to the next)
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("packages", packs);
            data.put("total", packs.size());
            Output.print(data, format, out);
            return CliErrors.OK;
        }
        if (packs.isEmpty()) {
            out.println("no packs installed in " + target.toAbsolutePath().normalize() + " (no entries in ggen.lock)");
        } else {
            TextTable t = new TextTable("ID", "VERSION", "PUBLISHER", "SOURCE", "STATUS");
            for (Map<String, Object> m : packs) t.row(m.get("id"), m.get("version"), m.get("publisher"), m.get("source"), (Boolean) m.get("present") ? "ok" : "missing");
            t.print(out);
            out.println("Total: " + packs.size() + " pack" + (packs.size() == 1 ? "" : "s"));
        }
        out.flush();
        return CliErrors.OK;
    }
}
