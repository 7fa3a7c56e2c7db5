package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.CliErrors;
import io.ggen.cli.api.ApiClient;
import io.ggen.cli.node.DataDir;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show whether a node runs on this data directory, and what it is doing. Exit code 1 when none runs.",
        footer = {"", "Examples:", "  ggen marketplace p2p status", "  ggen marketplace p2p status --format json"})
public final class StatusCommand extends P2pSubcommand {
    @Option(names = "--format", defaultValue = "table", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

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
        Format format = Format.table;
        if (args.length == 4 && args[3].startsWith("--format=")) format = parseFormat(args[3].substring(9));
        else if (args.length == 5 && args[3].equals("--format")) format = parseFormat(args[4]);
        else if (args.length != 3) return Optional.empty();
        if (format == null) return Optional.empty();
        PrintWriter out = new PrintWriter(System.out, false, java.nio.charset.Charset.defaultCharset());
        return Optional.of(show(DataDir.fromEnvironment(), format, out));
    }

    private static Format parseFormat(String s) {
        for (Format f : Format.values()) if (f.name().equals(s)) return f;
        return null;
    }

    public static int show(DataDir dir, Format format, PrintWriter out) {
        Optional<ApiClient> api = ApiClient.find(dir);
        if (api.isEmpty()) {
            if (format == Format.table) {
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

    /** The status as {@code status --format F} prints it. */
    public static String render(JsonNode s, Format format) {
        java.io.StringWriter text = new java.io.StringWriter();
        PrintWriter out = new PrintWriter(text);
        if (format != Format.table) {
            print(s, format, out);
            out.flush();
            return text.toString();
        }
        out.println("P2P node status");
        row(out, "Status", "running (pid " + s.path("pid").asLong() + ", up " + duration(s.path("uptime_secs").asLong()) + ")");
        row(out, "Peer ID", s.path("peer_id").asText());
        row(out, "Version", "ggen/" + s.path("version").asText());
        rows(out, "Listening on", s.path("listen_addrs"));
        rows(out, "Observed as", s.path("observed_addrs"));
        row(out, "Peers", s.path("connected_peers").asInt() + " connected, " + s.path("known_peers").asInt() + " known");
        if (s.has("dht")) {
            JsonNode d = s.path("dht");
            row(out, "DHT", d.path("mode").asText() + " on " + d.path("protocol").asText() + ", routing table " + d.path("routing_table_size").asInt() + " peers");
        }
        if (s.has("pubsub")) {
            List<String> topics = new ArrayList<>();
            s.path("pubsub").path("topics").forEach(t -> topics.add(t.path("topic").asText() + " (" + t.path("mesh_peers").asInt() + " mesh peers)"));
            row(out, "Pubsub topics", topics.isEmpty() ? "none" : String.join(", ", topics));
        }
        List<String> protocols = new ArrayList<>();
        s.path("protocols").forEach(p -> protocols.add(p.asText()));
        row(out, "Protocols", String.join(", ", protocols));
        row(out, "Control API", "127.0.0.1:" + s.path("api_port").asInt());
        row(out, "Data directory", s.path("data_dir").asText());
        out.flush();
        return text.toString();
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
