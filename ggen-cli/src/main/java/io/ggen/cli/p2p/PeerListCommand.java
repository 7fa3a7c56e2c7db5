package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.api.ApiClient;
import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.errors.CliErrors.UserError;
import io.ggen.node.render.Output;
import io.ggen.node.render.OutputFormat;
import java.io.PrintWriter;
import java.time.Duration;
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
        if (minReputation != null && !(minReputation >= 0.0 && minReputation <= 1.0)) {
            throw new UserError("--min-reputation " + minReputation + ": expected a number from 0.0 to 1.0", CliErrors.USAGE);
        }
        ApiClient api = ApiClient.require(dataDir());
        JsonNode all = api.getOk("/v1/peers" + (verbose ? "?verbose=true" : ""), Duration.ofSeconds(10));
        ArrayNode peers = JsonNodeFactory.instance.arrayNode();
        for (JsonNode p : all.path("peers")) {
            if (minReputation == null || p.path("reputation").asDouble() >= minReputation) peers.add(p);
        }
        if (format != OutputFormat.table) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.set("peers", peers);
            o.put("total", peers.size());
            print(o, format);
            return CliErrors.OK;
        }
        PrintWriter out = out();
        out.printf("%-52s %-10s %-8s %-9s %-17s %-9s %s%n", "Peer ID", "Reputation", "Packages", "State", "Direction", "Latency", "Agent");
        for (JsonNode p : peers) {
            String latency = p.path("latency_ms").isNumber() ? String.format("%.1f ms", p.path("latency_ms").asDouble()) : "-";
            String direction = p.path("direction").asText().isEmpty() ? "-" : p.path("direction").asText() + (p.path("relayed").asBoolean() ? " relayed" : "");
            out.printf("%-52s %10.2f %8d %-9s %-17s %-9s %s%n", p.path("peer_id").asText(), p.path("reputation").asDouble(),
                    p.path("packages_provided").asInt(), p.path("connected").asBoolean() ? "connected" : "known",
                    direction, latency, p.path("agent_version").asText("-"));
            if (verbose) {
                for (JsonNode a : p.path("addresses")) out.println("    address   " + a.asText());
                for (JsonNode c : p.path("connections")) {
                    out.println("    conn      " + c.path("direction").asText() + (c.path("relayed").asBoolean() ? " relayed" : "") + " " + c.path("remote_addr").asText() + " " + c.path("security").asText()
                            + " " + c.path("muxer").asText() + ", " + c.path("streams").size() + " streams, since " + c.path("opened_at").asText());
                }
                StringBuilder protos = new StringBuilder();
                for (JsonNode pr : p.path("protocols")) protos.append(protos.isEmpty() ? "" : ", ").append(pr.asText());
                if (!protos.isEmpty()) out.println("    protocols " + protos);
                if (p.has("traffic")) out.println("    traffic   " + PeerInfoCommand.traffic(p.path("traffic")));
            }
        }
        out.println("Total: " + Output.count(peers.size(), "peer"));
        out.flush();
        return CliErrors.OK;
    }
}
