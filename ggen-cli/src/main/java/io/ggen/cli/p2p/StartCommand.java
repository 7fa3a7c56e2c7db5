package io.ggen.cli.p2p;

import io.ggen.cli.errors.CliErrors;
import io.ggen.cli.errors.CliErrors.UserError;
import io.ggen.node.BootstrapReport;
import io.ggen.node.Node;
import io.ggen.node.NodeLogging;
import io.ggen.node.config.NodeConfig;
import io.ggen.node.config.NodeConfigLoader;
import io.ggen.node.home.DataDir;
import io.ggen.node.home.IdentityFile;
import io.ggen.node.home.NodeInfo;
import io.ggen.node.home.NodeLock;
import io.ggen.node.render.Output;
import io.ggen.p2p.core.HostException;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start a marketplace node: in the foreground (Ctrl-C stops it), or with --daemon in the background.",
        footer = {"", "Examples:",
                "  ggen marketplace p2p start",
                "  ggen marketplace p2p start --daemon",
                "  ggen marketplace p2p start --listen /ip4/0.0.0.0/tcp/4001 --bootstrap /ip4/10.0.0.5/tcp/4001/p2p/12D3KooW...",
                "  GGEN_HOME=/tmp/node2 ggen marketplace p2p start --listen /ip4/127.0.0.1/tcp/0 --config ./p2p-config.toml"})
public final class StartCommand extends P2pSubcommand {
    /** Set in the environment of the background JVM that --daemon starts. */
    static final String DAEMON_CHILD_ENV = "GGEN_DAEMON_CHILD";
    static final Duration DAEMON_READY_TIMEOUT = Duration.ofSeconds(60);
    /** The command's entry point, named rather than imported: commands sit below the root package that assembles them. */
    static final String MAIN_CLASS = "io.ggen.cli.Main";

    @Option(names = "--listen", paramLabel = "<multiaddr>", description = "Address to listen on (repeatable; default /ip4/0.0.0.0/tcp/0, a random port).")
    List<String> listen = new ArrayList<>();

    @Option(names = "--bootstrap", paramLabel = "<multiaddr>", description = "Peer to connect to at start, with /p2p/<peer id> (repeatable).")
    List<String> bootstrap = new ArrayList<>();

    @Option(names = "--dht-server", arity = "0..1", fallbackValue = "true", paramLabel = "<true|false>",
            description = "Serve the DHT to other peers (default true, from dht_server_mode); --dht-server=false makes a DHT client.")
    Boolean dhtServer;

    @Option(names = "--force-reachability", paramLabel = "<public|private>",
            description = "Take this reachability instead of asking AutoNAT servers (nat.force_reachability), for set-ups AutoNAT cannot judge.")
    String forceReachability;
    @Option(names = "--port-mapping", arity = "0..1", fallbackValue = "true", paramLabel = "<true|false>",
            description = "Ask the home router to forward the listen port by PCP, NAT-PMP or UPnP (default true, from nat.port_mapping); --port-mapping=false does not ask.")
    Boolean portMapping;
    @Option(names = "--metrics-listen", paramLabel = "<ip:port>",
            description = "Serve Prometheus metrics at http://<ip:port>/metrics, e.g. 127.0.0.1:9464 (default: off, or metrics.listen).")
    String metricsListen;

    @Option(names = "--daemon", description = "Run in the background; returns once the node is ready.")
    boolean daemon;

    @Option(names = "--config", paramLabel = "<path>", description = "Configuration file (default: p2p-config.toml in the data directory).")
    Path config;

    @Override
    public Integer call() throws Exception {
        DataDir dir = dataDir();
        NodeConfig cfg = ConfigCommand.load(dir, config, new NodeConfigLoader.Flags(listen, bootstrap, dhtServer, forceReachability, metricsListen, portMapping));
        if (daemon) return startDaemon(dir);
        return runForeground(dir, cfg);
    }

    private int runForeground(DataDir dir, NodeConfig cfg) throws Exception {
        // Not a static field: picocli builds every command object for every invocation, and
        // logback's start-up would slow down the short commands such as status.
        Logger log = LoggerFactory.getLogger(StartCommand.class);
        PrivateKey key = IdentityFile.loadOrCreate(dir);
        boolean child = System.getenv(DAEMON_CHILD_ENV) != null;
        NodeLogging.start(dir, cfg.logLevel(), !child);
        PrintWriter out = out();
        out.println("Starting P2P node...");
        out.flush();
        Node node;
        try {
            node = Node.start(dir, cfg, key);
        } catch (HostException e) {
            throw new UserError(e.getMessage() + " (choose another --listen address or port)");
        }
        Thread hook = new Thread(() -> {
            log.info("signal received, stopping");
            node.close();
            NodeLogging.stop();
        }, "ggen-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        log.info("node {} started, settings {}", node.host().peerId(), Node.describe(cfg));
        out.println("P2P node started successfully");
        out.println("Peer ID: " + node.host().peerId());
        out.println("Listening on:");
        for (Multiaddr a : node.host().listenAddrs()) out.println("  " + a.withPeerId(node.host().peerId()));
        out.println("Control API: 127.0.0.1:" + node.api().port());
        node.metricsUrl().ifPresent(u -> out.println("Metrics: " + u));
        out.println("Listening for package announcements on " + cfg.packagesTopic());
        out.flush();
        List<BootstrapReport.Dial> results = node.joinNetwork();
        if (!results.isEmpty()) {
            int connected = 0;
            for (BootstrapReport.Dial r : results) {
                if (r.connected()) {
                    connected++;
                    out.println("Connected to " + r.peerId() + " at " + r.addr());
                } else {
                    out.println("Could not connect to " + r.addr() + ": " + r.error());
                    log.warn("bootstrap {} failed: {}", r.addr(), r.error());
                }
            }
            out.println("Connected to " + Output.count(connected, "bootstrap node") + " of " + results.size());
        }
        out.println("DHT: " + node.dht().mode() + " on " + node.dht().config().protocol());
        out.println("Node ready. Press Ctrl-C to stop.");
        out.flush();
        node.awaitStopRequest();
        log.info("stop requested through the API");
        node.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyStopping) {
            // the hook is running and closes the node too; close() is idempotent
        }
        out.println("Node stopped.");
        out.flush();
        NodeLogging.stop();
        return CliErrors.OK;
    }

    /**
     * Starts the same command without --daemon in a background JVM (same java and JVM options),
     * detached from the terminal, and waits until it has written node.json.
     */
    private int startDaemon(DataDir dir) throws IOException, InterruptedException {
        dir.ensure();
        if (NodeLock.isHeld(dir)) {
            String pid = NodeInfo.read(dir).map(i -> " (pid " + i.pid() + ")").orElse("");
            throw new UserError("a node is already running on " + dir.root() + pid
                    + "; stop it with '" + dir.command("marketplace p2p stop") + "', or set GGEN_HOME to another directory to run a second node");
        }
        IdentityFile.loadOrCreate(dir);
        Files.createDirectories(dir.logDir());
        List<String> cmd = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(setsid)) cmd.add(setsid.toString());
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib:jdwp")) cmd.add(arg);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MAIN_CLASS);
        cmd.addAll(List.of("marketplace", "p2p", "start"));
        for (String l : listen) cmd.addAll(List.of("--listen", l));
        for (String b : bootstrap) cmd.addAll(List.of("--bootstrap", b));
        if (dhtServer != null) cmd.add("--dht-server=" + dhtServer);
        if (forceReachability != null) cmd.addAll(List.of("--force-reachability", forceReachability));
        if (metricsListen != null) cmd.addAll(List.of("--metrics-listen", metricsListen));
        if (portMapping != null) cmd.add("--port-mapping=" + portMapping);
        if (config != null) cmd.addAll(List.of("--config", config.toAbsolutePath().toString()));
        Path daemonOut = dir.logDir().resolve("daemon.out");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(daemonOut.toFile())
                .redirectErrorStream(true);
        pb.environment().put(DAEMON_CHILD_ENV, "1");
        pb.environment().put("GGEN_HOME", dir.root().toString());
        Process p = pb.start();
        long deadline = System.nanoTime() + DAEMON_READY_TIMEOUT.toNanos();
        Optional<NodeInfo> ready = Optional.empty();
        while (System.nanoTime() < deadline) {
            ready = NodeInfo.read(dir).filter(i -> i.pid() == p.pid() || p.descendants().anyMatch(d -> d.pid() == i.pid()));
            if (ready.isPresent() || !p.isAlive()) break;
            // polling a file the child writes once: there is no event to wait on across processes
            p.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        if (ready.isEmpty()) {
            String tail = tail(daemonOut);
            if (p.isAlive()) {
                p.destroy();
                throw new UserError("the node did not become ready within " + DAEMON_READY_TIMEOUT.toSeconds() + " s and was stopped; log: " + dir.logFile());
            }
            throw new UserError("the node exited during start-up (exit code " + p.exitValue() + ")" + (tail.isEmpty() ? "" : ": " + tail)
                    + "; log: " + dir.logFile());
        }
        PrintWriter out = out();
        NodeInfo info = ready.get();
        List<String> joined = awaitJoined(daemonOut, p, deadline);
        out.println("P2P node started in the background (pid " + info.pid() + ")");
        out.println("Peer ID: " + info.peerId());
        out.println("Listening on:");
        for (String a : info.addrs()) out.println("  " + a);
        out.println("Control API: 127.0.0.1:" + info.apiPort());
        for (String l : joined) out.println(l);
        out.println("Log: " + dir.logFile());
        out.println("Stop it with: " + dir.command("marketplace p2p stop"));
        out.flush();
        return CliErrors.OK;
    }

    /**
     * What the background node said about joining the network: its lines about each bootstrap
     * peer (reached, or why not) and how many it reached, printed once it says it is ready (the
     * dials are bounded by the node's bootstrap timeout). Empty when it had no bootstrap peers or
     * did not get that far in time; the node's log has the rest.
     */
    private static List<String> awaitJoined(Path daemonOut, Process p, long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline && p.isAlive()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(daemonOut);
            } catch (IOException e) {
                return List.of();
            }
            if (lines.stream().anyMatch(l -> l.startsWith("Node ready"))) {
                return lines.stream().filter(l -> l.startsWith("Connected to ") || l.startsWith("Could not connect to ")).toList();
            }
            // polling the file the child writes: there is no event to wait on across processes
            p.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return List.of();
    }

    /** The last error line the child printed, for a failed start. */
    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i).trim();
                if (l.startsWith("error: ")) return l.substring(7);
            }
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
