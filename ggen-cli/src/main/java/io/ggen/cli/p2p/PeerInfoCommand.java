package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.api.ApiClient;
import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.errors.CliErrors.UserError;
import io.ggen.node.render.Output;
import io.ggen.node.render.OutputFormat;
import io.ggen.node.render.StatusText;
import io.ggen.p2p.crypto.PeerId;
import java.io.PrintWriter;
import java.time.Duration;
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
        PeerId id;
        try {
            id = PeerId.fromString(peerId.trim());
        } catch (RuntimeException e) {
            throw new UserError("'" + peerId + "' is not a peer id (" + e.getMessage() + "); expected base58 like 12D3KooW... or a CID", CliErrors.USAGE);
        }
        ApiClient api = ApiClient.require(dataDir());
        ApiClient.Reply r = api.get("/v1/peers/" + id, Duration.ofSeconds(10));
        if (r.status() == 404) throw new UserError("peer " + id + " is unknown to this node (never connected, not in its peer store)");
        if (!r.ok()) throw new UserError(r.error());
        JsonNode p = r.body();
        if (format != OutputFormat.table) {
            print(p, format);
            return CliErrors.OK;
        }
        PrintWriter out = out();
        String shown = full ? p.path("peer_id").asText() : abbreviate(p.path("peer_id").asText());
        out.println("Peer " + shown);
        out.printf("  %-14s %s%n", "Status:", p.path("connected").asBoolean() ? "connected (" + p.path("direction").asText() + (p.path("relayed").asBoolean() ? ", relayed" : "") + ")" : "known (not connected)");
        if (p.hasNonNull("hole_punch")) out.printf("  %-14s %s%n", "Hole punch:", p.path("hole_punch").asText());
        out.printf("  %-14s %.2f (%d successful, %d failed retrievals)%n", "Reputation:", p.path("reputation").asDouble(),
                p.path("successful_retrievals").asLong(), p.path("failed_retrievals").asLong());
        if (full) out.printf("  %-14s %.4f%n", "Score:", p.path("reputation").asDouble());
        out.printf("  %-14s %s%n", "Latency:", p.path("latency_ms").isNumber() ? String.format("%.1f ms", p.path("latency_ms").asDouble()) : "not measured");
        out.printf("  %-14s %s%n", "Agent:", p.path("agent_version").asText().isEmpty() ? "unknown" : p.path("agent_version").asText());
        out.printf("  %-14s %d%n", "Packages:", p.path("packages_provided").asInt());
        out.printf("  %-14s %s%n", "Last seen:", p.path("last_seen").asText().isEmpty() ? "never" : p.path("last_seen").asText());
        if (p.has("traffic")) out.printf("  %-14s %s%n", "Traffic:", traffic(p.path("traffic")));
        JsonNode sync = p.path("catalog_sync");
        if (sync.isObject()) {
            out.printf("  %-14s %s, %s (%d new) over %s, %s%n", "Catalog sync:", sync.path("complete").asBoolean() ? "complete" : "stopped early",
                    Output.count(sync.path("received").asInt(), "record"), sync.path("accepted").asInt(),
                    sync.path("protocol").asText().isEmpty() ? "no protocol" : sync.path("protocol").asText(), sync.path("finished_at").asText());
        }
        boolean first = true;
        for (JsonNode a : p.path("addresses")) {
            out.printf("  %-14s %s%n", first ? "Addresses:" : "", a.asText());
            first = false;
        }
        if (full) {
            for (JsonNode c : p.path("connections")) {
                out.printf("  %-14s %s %s via %s, %s + %s, %d streams, since %s%n", "Connection:",
                        c.path("direction").asText() + (c.path("relayed").asBoolean() ? " relayed" : ""), c.path("remote_addr").asText(),
                        c.path("local_addr").asText(), c.path("security").asText(), c.path("muxer").asText(), c.path("streams").size(), c.path("opened_at").asText());
            }
            if (p.has("protocol_version")) out.printf("  %-14s %s%n", "Protocol:", p.path("protocol_version").asText());
            first = true;
            for (JsonNode pr : p.path("protocols")) {
                out.printf("  %-14s %s%n", first ? "Protocols:" : "", pr.asText());
                first = false;
            }
        }
        out.flush();
        return CliErrors.OK;
    }

    /** Bytes in and out on streams with a peer, and the current rates. */
    static String traffic(JsonNode t) {
        return "in " + Output.bytes(t.path("bytes_in").asLong()) + " (" + StatusText.rate(t.path("rate_in").asDouble()) + "), out "
                + Output.bytes(t.path("bytes_out").asLong()) + " (" + StatusText.rate(t.path("rate_out").asDouble()) + ")";
    }

    private static String abbreviate(String id) {
        return id.length() <= 20 ? id : id.substring(0, 12) + "..." + id.substring(id.length() - 6);
    }
}
