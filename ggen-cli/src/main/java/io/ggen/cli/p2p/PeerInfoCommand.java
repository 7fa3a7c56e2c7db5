package io.ggen.cli.p2p;

import io.ggen.cli.api.ApiClient;
import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.errors.CliErrors.UserError;
import io.ggen.cli.shortpath.ShortArgs;
import io.ggen.node.home.DataDir;
import io.ggen.node.render.OutputFormat;
import io.ggen.p2p.crypto.PeerId;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "peer-info", mixinStandardHelpOptions = true,
        description = "Show what the node knows of one peer: addresses, connection, latency, agent, reputation.",
        footer = {"", "Examples:", "  ggen marketplace p2p peer-info 12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D",
                "  ggen marketplace p2p peer-info 12D3KooW... --full --format json"})
public final class PeerInfoCommand extends P2pSubcommand {
    @Parameters(paramLabel = "<peer-id>", description = "Peer id, base58 (12D3KooW..., Qm...) or CID form.")
    String peerId;

    @Option(names = "--full", description = "Also show protocols, connections and the exact reputation score.")
    boolean full;

    @Option(names = "--format", defaultValue = "table", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        return show(dataDir(), peerId, full, format, out());
    }

    /** The launcher's short path: plain options only, without picocli's command tree (see {@link ShortArgs}). */
    public static Optional<Integer> fastPath(String[] args) {
        Optional<ShortArgs> parsed = ShortArgs.parse(args, 3, Set.of("--full"), Set.of("--format"), Set.of(), 1);
        if (parsed.isEmpty() || parsed.get().positionals().size() != 1 || parsed.get().format().isEmpty()) return Optional.empty();
        return Optional.of(show(DataDir.fromEnvironment(), parsed.get().positionals().get(0), parsed.get().flag("--full"), parsed.get().format().get(),
                ShortArgs.stdout()));
    }

    /** The node renders the peer (PeerText); this prints it. */
    public static int show(DataDir dir, String peerId, boolean full, OutputFormat format, PrintWriter out) {
        PeerId id;
        try {
            id = PeerId.fromString(peerId.trim());
        } catch (RuntimeException e) {
            throw new UserError("'" + peerId + "' is not a peer id (" + e.getMessage() + "); expected base58 like 12D3KooW... or a CID", CliErrors.USAGE);
        }
        ApiClient api = ApiClient.require(dir);
        ApiClient.Text t = api.text("GET", "/v1/peers/" + id + "?render=" + format.name() + (full ? "&full=true" : ""), null, Duration.ofSeconds(10));
        if (t.status() == 404) throw new UserError("peer " + id + " is unknown to this node (never connected, not in its peer store)");
        if (t.status() / 100 != 2) throw api.failure(t);
        out.print(t.text());
        out.flush();
        return CliErrors.OK;
    }
}
