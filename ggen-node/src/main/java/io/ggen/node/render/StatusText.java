package io.ggen.node.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's status as {@code ggen marketplace p2p status} prints it. The node renders it (the
 * CLI asks for {@code /v1/status?render=F}) so that the status command prints text and never
 * parses JSON, which keeps jackson-databind out of that short-lived process.
 */
public final class StatusText {
    private StatusText() {}

    public static String render(JsonNode s, OutputFormat format) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        if (format != OutputFormat.table) {
            Output.print(s, format, out);
            out.flush();
            return text.toString();
        }
        out.println("P2P node status");
        row(out, "Status", "running (pid " + s.path("pid").asLong() + ", up " + Output.duration(s.path("uptime_secs").asLong()) + ")");
        row(out, "Peer ID", s.path("peer_id").asText());
        row(out, "Version", "ggen/" + s.path("version").asText());
        rows(out, "Listening on", s.path("listen_addrs"));
        rows(out, "Observed as", s.path("observed_addrs"));
        if (s.has("reachability")) {
            row(out, "Reachability", reachability(s));
            if (s.path("advertised_addrs").isArray()) rows(out, "Advertised", s.path("advertised_addrs"));
        }
        if (s.has("nat")) {
            JsonNode n = s.path("nat");
            row(out, "Relay service", (n.path("relay_service_on").asBoolean() ? "on" : "off") + " (" + n.path("relay_service").asText() + ")"
                    + (n.path("relay_service_on").asBoolean() ? ", " + Output.count(n.path("relay_reservations").asInt(), "reservation") + ", "
                            + Output.count(n.path("relay_circuits").asInt(), "circuit") : ""));
            if (n.path("relayed_addrs").isEmpty()) row(out, "Relayed as", "none");
            else rows(out, "Relayed as", n.path("relayed_addrs"));
            row(out, "Hole punching", n.path("hole_punching").asBoolean()
                    ? n.path("hole_punch_direct").asLong() + " direct of " + Output.count(n.path("hole_punch_rounds").asLong(), "round")
                    : "off");
            if (n.has("port_mapping")) row(out, "Port mapping", portMappings(n));
        }
        row(out, "Peers", s.path("connected_peers").asInt() + " connected, " + s.path("known_peers").asInt() + " known");
        if (s.has("dht")) {
            JsonNode d = s.path("dht");
            row(out, "DHT", d.path("mode").asText() + " on " + d.path("protocol").asText() + ", routing table " + Output.count(d.path("routing_table_size").asInt(), "peer"));
        }
        if (s.has("pubsub")) {
            List<String> topics = new ArrayList<>();
            s.path("pubsub").path("topics").forEach(t -> topics.add(t.path("topic").asText() + " (" + Output.count(t.path("mesh_peers").asInt(), "mesh peer") + ")"));
            row(out, "Pubsub topics", topics.isEmpty() ? "none" : String.join(", ", topics));
        }
        List<String> protocols = new ArrayList<>();
        s.path("protocols").forEach(p -> protocols.add(p.asText()));
        row(out, "Protocols", String.join(", ", protocols));
        if (s.has("bandwidth")) {
            JsonNode b = s.path("bandwidth");
            JsonNode t = b;
            row(out, "Traffic", "in " + Output.bytes(t.path("bytes_in").asLong()) + " (" + rate(t.path("rate_in").asDouble()) + "), out "
                    + Output.bytes(t.path("bytes_out").asLong()) + " (" + rate(t.path("rate_out").asDouble()) + ")");
            row(out, "Archives", "fetched " + Output.bytes(b.path("archive_bytes_fetched").asLong()) + ", served " + Output.bytes(b.path("archive_bytes_served").asLong())
                    + "; limits: download " + limit(b.path("download_limit_bytes_per_sec").asLong()) + ", upload " + limit(b.path("upload_limit_bytes_per_sec").asLong()));
        }
        if (s.hasNonNull("cipher")) row(out, "Encryption", "ChaCha20-Poly1305 by " + s.path("cipher").asText());
        row(out, "Control API", "127.0.0.1:" + s.path("api_port").asInt());
        if (s.hasNonNull("metrics_url")) row(out, "Metrics", s.path("metrics_url").asText());
        row(out, "Data directory", s.path("data_dir").asText());
        out.flush();
        return text.toString();
    }

    /** e.g. "tcp 4001 -> 192.0.1.1:4001 (upnp, renewed before it expires in 59m)", "none (PCP map: NOT_AUTHORIZED)", "off". */
    static String portMappings(JsonNode n) {
        if (!n.path("port_mapping").asBoolean()) return "off (nat.port_mapping = false)";
        List<String> shown = new ArrayList<>();
        n.path("port_mappings").forEach(m -> shown.add(m.path("protocol").asText() + " " + m.path("internal_port").asInt() + " -> "
                + m.path("external_addr").asText() + " (" + m.path("method").asText() + ", "
                + (m.path("permanent").asBoolean() ? "permanent lease" : "expires in " + Output.duration(m.path("expires_in_secs").asLong())) + ")"));
        if (!shown.isEmpty()) return String.join("; ", shown);
        String error = n.path("port_mapping_error").asText("");
        return error.isEmpty() ? "none yet" : "none (" + error + ")";
    }

    /** e.g. "public (2 AutoNAT servers agree)", "private (forced by nat.force_reachability)". */
    static String reachability(JsonNode s) {
        String r = s.path("reachability").asText("unknown");
        if ("forced".equals(s.path("reachability_source").asText())) return r + " (forced by nat.force_reachability)";
        int n = s.path("reachability_confidence").asInt();
        if (r.equals("unknown")) return "unknown (no verdict from AutoNAT servers yet)";
        return r + " (" + Output.count(n, "AutoNAT server") + " agree" + (n == 1 ? "s" : "") + ")";
    }

    /** A rate for people: "12.5 KiB/s". */
    public static String rate(double bytesPerSecond) {
        return Output.bytes(Math.round(bytesPerSecond)) + "/s";
    }

    private static String limit(long bytesPerSecond) {
        return bytesPerSecond <= 0 ? "unlimited" : rate(bytesPerSecond);
    }

    private static void row(PrintWriter out, String label, String value) {
        out.printf("  %-16s %s%n", label.isEmpty() ? "" : label + ":", value);
    }

    private static void rows(PrintWriter out, String label, JsonNode values) {
        if (values.isEmpty()) {
            row(out, label, "none yet");
            return;
        }
        boolean first = true;
        for (JsonNode v : values) {
            row(out, first ? label : "", v.asText());
            first = false;
        }
    }
}
