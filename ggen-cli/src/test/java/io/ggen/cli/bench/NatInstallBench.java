package io.ggen.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.testing.Ggen;
import io.ggen.cli.testing.NatLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An install's time in the NAT lab, with its public links delayed ({@link NatLab#PUBLIC_DELAY}):
 * real {@code ggen} nodes, a relay on the public segment, and a publisher and an installer
 * either behind the two endpoint-independent routers ({@code nat}: the installer reaches the
 * publisher through the relay and DCUtR makes the connection direct) or both on the public
 * segment ({@code public}). Each run is a fresh lab and fresh nodes; the publisher publishes two
 * small packs, and once the installer's search finds both, two installs are timed (wall clock of
 * the {@code install} command, a JVM of its own). Each line says what connection the installer
 * had to the publisher before the install (none, relayed, direct): gossip and catalog sync may
 * have made one, and DCUtR turned it direct, before the first install starts. After each install the
 * installer's connection to the publisher must be direct, or the run is reported as such.
 * Arguments: runs per setting (default 5). System properties: {@code ggen.jar}, {@code
 * bench.jvm} (the product's JVM options, space-separated). Run by {@code bench/nat.sh}.
 */
public final class NatInstallBench {
    private NatInstallBench() {}

    private static final String LAB_CONFIG = "[nat]\npublic_ranges = [\"198.51.100.0/24\"]\n";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> jvm = Arrays.stream(System.getProperty("bench.jvm", "").split(" ")).filter(s -> !s.isBlank()).toList();
        Path tmp = Files.createTempDirectory("nat-install-bench");
        for (String setting : List.of("nat", "public")) {
            List<Double> first = new ArrayList<>(), second = new ArrayList<>();
            int notDirect = 0;
            for (int run = 1; run <= runs; run++) {
                Path dir = Files.createDirectories(tmp.resolve(setting + "-" + run));
                List<Ggen.Running> nodes = new ArrayList<>();
                try (NatLab lab = NatLab.create(NatLab.NatKind.ENDPOINT_INDEPENDENT, NatLab.NatKind.ENDPOINT_INDEPENDENT)) {
                    Ggen relay = node(dir, "relay", lab.pub, jvm, nodes, "public", "--listen", "/ip4/" + NatLab.RELAY_IP + "/tcp/4001");
                    String relayAddr = "/ip4/" + NatLab.RELAY_IP + "/tcp/4001/p2p/" + peerId(relay);
                    boolean nat = setting.equals("nat");
                    String pubNs = nat ? lab.homeA : lab.addPublicHost("198.51.100.11");
                    String instNs = nat ? lab.homeB : lab.addPublicHost("198.51.100.12");
                    String reach = nat ? "private" : "public";
                    Ggen publisher = node(dir, "publisher", pubNs, jvm, nodes, reach, "--listen", nat ? "/ip4/0.0.0.0/tcp/4001" : "/ip4/198.51.100.11/tcp/4001", "--bootstrap", relayAddr);
                    Ggen installer = node(dir, "installer", instNs, jvm, nodes, reach, "--listen", nat ? "/ip4/0.0.0.0/tcp/4001" : "/ip4/198.51.100.12/tcp/4001", "--bootstrap", relayAddr);
                    if (nat) {
                        for (Ggen g : List.of(publisher, installer)) {
                            until(() -> json(g, "marketplace", "p2p", "status").path("nat").path("relayed_addrs").toString().contains(relayAddr + "/p2p-circuit"), 60, "relayed address of " + g.home);
                        }
                    }
                    must(publisher.run("marketplace", "key", "generate"));
                    String publisherId = peerId(publisher);
                    for (String id : List.of("io.bench.first", "io.bench.second")) must(publisher.run("marketplace", "p2p", "publish", pack(dir, id).toString()));
                    until(() -> {
                        String found = json(installer, "marketplace", "p2p", "search", "benchmark").toString();
                        return found.contains("io.bench.first") && found.contains("io.bench.second");
                    }, 90, "search results on the installer");
                    for (String id : List.of("io.bench.first", "io.bench.second")) {
                        String before = connection(installer, publisherId);
                        Path proj = Files.createDirectories(dir.resolve("proj-" + id));
                        long t0 = System.nanoTime();
                        Ggen.Result r = installer.run("marketplace", "p2p", "install", id, "--target", proj.toString());
                        double ms = (System.nanoTime() - t0) / 1e6;
                        must(r);
                        boolean relayed = json(installer, "marketplace", "p2p", "peer-info", publisherId).path("relayed").asBoolean(true);
                        if (relayed || r.out().contains("through a relay")) notDirect++;
                        (id.endsWith("first") ? first : second).add(ms);
                        System.err.printf(Locale.ROOT, "%s run %d %s: %.0f ms; connection to the publisher before: %s, after: %s%n", setting, run, id, ms, before,
                                relayed ? "relayed" : "direct");
                    }
                } finally {
                    nodes.forEach(Ggen.Running::close);
                }
            }
            first.sort(Comparator.naturalOrder());
            second.sort(Comparator.naturalOrder());
            System.out.printf(Locale.ROOT, "%s: %d runs; first install median %.0f ms (min %.0f, max %.0f); second install median %.0f ms (min %.0f, max %.0f); installs not over a direct connection: %d%n",
                    setting, runs, median(first), first.get(0), first.get(first.size() - 1), median(second), second.get(0), second.get(second.size() - 1), notDirect);
            BenchJson.append(java.util.Map.of("bench", "nat-install", "setting", setting, "runs", runs, "firstMedianMs", median(first),
                    "secondMedianMs", median(second), "notDirect", notDirect));
        }
    }

    private static Ggen node(Path dir, String name, String ns, List<String> jvm, List<Ggen.Running> nodes, String reachability, String... args) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Files.writeString(home.resolve("p2p-config.toml"), LAB_CONFIG);
        Ggen g = Ggen.at(home).asReleased(jvm, Map.of()).inNetns(ns);
        List<String> cmd = new ArrayList<>(List.of("marketplace", "p2p", "start"));
        cmd.addAll(List.of(args));
        Ggen.Running r = g.start(Map.of("GGEN_P2P_FORCE_REACHABILITY", reachability), cmd.toArray(String[]::new));
        nodes.add(r);
        r.awaitLine("Node ready");
        return g;
    }

    private static String peerId(Ggen g) throws Exception {
        return json(g, "marketplace", "p2p", "status").path("peer_id").asText();
    }

    /** The installer's connection to the publisher: none, relayed or direct. */
    private static String connection(Ggen installer, String publisherId) throws Exception {
        List<String> cmd = List.of("marketplace", "p2p", "peer-info", publisherId, "--format", "json");
        Ggen.Result r = installer.run(cmd.toArray(String[]::new));
        if (r.exit() != 0) return "none";
        JsonNode p = r.json();
        if (!p.path("connected").asBoolean(false)) return "none";
        return p.path("relayed").asBoolean(false) ? "relayed" : "direct";
    }

    private static Path pack(Path dir, String id) throws Exception {
        Path p = Files.createDirectories(dir.resolve("src").resolve(id).resolve("templates"));
        Files.writeString(p.getParent().resolve("gpack.toml"), """
                [gpack]
                id = "%s"
                name = "Benchmark pack"
                version = "1.0.0"
                description = "A small pack for the NAT install benchmark"
                license = "MIT"
                ggen_compat = ">=0.1"
                tags = ["benchmark"]
                """.formatted(id));
        Files.writeString(p.resolve("main.tmpl"), "fn main() { /* " + id + " */ }\n");
        return p.getParent();
    }

    private static JsonNode json(Ggen g, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(args));
        cmd.addAll(List.of("--format", "json"));
        Ggen.Result r = g.run(cmd.toArray(String[]::new));
        must(r);
        return r.json();
    }

    private static void must(Ggen.Result r) {
        if (r.exit() != 0) throw new IllegalStateException(r.toString());
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void until(Check c, int seconds, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.ok()) {
            if (System.nanoTime() > end) throw new IllegalStateException("no " + what + " within " + seconds + " s");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        }
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
