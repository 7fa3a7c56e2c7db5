package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.api.ApiClient;
import io.ggen.cli.errors.CliErrors;
import io.ggen.node.home.DataDir;
import io.ggen.node.render.OutputFormat;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show whether a node runs on this data directory, and what it is doing. Exit code 1 when none runs.",
        footer = {"", "Examples:", "  ggen marketplace p2p status", "  ggen marketplace p2p status --format json"})
public final class StatusCommand extends P2pSubcommand {
    @Option(names = "--format", defaultValue = "table", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        return show(dataDir(), format, out());
    }

    /**
     * The launcher's short path: {@code ggen marketplace p2p status [--format F]} runs without
     * building picocli's command tree (about a third of this command's start-up). Returns empty
     * when the arguments are anything else, so picocli handles them (and their errors).
     */
    public static Optional<Integer> fastPath(String[] args) {
        if (args.length < 3 || !args[0].equals("marketplace") || !args[1].equals("p2p") || !args[2].equals("status")) return Optional.empty();
        OutputFormat format = OutputFormat.table;
        if (args.length == 4 && args[3].startsWith("--format=")) format = parseFormat(args[3].substring(9));
        else if (args.length == 5 && args[3].equals("--format")) format = parseFormat(args[4]);
        else if (args.length != 3) return Optional.empty();
        if (format == null) return Optional.empty();
        PrintWriter out = new PrintWriter(System.out, false, java.nio.charset.Charset.defaultCharset());
        return Optional.of(show(DataDir.fromEnvironment(), format, out));
    }

    private static OutputFormat parseFormat(String s) {
        for (OutputFormat f : OutputFormat.values()) if (f.name().equals(s)) return f;
        return null;
    }

    public static int show(DataDir dir, OutputFormat format, PrintWriter out) {
        Optional<ApiClient> api = ApiClient.find(dir);
        if (api.isEmpty()) {
            if (format == OutputFormat.table) {
                out.println("P2P node status");
                out.println("  Status:          not running (data directory " + dir.root() + ")");
                out.println("  Start one with:  ggen marketplace p2p start");
                out.flush();
            } else {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                o.put("running", false);
                o.put("data_dir", dir.root().toString());
                print(o, format, out);
            }
            return CliErrors.FAILURE;
        }
        // The node renders the answer in the asked format: the CLI prints text and never parses
        // JSON, which keeps jackson-databind (a third of this command's classes) out of it.
        out.print(api.get().getText("/v1/status?render=" + format.name(), Duration.ofSeconds(10)));
        out.flush();
        return CliErrors.OK;
    }
}
