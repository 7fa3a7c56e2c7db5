package io.ggen.node.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The peers as {@code ggen marketplace p2p peer-list} and {@code peer-info} print them, from the
 * JSON of the node's {@code /v1/peers} and {@code /v1/peers/<id>}. The node renders them for the
 * CLI (see {@link StatusText} for why).
 */
public final class PeerText {
    private PeerText() {}

    /** {@code peer-list}: {@code all} is the answer of {@code /v1/peers}; peers below {@code minReputation} (when not null) are left out. */
    public static String list(JsonNode all, boolean verbose, Double minReputation, OutputFormat format) {
        ArrayNode peers = JsonNodeFactory.instance.arrayNode();
        for (JsonNode p : all.path("peers")) {
            if (minReputation == null || p.path("reputation").asDouble() >= minReputation) peers.add(p);
        }
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        if (format != OutputFormat.table) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.set("peers", peers);
            o.put("total", peers.size());
            Output.print(o, format, out);
            return text.toString();
        }
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
                if (p.has("traffic")) out.println("    traffic   " + traffic(p.path("traffic")));
            }
        }
        out.println("Total: " + Output.count(peers.size(), "peer"));
        out.flush();
        return text.toString();
    }

    /** {@code peer-info}: {@code p} is the answer of {@code /v1/peers/<id>}. */
    public static String info(JsonNode p, boolean full, OutputFormat format) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        if (format != OutputFormat.table) {
            Output.print(p, format, out);
            return text.toString();
        }
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
        return text.toString();
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
