package io.ggen.cli.p2p;

import io.ggen.cli.api.ApiClient;
import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.errors.CliErrors.UserError;
import io.ggen.cli.shortpath.ShortArgs;
import io.ggen.node.home.DataDir;
import io.ggen.node.render.OutputFormat;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "peer-list", mixinStandardHelpOptions = true,
        description = "List the peers the node is connected to, then the ones it knows, with reputation and latency.",
        footer = {"", "Examples:", "  ggen marketplace p2p peer-list", "  ggen marketplace p2p peer-list --min-reputation 0.8 --format json",
                "  ggen marketplace p2p peer-list --verbose"})
public final class PeerListCommand extends P2pSubcommand {
    @Option(names = "--verbose", description = "Also show protocols and connection details.")
    boolean verbose;

    @Option(names = "--min-reputation", paramLabel = "<0.0-1.0>", description = "Only peers with at least this reputation.")
    Double minReputation;

    @Option(names = "--format", defaultValue = "table", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        return show(dataDir(), verbose, minReputation, format, out());
    }

    /** The launcher's short path: plain options only, without picocli's command tree (see {@link ShortArgs}). */
    public static Optional<Integer> fastPath(String[] args) {
        Optional<ShortArgs> parsed = ShortArgs.parse(args, 3, Set.of("--verbose"), Set.of("--min-reputation", "--format"), Set.of(), 0);
        if (parsed.isEmpty()) return Optional.empty();
        Optional<OutputFormat> format = parsed.get().format();
        Optional<ShortArgs.Holder<Double>> min = parsed.get().decimal("--min-reputation");
        if (format.isEmpty() || min.isEmpty()) return Optional.empty();
        return Optional.of(show(DataDir.fromEnvironment(), parsed.get().flag("--verbose"), min.get().value(), format.get(), ShortArgs.stdout()));
    }

    /** The node renders the list (PeerText); this prints it. */
    public static int show(DataDir dir, boolean verbose, Double minReputation, OutputFormat format, PrintWriter out) {
        if (minReputation != null && !(minReputation >= 0.0 && minReputation <= 1.0)) {
            throw new UserError("--min-reputation " + minReputation + ": expected a number from 0.0 to 1.0", CliErrors.USAGE);
        }
        ApiClient api = ApiClient.require(dir);
        String query = "?render=" + format.name() + (verbose ? "&verbose=true" : "") + (minReputation == null ? "" : "&min_reputation=" + minReputation);
        out.print(api.getText("/v1/peers" + query, Duration.ofSeconds(10)));
        out.flush();
        return CliErrors.OK;
    }
}
