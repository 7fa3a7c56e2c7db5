package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.api.ApiClient;
import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.errors.CliErrors.UserError;
import io.ggen.marketplace.error.InvalidRequestException;
import io.ggen.node.BootstrapRequest;
import io.ggen.node.render.Output;
import io.ggen.node.render.OutputFormat;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bootstrap", mixinStandardHelpOptions = true,
        description = "Connect the running node to these peers and, with the DHT, run a DHT bootstrap through them.",
        footer = {"", "Examples:", "  ggen marketplace p2p bootstrap /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...",
                "  ggen marketplace p2p bootstrap /ip4/10.0.0.5/tcp/4001/p2p/12D3KooW... /ip4/10.0.0.6/tcp/4001/p2p/12D3KooW... --timeout 60"})
public final class BootstrapCommand extends P2pSubcommand {
    @Parameters(paramLabel = "<multiaddr>", arity = "1..*", description = "Peer addresses, each ending in /p2p/<peer id>.")
    List<String> addrs;

    @Option(names = "--timeout", paramLabel = "<secs>", defaultValue = "30", description = "Time limit for connecting (default: ${DEFAULT-VALUE}).")
    int timeoutSecs;

    @Option(names = "--format", defaultValue = "table", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        if (timeoutSecs < 1 || timeoutSecs > 600) throw new UserError("--timeout " + timeoutSecs + ": expected 1 to 600 seconds", CliErrors.USAGE);
        BootstrapRequest request;
        try {
            request = new BootstrapRequest(addrs, timeoutSecs * 1000L);
        } catch (InvalidRequestException e) {
            throw CliErrors.of(e);
        }
        ApiClient api = ApiClient.require(dataDir());
        PrintWriter out = out();
        if (format == OutputFormat.table) {
            out.println("Bootstrapping with " + Output.count(addrs.size(), "node") + "...");
            out.flush();
        }
        JsonNode r = api.postOk("/v1/bootstrap", api.json().valueToTree(request), Duration.ofSeconds(timeoutSecs + 30L));
        if (format != OutputFormat.table) {
            print(r, format);
            return r.path("connected").asInt() > 0 ? CliErrors.OK : CliErrors.FAILURE;
        }
        for (JsonNode res : r.path("results")) {
            if (res.path("connected").asBoolean()) {
                out.printf("  connected  %s (%.0f ms)%n", res.path("addr").asText(), res.path("ms").asDouble());
            } else {
                out.printf("  failed     %s: %s%n", res.path("addr").asText(), res.path("error").asText());
            }
        }
        if (r.has("dht")) {
            JsonNode d = r.path("dht");
            out.println(d.path("ok").asBoolean(false)
                    ? "DHT bootstrap complete: routing table has " + Output.count(d.path("routing_table_size").asInt(), "peer")
                    : "DHT bootstrap failed: " + d.path("error").asText());
        }
        int ok = r.path("connected").asInt();
        out.println("Connected to " + ok + " of " + Output.count(addrs.size(), "node"));
        out.flush();
        return ok > 0 ? CliErrors.OK : CliErrors.FAILURE;
    }
}
