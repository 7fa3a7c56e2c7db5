package io.ggen.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.marketplace.InfoCommand;
import io.ggen.cli.marketplace.ListCommand;
import io.ggen.cli.marketplace.SearchCommand;
import io.ggen.cli.p2p.P2pSearchCommand;
import io.ggen.cli.p2p.PeerInfoCommand;
import io.ggen.cli.p2p.PeerListCommand;
import io.ggen.cli.p2p.StatusCommand;
import io.ggen.marketplace.MarketplaceHome;
import io.ggen.node.api.ApiServer;
import io.ggen.node.home.ApiToken;
import io.ggen.node.home.DataDir;
import io.ggen.node.home.NodeInfo;
import io.ggen.node.home.NodeLock;
import io.ggen.node.render.OutputFormat;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/**
 * The training run for the JVM archive the launcher builds once per jar and JDK (a class-data
 * sharing archive, or an AOT cache on JDK 25 and later: {@code scripts/jvm-archive.sh}): it runs
 * the client side of the short commands ({@code status}, {@code peer-list}, {@code peer-info},
 * {@code p2p search}, {@code marketplace search} and {@code info}) against a throw-away API
 * server in a temporary data directory, then {@code search} and {@code list} without a node
 * (SQLite, JSON and YAML printed here), and picocli's path for the other commands, so the classes
 * those load are archived and a later command starts in a fraction of the time; then the node's
 * side ({@link io.ggen.node.NodeTraining}: two nodes on loopback, a catalog synced and searched),
 * for {@code p2p start}. Prints nothing; touches nothing outside its temporary directory.
 */
public final class CdsTraining {
    private CdsTraining() {}

    /**
     * {@code client}: the client side of the short commands only, for the archive every command
     * but {@code p2p start} starts from (trained with the short commands' options: C1 alone);
     * {@code node} or no argument: the same and then two nodes, for the node's archive
     * ({@code scripts/launch.sh} chooses).
     */
    public static void main(String[] args) throws Exception {
        boolean node = switch (args.length == 0 ? "node" : args[0]) {
            case "client" -> false;
            case "node" -> true;
            default -> throw new IllegalArgumentException("usage: CdsTraining [client|node]");
        };
        Path tmp = Files.createTempDirectory("ggen-cds-training");
        try {
            DataDir dir = DataDir.of(tmp);
            String token = ApiToken.loadOrCreate(dir);
            PrintWriter sink = new PrintWriter(Writer.nullWriter());
            // held as a node holds it: the client talks only to a data directory whose lock is held
            try (NodeLock lock = NodeLock.acquire(dir); ApiServer api = new ApiServer(0, token)) {
                api.route("GET", "/v1/status", false, req -> {
                    ObjectNode o = api.json().createObjectNode();
                    o.put("running", true);
                    o.put("peer_id", "12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D");
                    o.put("pid", ProcessHandle.current().pid());
                    o.put("uptime_secs", 1);
                    o.putArray("listen_addrs").add("/ip4/127.0.0.1/tcp/1");
                    o.putArray("observed_addrs");
                    o.put("reachability", "unknown");
                    o.putArray("advertised_addrs");
                    o.putArray("protocols").add("/ipfs/id/1.0.0");
                    o.putObject("dht").put("mode", "server");
                    o.putObject("pubsub").putArray("topics").addObject().put("topic", "/ggen/packages/v1");
                    String render = req.query().get("render");
                    return render == null ? ApiServer.Response.ok(o) : ApiServer.Response.text(io.ggen.node.render.StatusText.render(o, OutputFormat.valueOf(render)));
                });
                // The other commands the node renders: the client's side is the same for all (request, text back).
                ApiServer.Handler rendered = req -> ApiServer.Response.text("rendered\n");
                api.route("GET", "/v1/peers", false, rendered);
                api.route("GET", "/v1/peers/", true, rendered);
                api.route("POST", "/v1/search", false, rendered);
                api.route("POST", "/v1/publish", false, rendered);
                api.route("POST", "/v1/catalog/search", false, rendered);
                api.route("GET", "/v1/catalog/info", false, rendered);
                api.start();
                new NodeInfo(ProcessHandle.current().pid(), api.port(), "12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D",
                        List.of("/ip4/127.0.0.1/tcp/1"), System.currentTimeMillis(), Version.get()).write(dir);
                for (OutputFormat f : OutputFormat.values()) StatusCommand.show(dir, f, sink);
                PeerListCommand.show(dir, false, null, OutputFormat.table, sink);
                PeerInfoCommand.show(dir, "12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D", false, OutputFormat.table, sink);
                P2pSearchCommand.show(dir, "training", null, List.of("t"), 20, null, false, OutputFormat.table, sink);
                MarketplaceHome home = new MarketplaceHome(tmp);
                SearchCommand.show(home, dir, "training", null, List.of(), null, null, null, 20, 0, "relevance", OutputFormat.table, sink);
                InfoCommand.show(home, dir, "io.example.training@^1", OutputFormat.table, sink);
            }
            // Without a node: the catalog read here (SQLite and its native library), and JSON/YAML printed here.
            MarketplaceHome home = new MarketplaceHome(tmp);
            for (OutputFormat f : OutputFormat.values()) {
                SearchCommand.show(home, dir, "training", null, List.of(), null, null, null, 20, 0, "relevance", f, sink);
                ListCommand.show(tmp, f, sink);
            }
            CommandLine cmd = GgenCommand.commandLine();
            cmd.setOut(sink);
            cmd.setErr(sink);
            cmd.execute("marketplace", "p2p", "peer-list", "--help");
            // The node's side: two nodes on loopback, a catalog synced and searched.
            if (node) io.ggen.node.NodeTraining.run(tmp.resolve("nodes"));
        } finally {
            io.ggen.node.NodeTraining.removeTemporary(tmp);
        }
    }
}
