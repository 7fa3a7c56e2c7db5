package io.ggen.cli.marketplace;

import io.ggen.marketplace.manifest.ManifestParser;
import io.ggen.marketplace.manifest.ManifestProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a pack's gpack.toml and print every problem at once.",
        footer = {"", "Examples:", "  ggen marketplace validate", "  ggen marketplace validate ./my-pack"})
final class ValidateCommand extends MarketplaceSubcommand {
    @Parameters(index = "0", defaultValue = ".", paramLabel = "<dir>", description = "The pack directory (default: current directory).")
    Path dir;

    @Override
    int execute() {
        ManifestParser.Loaded l = ManifestParser.load(dir);
        List<Map<String, Object>> problems = new ArrayList<>();
        for (ManifestProblem p : l.problems()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", p.file().toString());
            m.put("line", p.line());
            m.put("column", p.column());
            m.put("severity", p.isError() ? "error" : "warning");
            m.put("rule", p.rule());
            m.put("message", p.message());
            problems.add(m);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("valid", l.ok());
        if (l.manifest() != null) {
            data.put("package", l.manifest().id());
            data.put("version", l.manifest().version().toString());
            data.put("files", l.coveredFiles());
        }
        data.put("problems", problems);
        emit(data, () -> {
            for (ManifestProblem p : l.problems()) out().println(p);
            if (l.ok()) {
                out().println("ok: " + l.manifest().id() + "@" + l.manifest().version() + " is valid (" + l.coveredFiles().size() + " files in the pack, "
                        + l.warnings().size() + " warning" + (l.warnings().size() == 1 ? "" : "s") + ")");
            } else {
                out().println(l.errors().size() + " error" + (l.errors().size() == 1 ? "" : "s") + ", " + l.warnings().size() + " warning"
                        + (l.warnings().size() == 1 ? "" : "s") + " in " + dir.resolve(ManifestParser.FILE_NAME));
            }
        });
        return l.ok() ? 0 : 1;
    }
}
