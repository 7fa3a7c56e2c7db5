package io.ggen.cli.chaos;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.testing.ChaosNet;
import io.ggen.cli.testing.Ggen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The chaos lab: {@code nodes} real {@code ggen} nodes in {@link ChaosNet}, each link delaying
 * its packets 50 ms +/- 10 ms (when the delay shim can be built here) and losing 1-5% of them, through cycles of: publish on both sides (two versions of a pack each) and
 * wait until the network has it; cut the network in two for {@code partition}; while cut, publish
 * on both sides again, yank on both sides, kill -9 a node on each side and restart it; heal; wait
 * until every pack is searchable and installable on every node (at most {@code bound}). Every
 * node meanwhile searches for and fetches every pack it lacks, the workload that measures
 * convergence. After the last cycle the invariants are checked; see {@link #run}.
 *
 * <p>A phase lasts a fixed time by design, so the lab paces itself with {@link #runFor}: the
 * pollers of the pairs and yanks work meanwhile, each on its own virtual thread.
 */
public final class ChaosScenario {
    /** What a run does; {@link #fromProperties} reads it from {@code chaos.*} system properties. */
    public record Config(int nodes, Duration duration, long seed, double lossMin, double lossMax, Duration delay, Duration jitter, Duration partition,
                         Duration bound, int cliInstalls, Path workDir) {
        public Config {
            if (nodes < 4 || nodes > 40) throw new IllegalArgumentException("nodes must be 4..40, got " + nodes);
            if (lossMin < 0 || lossMax >= 0.5 || lossMin > lossMax) throw new IllegalArgumentException("loss must be 0 <= min <= max < 0.5");
        }

        /** The short form (./test) unless chaos.nodes, chaos.minutes, chaos.seed say otherwise. */
        public static Config fromProperties(Path workDir) {
            int nodes = Integer.getInteger("chaos.nodes", 6);
            double minutes = Double.parseDouble(System.getProperty("chaos.minutes", "0"));
            long seed = Long.getLong("chaos.seed", System.nanoTime());
            return new Config(nodes, Duration.ofMillis((long) (minutes * 60_000)), seed, 0.01, 0.05, Duration.ofMillis(50), Duration.ofMillis(10), Duration.ofSeconds(30),
                    Duration.ofSeconds(Long.getLong("chaos.bound.seconds", 120)), Integer.getInteger("chaos.cli.installs", minutes > 0 ? nodes : 1), workDir);
        }
    }

    /** One (node, pack) pair of the convergence measure. */
    private static final class Pair {
        final LabNode node;
        final Workload.Pack pack;
        long searchableAt;
        long fetchedAt;
        volatile long installedAt;
        String job;
        int failedFetches;

        Pair(LabNode node, Workload.Pack pack) {
            this.node = node;
            this.pack = pack;
        }
    }

    private record Yank(LabNode publisher, String id, String version, long atMillis, boolean duringPartition) {}

    private final Config config;
    private final Workload work;
    private final Random random;
    private final List<LabNode> nodes = new ArrayList<>();
    private final List<Workload.Pack> packs = new ArrayList<>();
    private final List<Pair> pairs = new ArrayList<>();
    private final List<Yank> yanks = new ArrayList<>();
    private final Map<String, Long> yankConverged = new java.util.concurrent.ConcurrentHashMap<>();
    private final ArrayNode faults = Ggen.JSON.createArrayNode();
    private final List<String> violations = new ArrayList<>();
    private final Map<String, LabNode.Resources> baseline = new LinkedHashMap<>();
    private ChaosNet net;
    private long startMillis;
    private final List<Long> heals = new ArrayList<>();
    private int badBytesSeen;
    private String delayNote;

    public ChaosScenario(Config config) {
        this.config = config;
        this.work = new Workload(config.workDir(), config.seed());
        this.random = new Random(config.seed() ^ 0x5eed);
    }

    /** Runs the lab, writes {@code chaos-report.json} and {@code chaos-summary.txt} in the work directory, and returns the report. */
    public ObjectNode run() throws Exception {
        startMillis = System.currentTimeMillis();
        net = ChaosNet.create(config.nodes(), System.getProperty("chaos.prefix"));
        try {
            return runIn();
        } finally {
            stopPolling = true;
            for (LabNode n : nodes) n.stop();
            net.close();
        }
    }

    private ObjectNode runIn() throws Exception {
        for (ChaosNet.Place p : net.places()) {
            LabNode n = new LabNode(net, p, config.workDir().resolve("nodes").resolve("n" + p.index()));
            nodes.add(n);
            double loss = config.lossMin() + random.nextDouble() * (config.lossMax() - config.lossMin());
            net.setLoss(p, loss);
            fault("loss", n, String.format(Locale.ROOT, "%.1f%% of received packets dropped", loss * 100));
        }
        delayNote = ChaosNet.delayUnavailable().orElse(null);
        if (delayNote == null) {
            for (LabNode n : nodes) net.setDelay(n.place, config.delay(), config.jitter());
            fault("delay", null, "every link " + config.delay().toMillis() + " ms +/- " + config.jitter().toMillis() + " ms one way (ingress shim on each node)");
        } else {
            log("links are not delayed: " + delayNote);
        }
        LabNode seedA = nodes.get(0), seedB = nodes.get((nodes.size() + 1) / 2);
        LabNode pubA = nodes.get(1), pubB = nodes.get((nodes.size() + 1) / 2 + 1);
        for (LabNode pub : List.of(pubA, pubB)) {
            Ggen.Result key = Ggen.at(pub.home).run("marketplace", "key", "generate");
            if (key.exit() != 0) throw new IllegalStateException("key generate: " + key);
        }
        seedA.start(List.of());
        seedB.start(List.of(seedA.addr()));
        startAll(nodes.stream().filter(n -> n != seedA && n != seedB).toList(), List.of(seedA.addr(), seedB.addr()));
        log("all " + nodes.size() + " nodes ready");
        for (LabNode n : nodes) startPoller(() -> pollYanks(n), () -> false);

        long end = startMillis + config.duration().toMillis();
        int cycle = 0;
        do {
            cycle(cycle++, pubA, pubB, seedA, seedB);
        } while (System.currentTimeMillis() < end);
        return finish(pubA, pubB);
    }

    private void startAll(List<LabNode> list, List<String> bootstrap) throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Exception> errors = new ArrayList<>();
        for (LabNode n : list) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    n.start(bootstrap);
                } catch (Exception e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        if (!errors.isEmpty()) throw errors.get(0);
    }

    private void cycle(int c, LabNode pubA, LabNode pubB, LabNode seedA, LabNode seedB) throws Exception {
        // Calm: two versions of a pack on each side; the network takes them in.
        List<Workload.Pack> calm = new ArrayList<>();
        for (LabNode pub : List.of(pubA, pubB)) {
            String id = "io.chaos.c" + c + (pub == pubA ? "a" : "b");
            String word = work.word();
            Workload.Pack v1 = work.pack(id, "1.0.0", word, pub);
            Workload.Pack v2 = work.pack(id, "1.1.0", word, pub);
            track(v1);
            work.publish(v1, false);
            work.publish(v2, false);
            synchronized (this) {
                packs.add(v2);
            }
            calm.add(v1);
        }
        runUntilConverged(config.bound());
        if (c == 0) {
            for (LabNode n : nodes) baseline.put(n.name(), n.resources());
            log("baseline taken: " + baseline);
        }
        // Cut in two.
        net.partition();
        long cutAt = System.currentTimeMillis();
        fault("partition", null, "side A (" + ChaosNet.SITE_A + ".0/24) and side B (" + ChaosNet.SITE_B + ".0/24) cut apart for " + config.partition().toSeconds() + " s");
        // Publishes and yanks go on beside the polling: a publish waits for its announcements, which a cut network slows.
        List<Thread> writes = new ArrayList<>();
        List<Exception> writeErrors = java.util.Collections.synchronizedList(new ArrayList<>());
        runFor(Duration.ofSeconds(2));
        for (LabNode pub : List.of(pubA, pubB)) {
            Workload.Pack p = work.pack("io.chaos.c" + c + (pub == pubA ? "a" : "b") + "-cut", "1.0.0", work.word(), pub);
            track(p);
            writes.add(background(writeErrors, () -> work.publish(p, true)));
        }
        for (Workload.Pack v1 : calm) {
            synchronized (this) {
                yanks.add(new Yank(v1.publisher, v1.id, "1.1.0", System.currentTimeMillis(), true));
            }
            writes.add(background(writeErrors, () -> work.yank(v1.publisher, v1.id + "@1.1.0", "chaos cycle " + c, true)));
        }
        runFor(Duration.ofSeconds(3));
        List<LabNode> victims = new ArrayList<>();
        for (boolean sideA : List.of(true, false)) {
            List<LabNode> candidates = nodes.stream().filter(n -> n.place.sideA() == sideA && n != pubA && n != pubB && n.alive()).toList();
            if (!candidates.isEmpty()) victims.add(candidates.get(random.nextInt(candidates.size())));
        }
        for (LabNode v : victims) {
            v.kill();
            fault("kill -9", v, "during the partition");
        }
        runFor(Duration.ofSeconds(8));
        for (LabNode v : victims) {
            LabNode boot = v.place.sideA() ? (v == seedA ? pubA : seedA) : (v == seedB ? pubB : seedB);
            v.start(List.of(boot.addr()));
            fault("restart", v, "same data directory");
        }
        runFor(Duration.ofMillis(Math.max(0, cutAt + config.partition().toMillis() - System.currentTimeMillis())));
        net.heal();
        long healAt = System.currentTimeMillis();
        synchronized (this) {
            heals.add(healAt);
        }
        fault("heal", null, "after " + (healAt - cutAt) / 1000 + " s");
        runUntilConverged(config.bound());
        for (Thread t : writes) t.join(Duration.ofMinutes(3));
        if (!writeErrors.isEmpty()) throw writeErrors.get(0);
    }

    private interface Write {
        void run() throws Exception;
    }

    private static Thread background(List<Exception> errors, Write w) {
        return Thread.ofVirtual().start(() -> {
            try {
                w.run();
            } catch (Exception e) {
                errors.add(e);
            }
        });
    }

    private synchronized void track(Workload.Pack p) {
        packs.add(p);
        for (LabNode n : nodes) {
            Pair pr = new Pair(n, p);
            pairs.add(pr);
            startPoller(() -> pollPair(pr), () -> pr.installedAt != 0);
        }
    }

    /** When {@code p} could first reach {@code n}: its publication, or the heal for the other side of a cut. */
    private long availableAt(Pair pr) {
        boolean sameSide = pr.pack.publisher.place.sideA() == pr.node.place.sideA();
        if (pr.pack.duringPartition && !sameSide) return firstHealAfter(pr.pack.publishedAtMillis);
        return pr.pack.publishedAtMillis;
    }

    private boolean converged() {
        for (Pair p : pairs) if (p.installedAt == 0) return false;
        for (Yank y : yanks) for (LabNode n : nodes) if (!yankConverged.containsKey(n.name() + " " + y.id())) return false;
        return true;
    }

    private void runUntilConverged(Duration bound) throws IOException {
        long deadline = System.currentTimeMillis() + bound.toMillis();
        while (!converged() && System.currentTimeMillis() < deadline) pace();
    }

    private void runFor(Duration d) throws IOException {
        long until = System.currentTimeMillis() + d.toMillis();
        while (System.currentTimeMillis() < until) pace();
    }

    /** The lab's clock between its own steps; the pollers work meanwhile. Fails the run when a poller did. */
    private void pace() throws IOException {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        if (pollerError != null) throw pollerError;
    }

    private volatile boolean stopPolling;
    private volatile IOException pollerError;
    private final List<Thread> pollers = new ArrayList<>();

    /**
     * Every (node, pack) pair has a poller of its own (a virtual thread), as every node's yanks
     * do: a call that waits on the network (a search asking unreachable peers, a fetch refreshing
     * the package from the DHT) holds up only its own pair, so the times measure the network,
     * not the lab's other calls. A poller pauses 250 ms between its calls.
     */
    private synchronized void startPoller(Runnable step, java.util.function.BooleanSupplier done) {
        pollers.add(Thread.ofVirtual().start(() -> {
            while (!stopPolling && !done.getAsBoolean()) {
                step.run();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
            }
        }));
    }

    private void stopPollers() throws InterruptedException {
        stopPolling = true;
        List<Thread> all;
        synchronized (this) {
            all = List.copyOf(pollers);
        }
        for (Thread t : all) t.join(Duration.ofMinutes(2));
    }

    /** One step of a pair: search until found, then fetch until a job completes, then check the bytes once the CID is known. */
    private void pollPair(Pair p) {
        LabNode n = p.node;
        if (!n.alive()) return;
        try {
            if (p.searchableAt == 0) {
                if (!work.searchFinds(n, p.pack)) return;
                p.searchableAt = System.currentTimeMillis();
            }
            if (p.fetchedAt == 0) {
                if (p.job == null) {
                    p.job = work.startFetch(n, p.pack.spec());
                    if (p.job == null) return;
                }
                String outcome = work.fetchOutcome(n, p.job);
                if (outcome == null) return;
                p.job = null;
                if (!outcome.isEmpty()) {
                    p.failedFetches++;
                    return;
                }
                p.fetchedAt = System.currentTimeMillis();
            }
            if (p.pack.cid == null) return; // fetched before its publish call returned: checked once it has
            String problem = Workload.storedBytesProblem(n, p.pack);
            if (problem != null) {
                synchronized (this) {
                    badBytesSeen++;
                    violations.add("bytes: " + problem);
                }
            }
            p.installedAt = p.fetchedAt;
        } catch (IOException | RuntimeException e) {
            pollerError = e instanceof IOException io ? io : new IOException(e);
        }
    }

    private void pollYanks(LabNode n) {
        if (!n.alive()) return;
        List<Yank> ys;
        synchronized (this) {
            ys = List.copyOf(yanks);
        }
        for (Yank y : ys) {
            String key = n.name() + " " + y.id();
            if (yankConverged.containsKey(key) || !n.alive()) continue;
            if (work.knowsYanked(n, y.id(), y.version())) yankConverged.put(key, System.currentTimeMillis());
        }
    }

    private ObjectNode finish(LabNode pubA, LabNode pubB) throws Exception {
        // Let the last transfers and connections wind down before resources are compared.
        runFor(Duration.ofSeconds(5));
        stopPollers();
        ObjectNode report = Ggen.JSON.createObjectNode();
        ObjectNode cfg = report.putObject("config");
        cfg.put("nodes", config.nodes()).put("minutes", config.duration().toSeconds() / 60.0).put("seed", config.seed())
                .put("loss_min", config.lossMin()).put("loss_max", config.lossMax())
                .put("delay", delayNote == null ? config.delay().toMillis() + " ms +/- " + config.jitter().toMillis() + " ms one way" : "none: " + delayNote).put("partition_seconds", config.partition().toSeconds())
                .put("convergence_bound_seconds", config.bound().toSeconds());
        cfg.putPOJO("node_jvm_options", LabNode.NODE_JVM_OPTIONS);
        report.put("started", Instant.ofEpochMilli(startMillis).toString());
        report.put("wall_seconds", (System.currentTimeMillis() - startMillis) / 1000.0);
        report.put("load_average", Files.readString(Path.of("/proc/loadavg")).trim());

        // Invariant: every pack searchable and installable everywhere, within the bound.
        List<Long> times = new ArrayList<>();
        int late = 0, never = 0;
        for (Pair p : pairs) {
            if (p.installedAt == 0) {
                never++;
                violations.add("convergence: " + p.pack.spec() + " never became searchable and installable on " + p.node.name()
                        + (p.searchableAt == 0 ? " (not found by search)" : " (found, fetch failed " + p.failedFetches + " times)"));
                continue;
            }
            long t = Math.max(0, p.installedAt - availableAt(p));
            times.add(t);
            if (t > config.bound().toMillis()) {
                late++;
                violations.add("convergence: " + p.pack.spec() + " on " + p.node.name() + " took " + t + " ms, over the bound");
            }
        }
        times.sort(null);
        ObjectNode conv = report.putObject("convergence_ms");
        conv.put("pairs", pairs.size()).put("converged", times.size()).put("late", late).put("never", never);
        if (!times.isEmpty()) {
            conv.put("p50", pct(times, 50)).put("p90", pct(times, 90)).put("p99", pct(times, 99)).put("max", times.get(times.size() - 1));
        }
        // By kind of pair: published in calm, during the cut on the node's own side, or on the other side (counted from the heal).
        Map<String, List<Long>> byKind = new java.util.TreeMap<>();
        ArrayNode perPair = report.putArray("pairs");
        for (Pair p : pairs) {
            if (p.installedAt == 0) continue;
            boolean same = p.pack.publisher.place.sideA() == p.node.place.sideA();
            String kind = !p.pack.duringPartition ? "calm" : same ? "cut, same side" : "cut, other side (from the heal)";
            long t = Math.max(0, p.installedAt - availableAt(p));
            byKind.computeIfAbsent(kind + (p.node.kills > 0 ? ", node killed at some point" : ""), k -> new ArrayList<>()).add(t);
            perPair.addObject().put("node", p.node.name()).put("pack", p.pack.spec()).put("kind", kind).put("node_kills", p.node.kills)
                    .put("searchable_ms", p.searchableAt - availableAt(p)).put("installed_ms", t).put("failed_fetches", p.failedFetches);
        }
        ObjectNode kinds = report.putObject("convergence_by_kind_ms");
        byKind.forEach((k, list) -> {
            list.sort(null);
            kinds.putObject(k).put("pairs", list.size()).put("p50", pct(list, 50)).put("p90", pct(list, 90)).put("max", list.get(list.size() - 1));
        });
        ObjectNode cross = report.putObject("convergence_after_heal_ms");
        List<Long> crossTimes = new ArrayList<>();
        for (Pair p : pairs) {
            if (p.installedAt != 0 && p.pack.duringPartition && p.pack.publisher.place.sideA() != p.node.place.sideA()) {
                crossTimes.add(Math.max(0, p.installedAt - availableAt(p)));
            }
        }
        crossTimes.sort(null);
        cross.put("pairs", crossTimes.size());
        if (!crossTimes.isEmpty()) cross.put("p50", pct(crossTimes, 50)).put("p90", pct(crossTimes, 90)).put("max", crossTimes.get(crossTimes.size() - 1));

        // Yanks: every node knows every yank, and a range install resolves past the yanked version.
        List<Long> yankTimes = new ArrayList<>();
        int yankChecks = 0;
        for (Yank y : yanks) {
            for (LabNode n : nodes) {
                yankChecks++;
                Long at = yankConverged.get(n.name() + " " + y.id());
                if (at == null) violations.add("yank: " + n.name() + " does not know that " + y.id() + "@" + y.version() + " is yanked");
                else yankTimes.add(Math.max(0, at - Math.max(y.atMillis(), n.place.sideA() == y.publisher().place.sideA() ? 0 : firstHealAfter(y.atMillis()))));
                String resolved = work.resolves(n, y.id());
                if (!"1.0.0".equals(resolved)) violations.add("yank: " + n.name() + " resolves " + y.id() + " to " + resolved + ", not 1.0.0");
            }
        }
        yankTimes.sort(null);
        ObjectNode yk = report.putObject("yank_convergence_ms").put("checks", yankChecks);
        if (!yankTimes.isEmpty()) yk.put("p50", pct(yankTimes, 50)).put("max", yankTimes.get(yankTimes.size() - 1));

        // Bytes: every archive every node holds is the publisher's, byte for byte.
        int byteChecks = 0;
        for (LabNode n : nodes) {
            for (Workload.Pack p : packs) {
                byteChecks++;
                String problem = Workload.storedBytesProblem(n, p);
                if (problem != null) violations.add("bytes: " + problem);
            }
        }
        // Installs the user's way, on nodes picked at random: the unpacked tree is the publisher's source.
        int cliOk = 0;
        List<Workload.Pack> trackable = pairs.stream().map(p -> p.pack).distinct().toList();
        for (int i = 0; i < config.cliInstalls(); i++) {
            LabNode n = nodes.get(random.nextInt(nodes.size()));
            Workload.Pack p = trackable.get(random.nextInt(trackable.size()));
            Path proj = Files.createDirectories(config.workDir().resolve("installs").resolve(n.name() + "-" + i));
            Ggen.Result r = n.user.run("marketplace", "p2p", "install", p.spec(), "--target", proj.toString());
            if (r.exit() != 0) {
                work.count("cli-install", false);
                violations.add("cli install of " + p.spec() + " on " + n.name() + " failed: " + r.err().strip());
                continue;
            }
            String got = Workload.tree(proj.resolve(".ggen/gpacks/" + p.id));
            if (!got.equals(Workload.tree(p.src))) violations.add("cli install of " + p.spec() + " on " + n.name() + " unpacked files that differ from the source");
            else cliOk++;
            work.count("cli-install", true);
        }

        // No node crashed; threads, fds and RSS back near their baseline (nodes never killed).
        int crashes = 0;
        for (LabNode n : nodes) {
            crashes += n.crashes.size();
            for (String c : n.crashes) violations.add("crash: " + n.name() + " " + c);
            if (!n.alive()) violations.add("crash: " + n.name() + " is not running at the end");
        }
        ArrayNode res = report.putArray("resources");
        int resourceChecks = 0;
        for (LabNode n : nodes) {
            LabNode.Resources after = n.alive() ? n.resources() : null;
            LabNode.Resources before = baseline.get(n.name());
            ObjectNode o = res.addObject().put("node", n.name()).put("kills", n.kills);
            if (before != null) o.put("threads_before", before.threads()).put("fds_before", before.fds()).put("rss_kib_before", before.rssKib());
            if (after != null) o.put("threads_after", after.threads()).put("fds_after", after.fds()).put("rss_kib_after", after.rssKib());
            if (n.kills > 0 || before == null || after == null) continue;
            resourceChecks++;
            String why = resourcesProblem(before, after);
            if (why != null) violations.add("resources: " + n.name() + " " + why);
        }

        ObjectNode inv = report.putObject("invariants_checked");
        inv.put("convergence_pairs", pairs.size()).put("yank_checks", yankChecks * 2).put("byte_checks", byteChecks)
                .put("bad_bytes_seen_during_run", badBytesSeen).put("cli_installs", config.cliInstalls()).put("cli_installs_identical", cliOk)
                .put("crash_checks", nodes.size()).put("unexpected_exits", crashes).put("resource_checks", resourceChecks);
        report.set("faults", faults);
        ObjectNode fc = report.putObject("fault_counts");
        for (var f : faults) fc.put(f.path("kind").asText(), fc.path(f.path("kind").asText()).asInt() + 1);
        for (LabNode n : nodes) fc.put("packets_dropped_by_loss", fc.path("packets_dropped_by_loss").asLong() + Math.max(0, net.lossDrops(n.place)));
        report.putPOJO("operations", work.opCounts());
        report.putPOJO("slowest_call_ms", new java.util.TreeMap<>(work.slowest));
        ArrayNode v = report.putArray("violations");
        violations.forEach(v::add);
        write(report);
        return report;
    }

    /** The first heal at or after {@code t} (t itself when none came yet). */
    private synchronized long firstHealAfter(long t) {
        for (long h : heals) if (h >= t) return h;
        return t;
    }

    /**
     * Whether a node's resources stayed near where they were after its first calm phase:
     * threads and descriptors within a quarter (and at least 16) of the baseline, resident memory
     * within half the baseline plus 64 MiB (a JVM's heap grows to fit its work and gives little
     * back; a leak of connections or stream buffers grows without end).
     */
    static String resourcesProblem(LabNode.Resources before, LabNode.Resources after) {
        if (after.threads() > before.threads() + Math.max(16, before.threads() / 4)) return "threads " + before.threads() + " -> " + after.threads();
        if (after.fds() > before.fds() + Math.max(16, before.fds() / 4)) return "fds " + before.fds() + " -> " + after.fds();
        if (after.rssKib() > before.rssKib() + before.rssKib() / 2 + (64 << 10)) return "RSS " + before.rssKib() + " KiB -> " + after.rssKib() + " KiB";
        return null;
    }

    private static long pct(List<Long> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private void write(ObjectNode report) throws IOException {
        Files.writeString(config.workDir().resolve("chaos-report.json"), Ggen.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        StringBuilder s = new StringBuilder();
        s.append("chaos lab: ").append(config.nodes()).append(" nodes, seed ").append(config.seed()).append(", ")
                .append(report.path("wall_seconds").asDouble()).append(" s, load average ").append(report.path("load_average").asText()).append('\n');
        s.append("faults: ").append(report.path("fault_counts")).append('\n');
        s.append("operations: ").append(report.path("operations")).append('\n');
        s.append("slowest publish/yank calls (ms): ").append(report.path("slowest_call_ms")).append('\n');
        s.append("invariants checked: ").append(report.path("invariants_checked")).append('\n');
        s.append("convergence (ms, from publication or heal to searchable and installed): ").append(report.path("convergence_ms")).append('\n');
        s.append("  of packs published during the cut, on the other side, from the heal: ").append(report.path("convergence_after_heal_ms")).append('\n');
        report.path("convergence_by_kind_ms").properties().forEach(e -> s.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
        s.append("yank convergence (ms): ").append(report.path("yank_convergence_ms")).append('\n');
        s.append("violations: ").append(violations.size()).append('\n');
        for (String v : violations) s.append("  ").append(v).append('\n');
        Files.writeString(config.workDir().resolve("chaos-summary.txt"), s.toString());
        System.out.print(s);
    }

    private void fault(String kind, LabNode node, String what) {
        faults.addObject().put("t_s", (System.currentTimeMillis() - startMillis) / 1000.0).put("kind", kind).put("node", node == null ? "all" : node.name()).put("what", what);
        log(kind + (node == null ? "" : " " + node.name()) + ": " + what);
    }

    private void log(String s) {
        System.out.printf(Locale.ROOT, "[chaos %6.1f s] %s%n", (System.currentTimeMillis() - startMillis) / 1000.0, s);
    }
}
