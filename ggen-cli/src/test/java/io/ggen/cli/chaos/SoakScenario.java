package io.ggen.cli.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.testing.ChaosNet;
import io.ggen.cli.testing.Ggen;
import io.ggen.p2p.interop.PeerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The soak: {@code nodes} real {@code ggen} nodes in {@link ChaosNet} (no partition, 1% loss)
 * for {@code minutes}, with churn (every 5 minutes a tenth of the honest nodes leave: half are
 * killed and come back on the same data directory, half stop for good and are replaced by
 * fresh nodes with new identities) and three hostile peers:
 * <ul>
 *   <li>a <b>junk gossiper</b>: the Java interop peer on the announcement topic publishing
 *       random bytes every second, and putting random bytes under {@code /ggen/pkg/} keys in the
 *       DHT (gossipsub must REJECT and score it down; the DHT validator refuse the records);</li>
 *   <li>a <b>forger</b>: a ggen node with a key of its own publishing a release under an id an
 *       honest publisher owns (refused everywhere: trust on first use);</li>
 *   <li>a <b>liar</b>: a ggen node that fetches every pack, then corrupts the archives in its
 *       store, so it advertises as a provider and serves bad bytes (never installed: CID check).</li>
 * </ul>
 * An honest publisher publishes a new pack every 7.5 s in every other 5 minutes (bursts, so that
 * the memory per pack can be told from growth with time); the honest nodes fetch packs at random.
 * Per one-minute window: honest delivery (of the packs published in the window, the share of
 * (pack, live honest node) pairs whose search lists it 60 s after publication) and install
 * success (fetch jobs, every archive then checked against the publisher's bytes); per node per
 * minute: threads, fds and RSS.
 */
public final class SoakScenario {
    /** {@code delay} and {@code jitter}: every link's one-way delay, uniform in delay +/- jitter (zero: none). */
    public record Config(int nodes, Duration duration, long seed, Path workDir, Duration delay, Duration jitter) {
        public Config {
            if (nodes < 8 || nodes > 40) throw new IllegalArgumentException("nodes must be 8..40 (4 publishers, a seed, 3 hostile peers), got " + nodes);
            if (jitter.compareTo(delay) > 0) throw new IllegalArgumentException("jitter must be at most the delay, got " + jitter + " > " + delay);
        }

        public static Config fromProperties(Path workDir) {
            return new Config(Integer.getInteger("soak.nodes", 20), Duration.ofMinutes(Long.getLong("soak.minutes", 30)),
                    Long.getLong("soak.seed", System.nanoTime()), workDir,
                    Duration.ofMillis(Long.getLong("soak.delay.ms", 25)), Duration.ofMillis(Long.getLong("soak.jitter.ms", 5)));
        }
    }

    /**
     * Only the soak's nodes track native memory (a few percent of CPU and a word per malloc), so
     * that {@code VM.native_memory summary} can say which part of the RSS grows.
     */
    static final List<String> SOAK_JVM_OPTIONS = soakJvmOptions();

    /**
     * The soak's own options, then {@code soak.node.options} (white-space separated, from
     * {@code scripts/soak --node-options}): an option set tried in a soak before it goes into
     * {@code scripts/node.options}, or a diagnostic such as {@code -Xlog:class+load}. The
     * string {@code {out}} stands for the run's directory.
     */
    private static List<String> soakJvmOptions() {
        List<String> out = new ArrayList<>(List.of("-XX:NativeMemoryTracking=summary"));
        String extra = System.getProperty("soak.node.options", "").strip();
        String dir = System.getProperty("soak.out", "");
        // Every node logs the classes it loads (about 1 MB each), so that a node whose class count
        // rises can be told apart: the same kind spun again and again, or first runs of code.
        if (!dir.isEmpty()) out.add(ClassLoadLog.option(Path.of(dir)));
        if (!extra.isEmpty()) for (String o : extra.split("\\s+")) out.add(o.replace("{out}", dir));
        return List.copyOf(out);
    }

    private final Config config;
    private final Workload work;
    private final Random random;
    // Replaced in place by the churn while the sampler thread reads it.
    private final List<LabNode> honest = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<LabNode> publishers = new ArrayList<>();
    private final List<Workload.Pack> packs = new ArrayList<>();
    private final Map<Integer, long[]> windows = new LinkedHashMap<>(); // minute -> delivered, expected, installOk, installFailed, publishes
    private final ArrayNode samples = Ggen.JSON.createArrayNode();
    private final ArrayNode faults = Ggen.JSON.createArrayNode();
    private final List<String> violations = new ArrayList<>();
    private final List<Workload.Pack> pendingDelivery = new ArrayList<>();
    private ChaosNet net;
    private LabNode forger, liar;
    private PeerProcess junk;
    private long start;
    private int replacements;
    private String delayUnavailable;
    private final MemoryWatch memory;
    /** Packs published so far, read by the sampler thread. */
    private final java.util.concurrent.atomic.AtomicInteger published = new java.util.concurrent.atomic.AtomicInteger();
    /** When the last round of samples ended (the sampler thread writes it, the report reads it). */
    private volatile Instant lastSampleAt;

    /**
     * Publishing comes in bursts: {@value #PUBLISH_PHASE_MINUTES} minutes of a pack every 7.5 s,
     * then as long without (4 a minute on average; 5-minute phases, so the last 20 minutes hold two whole cycles), while fetches, junk and churn go on. The
     * packs published and the time then vary apart, so that the live heap's growth can be split
     * into what the nodes keep per pack and what grows with time alone ({@link MemoryWatch}).
     */
    static final int PUBLISH_PHASE_MINUTES = 5;
    static final long PUBLISH_EVERY_MS = 7_500;

    static boolean publishingPhase(long sinceStartMillis) {
        return (sinceStartMillis / (PUBLISH_PHASE_MINUTES * 60_000L)) % 2 == 0;
    }

    public SoakScenario(Config config) {
        this.config = config;
        this.work = new Workload(config.workDir(), config.seed());
        this.random = new Random(config.seed() ^ 0x50a6);
        this.memory = new MemoryWatch((int) (MemoryWatch.BASELINE_MINUTE + config.duration().toMinutes()) / 2);
    }

    public ObjectNode run() throws Exception {
        start = System.currentTimeMillis();
        String prefix = System.getProperty("soak.prefix", "g19s-" + Integer.toHexString(new Random().nextInt(0x1000, 0xffff)));
        net = ChaosNet.create(config.nodes(), prefix);
        try {
            return runIn();
        } finally {
            for (LabNode n : honest) n.stop();
            if (forger != null) forger.stop();
            if (liar != null) liar.stop();
            if (junk != null) junk.close();
            net.close();
        }
    }

    private LabNode node(ChaosNet.Place p, String tag) throws IOException {
        return new LabNode(net, p, config.workDir().resolve("nodes").resolve("n" + p.index() + tag), SOAK_JVM_OPTIONS);
    }

    private ObjectNode runIn() throws Exception {
        List<ChaosNet.Place> places = net.places();
        for (ChaosNet.Place p : places) net.setLoss(p, 0.01);
        if (!config.delay().isZero()) {
            delayUnavailable = ChaosNet.delayUnavailable().orElse(null);
            if (delayUnavailable == null) {
                for (ChaosNet.Place p : places) net.setDelay(p, config.delay(), config.jitter());
            } else {
                log("links NOT delayed: " + delayUnavailable);
            }
        }
        // The last three places are the hostile peers'; four honest nodes publish.
        int honestCount = places.size() - 3;
        for (int i = 0; i < honestCount; i++) honest.add(node(places.get(i), ""));
        for (int i = 1; i <= 4; i++) publishers.add(honest.get(i));
        forger = node(places.get(honestCount), "-forger");
        liar = node(places.get(honestCount + 1), "-liar");
        for (LabNode pub : publishers) keygen(pub);
        keygen(forger);
        LabNode seed = honest.get(0);
        seed.start(List.of());
        List<LabNode> rest = new ArrayList<>(honest.subList(1, honest.size()));
        rest.add(forger);
        rest.add(liar);
        startAll(rest, List.of(seed.addr()));
        ChaosNet.Place junkPlace = places.get(honestCount + 2);
        junk = PeerProcess.javaIn(junkPlace.ns(), config.duration().toSeconds() + 600, Map.of(), "--host", junkPlace.ip(), "--port", "4001",
                "--dht-protocol", "/ggen/kad/1.0.0", "--no-warmup", "--bootstrap", seed.addr());
        net.own(junk.process());
        junk.call(PeerProcess.cmd("subscribe").put("topic", "/ggen/packages/v1"));
        log("all nodes ready: " + honest.size() + " honest, a forger, a liar, a junk gossiper");

        long end = start + config.duration().toMillis();
        // Sampling asks every node's JVM (heap, native memory, a histogram): seconds per round
        // under load, so on a thread of its own, not holding up the publishes and fetches.
        Thread sampler = Thread.ofPlatform().name("soak-sampler").daemon(true).start(() -> {
            long next = System.currentTimeMillis();
            while (System.currentTimeMillis() < end - 30_000) {
                long wait = next - System.currentTimeMillis();
                if (wait > 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(wait, 1_000)));
                    continue;
                }
                sample(false);
                next += 60_000;
            }
        });
        long nextPublish = System.currentTimeMillis(), nextChurn = start + Duration.ofMinutes(5).toMillis();
        long nextJunk = System.currentTimeMillis(), nextInstall = System.currentTimeMillis(), nextForge = start + 60_000, nextLie = start + 90_000;
        while (System.currentTimeMillis() < end) {
            long now = System.currentTimeMillis();
            if (now >= nextPublish && publishingPhase(now - start)) {
                publishOne();
                nextPublish = now + PUBLISH_EVERY_MS;
            }
            if (now >= nextInstall) {
                installSome();
                nextInstall = now + 5_000;
            }
            if (now >= nextJunk) {
                junkOnce();
                nextJunk = now + 1_000;
            }
            if (now >= nextForge) {
                forgeOnce();
                nextForge = now + 120_000;
            }
            if (now >= nextLie) {
                lieOnce();
                nextLie = now + 60_000;
            }
            if (now >= nextChurn) {
                churn();
                nextChurn = now + Duration.ofMinutes(5).toMillis();
            }
            checkDeliveries(false);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
        checkDeliveries(true);
        sampler.join(Duration.ofMinutes(3));
        sample(true);
        return report();
    }

    private void keygen(LabNode n) throws Exception {
        Ggen.Result key = Ggen.at(n.home).run("marketplace", "key", "generate");
        if (key.exit() != 0) throw new IllegalStateException("key generate: " + key);
    }

    private void startAll(List<LabNode> list, List<String> bootstrap) throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Exception> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        // Four at a time: twenty JVMs starting at once on two cores starve each other past the start timeout.
        for (int i = 0; i < list.size(); i += 4) {
            for (LabNode n : list.subList(i, Math.min(list.size(), i + 4))) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        n.start(bootstrap);
                    } catch (Exception e) {
                        errors.add(e);
                    }
                }));
            }
            for (Thread t : threads) t.join();
            threads.clear();
        }
        if (!errors.isEmpty()) throw errors.get(0);
    }

    private int minute() {
        return (int) ((System.currentTimeMillis() - start) / 60_000);
    }

    private long[] window(int minute) {
        return windows.computeIfAbsent(minute, m -> new long[5]);
    }

    private void publishOne() {
        LabNode pub = publishers.get(random.nextInt(publishers.size()));
        if (!pub.alive()) return;
        try {
            Workload.Pack p = work.pack("io.soak.p" + packs.size(), "1.0.0", work.word(), pub);
            work.publish(p, false);
            packs.add(p);
            published.incrementAndGet();
            pendingDelivery.add(p);
            window(minute())[4]++;
        } catch (IOException e) {
            violations.add("publish on " + pub.name() + " failed at minute " + minute() + ": " + e.getMessage());
        }
    }

    /** Packs published 60 s ago or more: which live honest nodes list them now. */
    private void checkDeliveries(boolean all) {
        long now = System.currentTimeMillis();
        for (var it = pendingDelivery.iterator(); it.hasNext(); ) {
            Workload.Pack p = it.next();
            if (!all && now - p.publishedAtMillis < 60_000) continue;
            it.remove();
            long[] w = window((int) ((p.publishedAtMillis - start) / 60_000));
            for (LabNode n : honest) {
                if (!n.alive()) continue;
                w[1]++;
                if (work.searchFinds(n, p)) w[0]++;
            }
        }
    }

    private void installSome() {
        List<Workload.Pack> old = packs.stream().filter(p -> System.currentTimeMillis() - p.publishedAtMillis > 60_000).toList();
        if (old.isEmpty()) return;
        for (int i = 0; i < 3; i++) {
            LabNode n = honest.get(random.nextInt(honest.size()));
            Workload.Pack p = old.get(random.nextInt(old.size()));
            if (!n.alive()) continue;
            long[] w = window(minute());
            String job = work.startFetch(n, p.spec());
            String outcome = null;
            long deadline = System.currentTimeMillis() + 60_000;
            while (job != null && outcome == null && System.currentTimeMillis() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                outcome = work.fetchOutcome(n, job);
            }
            if (job == null || outcome == null || !outcome.isEmpty()) {
                w[3]++;
                continue;
            }
            try {
                String problem = Workload.storedBytesProblem(n, p);
                if (problem != null) violations.add("bytes: " + problem);
                w[problem == null ? 2 : 3]++;
            } catch (IOException e) {
                w[3]++;
            }
        }
    }

    private void junkOnce() {
        try {
            byte[] junkBytes = new byte[64 + random.nextInt(512)];
            random.nextBytes(junkBytes);
            junk.call(PeerProcess.cmd("publish").put("topic", "/ggen/packages/v1").put("data", Base64.getEncoder().encodeToString(junkBytes)), Duration.ofSeconds(10));
            work.count("hostile.junk-gossip", true);
            if (random.nextInt(10) == 0 && !packs.isEmpty()) {
                junk.call(PeerProcess.cmd("put").put("key", "/ggen/pkg/" + packs.get(random.nextInt(packs.size())).id)
                        .put("value", Base64.getEncoder().encodeToString(junkBytes)), Duration.ofSeconds(30));
                work.count("hostile.junk-dht-put", true);
            }
        } catch (RuntimeException e) {
            work.count("hostile.junk", false);
        }
    }

    /**
     * The forger comes back as a new identity with a new key and an empty catalog, publishes a
     * newer version of an honest pack offline (its node, never having seen the id, has no owner
     * to refuse it), then starts: the node announces it and syncs it to whoever asks. Every
     * honest node must refuse it (trust on first use).
     */
    private void forgeOnce() throws Exception {
        if (packs.isEmpty()) return;
        Workload.Pack victim = packs.get(random.nextInt(packs.size()));
        forger.stop();
        forger = node(forger.place, "-forger" + (++replacements));
        keygen(forger);
        Workload.Pack forged = work.pack(victim.id, "9.9." + replacements, victim.word, forger);
        Ggen.Result r = Ggen.at(forger.home).run("marketplace", "p2p", "publish", forged.src.toString());
        work.count("hostile.forged-publish", r.exit() == 0);
        if (r.exit() != 0) return;
        forger.start(List.of(honest.get(0).addr()));
        faults.addObject().put("t_s", secs()).put("kind", "forged release").put("what", forged.spec() + " by a new key");
        forgedSpecs.add(forged.spec());
    }

    private final Set<String> forgedSpecs = new HashSet<>();

    /** The liar takes every pack, then bends the bytes in its store. */
    private void lieOnce() {
        if (!liar.alive()) return;
        for (Workload.Pack p : packs.subList(Math.max(0, packs.size() - 4), packs.size())) {
            String job = work.startFetch(liar, p.spec());
            long deadline = System.currentTimeMillis() + 30_000;
            String outcome = null;
            while (job != null && outcome == null && System.currentTimeMillis() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                outcome = work.fetchOutcome(liar, job);
            }
        }
        try (Stream<Path> s = Files.walk(liar.home.resolve("store/objects"))) {
            int bent = 0;
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                byte[] b = Files.readAllBytes(f);
                if (b.length == 0) continue;
                b[b.length / 2] ^= 0x5a;
                Files.write(f, b);
                bent++;
            }
            work.count("hostile.bent-archives", true);
            faults.addObject().put("t_s", secs()).put("kind", "liar bent its archives").put("what", bent + " objects");
        } catch (IOException e) {
            work.count("hostile.bent-archives", false);
        }
    }

    private void churn() throws Exception {
        List<LabNode> candidates = honest.stream().filter(n -> !publishers.contains(n) && n != honest.get(0) && n.alive()).toList();
        // A tenth, rounded up (17 honest nodes: 2), so the churn is never below 10%.
        int count = (honest.size() + 9) / 10;
        List<LabNode> leaving = new ArrayList<>();
        List<LabNode> shuffled = new ArrayList<>(candidates);
        java.util.Collections.shuffle(shuffled, random);
        for (int i = 0; i < Math.min(count, shuffled.size()); i++) leaving.add(shuffled.get(i));
        for (int i = 0; i < leaving.size(); i++) {
            LabNode n = leaving.get(i);
            if (i % 2 == 0) {
                n.kill();
                faults.addObject().put("t_s", secs()).put("kind", "churn: kill -9 and back").put("node", n.name());
                n.start(List.of(honest.get(0).addr()));
            } else {
                n.stop();
                LabNode fresh = node(n.place, "-r" + (++replacements));
                honest.set(honest.indexOf(n), fresh);
                fresh.start(List.of(honest.get(0).addr()));
                faults.addObject().put("t_s", secs()).put("kind", "churn: left, a fresh node took its place").put("node", n.name());
            }
        }
    }

    /**
     * Every live honest node's threads, fds and RSS ({@code /proc}), heap in use and committed
     * ({@code GC.heap_info}) and native memory by category ({@code VM.native_memory summary});
     * then a live-object histogram (a full collection) on the nodes that take one every minute,
     * on every node once as its baseline (minute 3, or two minutes into a restarted node's life), and on every node at the end.
     */
    private void sample(boolean last) {
        int minute = minute();
        int packsPublished = published.get();
        ObjectNode s = Ggen.JSON.createObjectNode().put("minute", minute).put("load_average", loadAverage()).put("packs_published", packsPublished);
        ArrayNode per = s.putArray("nodes");
        for (LabNode n : honest) {
            if (!n.alive()) continue;
            try {
                long pid = n.pid();
                LabNode.Resources r = n.resources();
                ObjectNode o = Ggen.JSON.createObjectNode().put("node", n.home.getFileName().toString()).put("pid", pid)
                        .put("threads", r.threads()).put("fds", r.fds()).put("rss_kib", r.rssKib()).put("packs_published", packsPublished);
                per.add(o);
                memory.sample(n.home.getFileName().toString(), pid, minute, MemoryWatch.collectsEveryMinute(n.place.index()), last, o,
                        config.workDir().resolve("histograms"));
            } catch (IOException | RuntimeException e) {
                // it just died (churn), or its JVM did not answer: the next sample has it again
                memory.probeFailed(n.name() + " at minute " + minute + ": " + e.getMessage());
            }
        }
        synchronized (samples) {
            samples.add(s);
        }
        lastSampleAt = Instant.now();
    }

    private double secs() {
        return (System.currentTimeMillis() - start) / 1000.0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private ObjectNode report() throws IOException {
        ObjectNode report = Ggen.JSON.createObjectNode();
        report.putObject("config").put("nodes", config.nodes()).put("minutes", config.duration().toMinutes()).put("seed", config.seed())
                .put("loss", 0.01).put("delay_ms", delayUnavailable == null ? config.delay().toMillis() : 0)
                .put("jitter_ms", delayUnavailable == null ? config.jitter().toMillis() : 0).put("delay_unavailable", delayUnavailable)
                .putPOJO("node_jvm_options", LabNode.NODE_JVM_OPTIONS).putPOJO("soak_jvm_options", SOAK_JVM_OPTIONS);
        report.put("started", Instant.ofEpochMilli(start).toString()).put("wall_seconds", secs()).put("load_average", loadAverage());
        ArrayNode ws = report.putArray("windows");
        for (var e : windows.entrySet()) {
            long[] w = e.getValue();
            ws.addObject().put("minute", e.getKey()).put("publishes", w[4]).put("delivered", w[0]).put("expected", w[1])
                    .put("delivery", w[1] == 0 ? null : (double) w[0] / w[1]).put("installs_ok", w[2]).put("installs_failed", w[3])
                    .put("install_success", w[2] + w[3] == 0 ? null : (double) w[2] / (w[2] + w[3]));
        }
        report.set("resources", samples);
        report.set("faults", faults);
        // Forged releases: no honest node may list one.
        int forgedChecks = 0;
        for (String spec : forgedSpecs) {
            String id = spec.substring(0, spec.indexOf('@')), version = spec.substring(spec.indexOf('@') + 1);
            for (LabNode n : honest) {
                if (!n.alive()) continue;
                forgedChecks++;
                try {
                    for (var v : n.api.get("/v1/packages/" + id, Duration.ofSeconds(10)).path("versions")) {
                        if (v.path("version").asText().equals(version)) violations.add("forged " + spec + " accepted by " + n.name());
                    }
                } catch (IOException e) {
                    // unreachable now: counted as not checked
                    forgedChecks--;
                }
            }
        }
        int crashes = 0;
        for (LabNode n : honest) {
            crashes += n.crashes.size();
            for (String c : n.crashes) violations.add("crash: " + n.name() + " " + c);
        }
        report.putObject("checks").put("forged_release_checks", forgedChecks).put("forged_releases", forgedSpecs.size()).put("unexpected_exits", crashes);
        List<String> logProblems = new ArrayList<>();
        ClassLoadLog.markLoadsOfTheCode(samples, config.workDir(), logProblems);
        report.putPOJO("class_load_log_problems", logProblems.size() > 20 ? logProblems.subList(0, 20) : logProblems);
        ObjectNode flatness = memory.flatness(samples);
        report.set("flatness", flatness);
        ObjectNode classLoads = report.putObject("classes_loaded_in_window");
        // From the window's first minute to the last sample: what the forged-release checks above
        // load afterwards is not in the samples the rule judged.
        Instant windowStart = Instant.ofEpochMilli(start).plus(Duration.ofMinutes(flatness.path("window_from_minute").asInt()));
        Instant windowEnd = lastSampleAt != null ? lastSampleAt : Instant.now();
        for (JsonNode key : flatness.path("classes_breached")) {
            try {
                Path log = ClassLoadLog.of(config.workDir(), Long.parseLong(key.asText().substring(key.asText().lastIndexOf('#') + 1)));
                classLoads.put(key.asText(), Files.exists(log) ? ClassLoadLog.describeWindow(ClassLoadLog.between(log, windowStart, windowEnd), 40) : "no class-load log");
            } catch (IOException | RuntimeException e) {
                classLoads.put(key.asText(), "class-load log unreadable: " + e.getMessage());
            }
        }
        report.set("histogram_growers", memory.growers());
        report.putPOJO("probe_failures", memory.probeFailures());
        report.putPOJO("operations", work.opCounts());
        ArrayNode v = report.putArray("violations");
        violations.forEach(v::add);
        Files.writeString(config.workDir().resolve("soak-report.json"), Ggen.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "soak: %d nodes, %.1f min, seed %d, load average %s%n", config.nodes(), secs() / 60, config.seed(), loadAverage()));
        s.append(String.format(Locale.ROOT, "links: %s, loss 1%%%n", delayUnavailable == null
                ? config.delay().toMillis() + " +/- " + config.jitter().toMillis() + " ms one way" : "not delayed (" + delayUnavailable + ")"));
        s.append("minute  publishes  delivery  installs ok/failed  threads(min-max)  rss MiB(min-max)  live heap MiB(min-max, nodes collected each minute)\n");
        for (var e : windows.entrySet()) {
            long[] w = e.getValue();
            String res = "";
            for (var sm : samples) {
                if (sm.path("minute").asInt() != e.getKey()) continue;
                long tmin = Long.MAX_VALUE, tmax = 0, rmin = Long.MAX_VALUE, rmax = 0;
                for (var nn : sm.path("nodes")) {
                    tmin = Math.min(tmin, nn.path("threads").asLong());
                    tmax = Math.max(tmax, nn.path("threads").asLong());
                    rmin = Math.min(rmin, nn.path("rss_kib").asLong() >> 10);
                    rmax = Math.max(rmax, nn.path("rss_kib").asLong() >> 10);
                }
                res = tmax == 0 ? "-" : String.format(Locale.ROOT, "%7d-%-8d %7d-%-8d %s", tmin, tmax, rmin, rmax, MemoryWatch.liveHeapRange(sm));
            }
            s.append(String.format(Locale.ROOT, "%6d %10d %9s %10d/%-8d %s%n", e.getKey(), w[4],
                    w[1] == 0 ? "-" : String.format(Locale.ROOT, "%.3f", (double) w[0] / w[1]), w[2], w[3], res));
        }
        s.append("operations: ").append(report.path("operations")).append('\n');
        s.append("checks: ").append(report.path("checks")).append('\n');
        s.append(MemoryWatch.describe(flatness, report.path("histogram_growers")));
        for (var e : report.path("classes_loaded_in_window").properties()) {
            s.append("classes ").append(e.getKey()).append(" loaded in the window (its class-load log): ").append(e.getValue().asText()).append('\n');
        }
        s.append("violations: ").append(violations.size()).append('\n');
        for (String x : violations) s.append("  ").append(x).append('\n');
        Files.writeString(config.workDir().resolve("soak-summary.txt"), s.toString());
        System.out.print(s);
        return report;
    }

    private void log(String s) {
        System.out.printf(Locale.ROOT, "[soak %6.1f s] %s%n", secs(), s);
    }
}
