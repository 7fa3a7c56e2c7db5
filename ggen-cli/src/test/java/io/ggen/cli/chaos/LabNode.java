package io.ggen.cli.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.testing.ChaosNet;
import io.ggen.cli.testing.Ggen;
import io.ggen.cli.testing.NodeApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One real {@code ggen} node of a lab: its place in the network, its data directory, the running
 * process (replaced on each restart) and its control API. Runs with the product's own JVM options
 * (those of the {@code ggen} launcher for {@code start}), not the tests' shortcuts.
 */
final class LabNode {
    /** The launcher's options for a node: scripts/node.options, read as the {@code ggen} script reads it. */
    static final List<String> NODE_JVM_OPTIONS = nodeOptions();

    private static List<String> nodeOptions() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("scripts/node.options");
            if (!Files.isRegularFile(file)) continue;
            try {
                List<String> out = new ArrayList<>();
                for (String line : Files.readAllLines(file)) {
                    if (line.strip().startsWith("#")) continue;
                    for (String option : line.strip().split("\\s+")) if (!option.isEmpty()) out.add(option);
                }
                return List.copyOf(out);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("scripts/node.options not found above " + Path.of("").toAbsolutePath());
    }
    static final String LAB_CONFIG = """
            [nat]
            public_ranges = ["198.51.100.0/24", "203.0.113.0/24"]
            """;

    final ChaosNet.Place place;
    final Path home;
    final NodeApi api;
    private final ChaosNet net;
    private final Ggen node;
    /** The lab's user on this node's machine: commands run in its namespace, with the tests' client JVM options. */
    final Ggen user;
    private volatile Ggen.Running running;
    volatile String peerId;
    /** Incarnations that ended without the lab killing them. */
    final List<String> crashes = new ArrayList<>();
    int kills;
    private volatile boolean killedByLab;

    LabNode(ChaosNet net, ChaosNet.Place place, Path home) throws IOException {
        this(net, place, home, List.of());
    }

    /** A node whose JVM gets {@code extraJvmOptions} after the product's (the soak's memory tracking). */
    LabNode(ChaosNet net, ChaosNet.Place place, Path home, List<String> extraJvmOptions) throws IOException {
        this.net = net;
        this.place = place;
        this.home = Files.createDirectories(home);
        Files.writeString(home.resolve("p2p-config.toml"), LAB_CONFIG);
        this.node = Ggen.at(home).asReleased(concat(NODE_JVM_OPTIONS, extraJvmOptions), Map.of("GGEN_P2P_FORCE_REACHABILITY", "public")).inNetns(place.ns());
        this.user = Ggen.at(home).inNetns(place.ns());
        this.api = new NodeApi(place.netns(), home);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    String name() {
        return "n" + place.index() + (place.sideA() ? "A" : "B");
    }

    String addr() {
        return place.listen() + "/p2p/" + peerId;
    }

    /** Starts the node, bootstrapping to {@code bootstrap} (full multiaddrs), and waits until it is ready. */
    void start(List<String> bootstrap) throws Exception {
        List<String> args = new ArrayList<>(List.of("marketplace", "p2p", "start", "--listen", place.listen()));
        for (String b : bootstrap) args.addAll(List.of("--bootstrap", b));
        Ggen.Running r = node.start(Map.of(), args.toArray(String[]::new));
        net.own(r.process);
        running = r;
        killedByLab = false;
        peerId = r.awaitLine("Peer ID: ").substring("Peer ID: ".length()).trim();
        r.awaitLine("Node ready");
        Ggen.Running self = r;
        r.process.onExit().thenAccept(p -> {
            if (!killedByLab && running == self) crashes.add("exit " + p.exitValue() + ": " + self.stderr.getNow("").lines().limit(20).toList());
        });
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        killedByLab = true;
        kills++;
        Process p = running.process;
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the node as a user would (SIGTERM, its shutdown hook). */
    void stop() {
        killedByLab = true;
        if (running != null) running.close();
    }

    boolean alive() {
        return running != null && running.process.isAlive();
    }

    long pid() {
        return running.process.pid();
    }

    /** Threads, open file descriptors and resident memory (KiB) of the node's process now, from /proc. */
    Resources resources() throws IOException {
        long pid = pid();
        long threads = -1, rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Threads:")) threads = Long.parseLong(line.substring(8).trim());
            if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
        long fds;
        try (var s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds = s.count();
        }
        return new Resources(threads, fds, rss);
    }

    record Resources(long threads, long fds, long rssKib) {}

    JsonNode status() throws IOException {
        return api.get("/v1/status", Duration.ofSeconds(10));
    }
}
