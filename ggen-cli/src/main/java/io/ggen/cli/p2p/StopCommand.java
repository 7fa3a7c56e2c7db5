package io.ggen.cli.p2p;

import io.ggen.cli.api.ApiClient;
import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.errors.CliErrors.UserError;
import io.ggen.node.home.DataDir;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop the node running on this data directory (closes its connections and flushes its state).",
        footer = {"", "Examples:", "  ggen marketplace p2p stop", "  ggen marketplace p2p stop --timeout 60"})
public final class StopCommand extends P2pSubcommand {
    @Option(names = "--timeout", paramLabel = "<secs>", defaultValue = "30", description = "How long to wait for the node to exit (default: ${DEFAULT-VALUE}).")
    int timeoutSecs;

    @Override
    public Integer call() throws Exception {
        if (timeoutSecs < 1 || timeoutSecs > 3600) throw new UserError("--timeout " + timeoutSecs + ": expected 1 to 3600 seconds", CliErrors.USAGE);
        DataDir dir = dataDir();
        Optional<ApiClient> api = ApiClient.find(dir);
        if (api.isEmpty()) {
            out().println("No node is running on " + dir.root() + ".");
            out().flush();
            return CliErrors.FAILURE;
        }
        long pid = api.get().node().pid();
        ApiClient.Reply r = api.get().post("/v1/stop", api.get().json().createObjectNode(), Duration.ofSeconds(10));
        if (!r.ok()) throw new UserError("the node refused to stop: " + r.error());
        Optional<ProcessHandle> ph = ProcessHandle.of(pid);
        if (ph.isPresent()) {
            try {
                ph.get().onExit().get(timeoutSecs, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new UserError("the node (pid " + pid + ") did not exit within " + timeoutSecs + " s; see its log in " + dir.logFile()
                        + ", or end it with 'kill " + pid + "'");
            }
        }
        out().println("Node stopped (pid " + pid + ").");
        out().flush();
        return CliErrors.OK;
    }
}
