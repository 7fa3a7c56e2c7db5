package io.ggen.cli.crash;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.testing.Ggen;
import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.marketplace.service.MarketplaceService;
import io.ggen.marketplace.service.PublishRequest;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Crash loops (issue 19): a small network of real {@code ggen} nodes on loopback, and {@code kills}
 * times a kill -9 at a random moment of one operation (publish, install, catalog sync, the DHT
 * republish at start), each followed by a restart of what was killed and the invariant check of
 * {@link CrashInvariants}. The moment is uniform within the operation's duration as measured on
 * this machine in the same run (a first run of each kind, uninterrupted), so the kills spread over
 * the operation's phases whatever the machine's load. Everything is seeded: a seed replays the
 * same choices (not the same timings, which the machine decides).
 */
public final class CrashLoop {
    public enum Kind { PUBLISH, INSTALL, SYNC, REPUBLISH }

    /**
     * @param packMiB size of each published pack (random, incompressible bytes): with the
     *     nodes' download limit of 1 MiB/s, an install of it takes about that many seconds
     * @param syncReleases signed releases in the catalog a fresh node syncs (the sync kills' window)
     * @param ownedPackages packages the republishing node owns (one DHT head and provider record each)
     * @param limit no kill starts after this time (from the start of the run)
     */
    public record Options(int kills, long seed, Path root, int packMiB, int syncReleases, int ownedPackages, Duration limit, PrintStream log) {}

    /** What a run did and found. */
    public record Summary(int planned, Map<Kind, Integer> kills, Map<String, Integer> victims, int checks, int ackedPublishes, int ackedInstalls,
                          Map<Kind, Duration> windows, long maxLeftoverBytesAtKill, List<String> violations, Duration wall) {
        public String render() {
            StringBuilder sb = new StringBuilder();
            int done = kills.values().stream().mapToInt(Integer::intValue).sum();
            sb.append("crash loop: ").append(done).append(" kills in ").append(wall.toSeconds()).append(" s")
                    .append(done < planned ? " (of " + planned + " planned: the time limit came first)" : "").append('\n');
            kills.forEach((k, n) -> sb.append("  ").append(k.name().toLowerCase()).append(": ").append(n).append(" kills, window ")
                    .append(windows.containsKey(k) ? windows.get(k).toMillis() + " ms" : "-").append('\n'));
            sb.append("  processes killed: ").append(victims).append('\n');
            sb.append("  acknowledged before or despite the kill: ").append(ackedPublishes).append(" publishes, ").append(ackedInstalls)
                    .append(" installs\n");
            sb.append("  largest leftover in store/tmp right after a kill: ").append(maxLeftoverBytesAtKill).append(" bytes\n");
            sb.append("  invariant checks: ").append(checks).append(", violations: ").append(violations.size()).append('\n');
            for (String v : violations) sb.append("  VIOLATION ").append(v).append('\n');
            return sb.toString();
        }
    }

    /** One node of the network: its data directory, its project directory, its process. */
    static final class Slot {
        final String name;
        final Ggen ggen;
        final Path project;
        Ggen.Running process;
        String peerId;

        Slot(String name, Ggen ggen, Path project) {
            this.name = name;
            this.ggen = ggen;
            this.project = project;
        }

        Path home() {
            return ggen.home;
        }
    }

    private final Options options;
    private final Random random;
    private final CrashInvariants invariants;
    private final List<Slot> nodes = new ArrayList<>();
    private final Map<Kind, Integer> kills = new EnumMap<>(Kind.class);
    private final Map<String, Integer> victims = new TreeMap<>();
    private final Map<Kind, Duration> windows = new EnumMap<>(Kind.class);
    private long maxLeftover;
    private int versionCounter;
    private int syncers;

    private CrashLoop(Options options) {
        this.options = options;
        this.random = new Random(options.seed());
        this.invariants = new CrashInvariants(options.log());
    }

    /** Runs the loop; every node it started is stopped when it returns or throws. */
    public static Summary run(Options options) throws Exception {
        CrashLoop loop = new CrashLoop(options);
        long t0 = System.nanoTime();
        try {
            loop.setUp();
            loop.loop();
        } finally {
            for (Slot s : loop.nodes) if (s.process != null) s.process.close();
        }
        return new Summary(options.kills(), loop.kills, loop.victims, loop.invariants.checks(), loop.invariants.ackedPublishes(), loop.invariants.ackedInstalls(),
                loop.windows, loop.maxLeftover, loop.invariants.violations(), Duration.ofNanos(System.nanoTime() - t0));
    }

    private void log(String format, Object... args) {
        options.log().println("[crashloop] " + String.format(format, args));
        options.log().flush();
    }

    // ---------------------------------------------------------------- the network

    static final String CONFIG = """
            [bandwidth]
            download = "1 MiB/s"
            """;

    private Slot slot(String name) throws IOException {
        Path home = Files.createDirectories(options.root().resolve(name));
        Files.writeString(home.resolve("p2p-config.toml"), CONFIG);
        return new Slot(name, Ggen.at(home), options.root().resolve("projects").resolve(name));
    }

    private final long setUpStarted = System.nanoTime();

    private void setUp() throws Exception {
        Slot n0 = slot("n0");
        Slot n1 = slot("n1");
        Slot n2 = slot("n2");
        nodes.addAll(List.of(n0, n1, n2));
        for (Slot s : nodes) {
            Ggen.Result key = s.ggen.run("marketplace", "key", "generate");
            if (key.exit() != 0) throw new IllegalStateException("key generate failed: " + key);
        }
        // n0 serves a large catalog (releases signed by others: catalog sync moves records, not
        // archives); n1 owns many packages, so its start-up republish takes a while.
        try (Catalog c = new MarketplaceHome(n0.home()).openCatalog()) {
            List<SignedRecord> records = syncRecords(options.syncReleases(), options.seed());
            for (int i = 0; i < records.size(); i += 5_000) c.addReleases(records.subList(i, Math.min(records.size(), i + 5_000)));
        }
        MarketplaceHome h1 = new MarketplaceHome(n1.home());
        try (Catalog c = h1.openCatalog()) {
            MarketplaceService offline = new MarketplaceService(h1, c, Optional.empty());
            for (int i = 0; i < options.ownedPackages(); i++) {
                Path dir = writePack("io.crash.owned" + i, "1.0.0", 0);
                offline.publish(new PublishRequest(dir, null, false, PublishRequest.DEFAULT_KEY));
            }
        }
        for (Slot s : nodes) {
            startNode(s);
            s.peerId = s.process.peerId;
            invariants.identity(s.home(), s.peerId);
        }
        log("network: %s", nodes.stream().map(s -> s.name + "=" + s.peerId).toList());
        // Everyone has the catalog before the first kill (n1, n2 synced it from n0 at start).
        for (Slot s : nodes) await().atMost(Duration.ofMinutes(3)).until(() -> releaseCount(s.home()) >= options.syncReleases());
        measureWindows();
    }

    /** Starts (or restarts) a node, bootstrapping from the other running nodes. */
    private void startNode(Slot s) throws Exception {
        s.process = s.ggen.startNode(bootstrapArgs(s));
    }

    private String[] bootstrapArgs(Slot s) {
        List<String> args = new ArrayList<>();
        for (Slot o : nodes) {
            if (o != s && o.process != null && o.process.process.isAlive()) args.addAll(List.of("--bootstrap", o.process.addr));
        }
        return args.toArray(String[]::new);
    }

    /** The first run of each kind, uninterrupted: its duration is the window the kills fall in. */
    private void measureWindows() throws Exception {
        long t = System.nanoTime();
        Published p = publish(nodes.get(0), null, null);
        if (p.exit != 0) throw new IllegalStateException("the first publish failed: " + p.result);
        windows.put(Kind.PUBLISH, Duration.ofNanos(System.nanoTime() - t));
        Slot installer = nodes.get(2);
        t = System.nanoTime();
        Ggen.Result r = installer.ggen.run("marketplace", "p2p", "install", p.id + "@" + p.version, "--target", installer.project.toString(), "--format",
                "json");
        if (r.exit() != 0) throw new IllegalStateException("the first install failed: " + r);
        windows.put(Kind.INSTALL, Duration.ofNanos(System.nanoTime() - t));
        invariants.acknowledgeInstall(installer.project, p.id, p.version);
        invariants.checkProject(installer.project);
        Slot syncer = slot("sync" + syncers++);
        startNode(syncer);
        t = System.nanoTime();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> releaseCount(syncer.home()) >= options.syncReleases());
        windows.put(Kind.SYNC, Duration.ofNanos(System.nanoTime() - t));
        syncer.process.close();
        deleteTree(syncer.home());
        Slot owner = nodes.get(1);
        owner.process.close();
        int before = republishLines(owner.home());
        startNode(owner);
        t = System.nanoTime();
        await().atMost(Duration.ofMinutes(3)).until(() -> republishLines(owner.home()) > before);
        windows.put(Kind.REPUBLISH, Duration.ofNanos(System.nanoTime() - t));
        log("windows (measured, uninterrupted): %s; set up in %d s", windows, Duration.ofNanos(System.nanoTime() - setUpStarted).toSeconds());
    }

    // ---------------------------------------------------------------- the loop

    private void loop() throws Exception {
        List<Kind> round = new ArrayList<>(List.of(Kind.values()));
        int done = 0;
        long end = setUpStarted + options.limit().toNanos();
        while (done < options.kills() && System.nanoTime() < end) {
            Collections.shuffle(round, random);
            for (Kind k : round) {
                if (done >= options.kills() || System.nanoTime() >= end) break;
                log("kill %d/%d: %s (load %s)", done + 1, options.kills(), k, loadAverage());
                switch (k) {
                    case PUBLISH -> killDuringPublish();
                    case INSTALL -> killDuringInstall();
                    case SYNC -> killDuringSync();
                    case REPUBLISH -> killDuringRepublish();
                }
                kills.merge(k, 1, Integer::sum);
                done++;
            }
        }
    }

    private long delayMillis(Kind k) {
        return (long) (random.nextDouble() * windows.get(k).toMillis());
    }

    /** Of the kills of publish and install, this share is at a crash point of the code ({@code GGEN_CRASH_POINT}) rather than a random moment. */
    static final double AT_CRASH_POINT = 0.25;

    private void killDuringPublish() throws Exception {
        Slot node = nodes.get(random.nextInt(2));
        if (random.nextDouble() < AT_CRASH_POINT && random.nextBoolean()) {
            // A local publish beside the node (no API) stops before its catalog transaction
            // commits, its archive already stored; the node is restarted after it.
            String point = "catalog-before-commit";
            String id = "io.crash." + node.name + ".local";
            String version = "1.0." + (++versionCounter);
            Path dir = writePack(id, version, 0);
            ProcessBuilder pb = node.ggen.builder(java.util.Map.of("GGEN_CRASH_POINT", point), "marketplace", "publish", dir.toString(), "--format",
                    "json");
            Path out = node.ggen.lastOut();
            Path err = node.ggen.lastErr();
            Process cli = pb.start();
            await().atMost(Duration.ofMinutes(2)).until(() -> !cli.isAlive() || Files.readString(err).contains("crash-point reached: " + point));
            boolean reached = cli.isAlive();
            cli.destroyForcibly();
            int exit = waitFor(cli);
            victims.merge("local publish command at " + point, 1, Integer::sum);
            log("  local publish %s@%s beside %s, command killed at %s: exit %d%s", id, version, node.name, point, exit,
                    reached ? "" : " (ended before the point: " + firstLine(err) + ")");
            if (exit == 0) invariants.acknowledgePublish(node.home(), id, version, Ggen.JSON.readTree(Files.readString(out)).path("cid").asText());
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            node.process.close();
            restartAndCheck(node);
            return;
        }
        if (random.nextDouble() < AT_CRASH_POINT / 2) {
            // The node stops inside the publish's archive write (bytes in store/tmp, not fsynced).
            String point = "store-object-partly-written";
            node.process.close();
            node.process = node.ggen.withEnv(java.util.Map.of("GGEN_CRASH_POINT", point)).startNode(bootstrapArgs(node));
            Ggen.Running armed = node.process;
            Published p = publish(node, () -> armed.stderrSoFar().contains("crash-point reached: " + point), "node at " + point);
            log("  publish %s@%s on %s, node killed at %s: exit %d", p.id, p.version, node.name, point, p.exit);
            restartAndCheck(node);
            return;
        }
        long delay = delayMillis(Kind.PUBLISH);
        long until = System.nanoTime() + delay * 1_000_000;
        Published p = publish(node, () -> System.nanoTime() >= until, "node");
        log("  publish %s@%s on %s, node killed at %d ms: exit %d", p.id, p.version, node.name, delay, p.exit);
        restartAndCheck(node);
    }

    private void killDuringInstall() throws Exception {
        int from = random.nextInt(2);
        Slot publisher = nodes.get(from);
        Slot installer = nodes.get(from == 0 ? 1 + random.nextInt(2) : (random.nextBoolean() ? 0 : 2));
        Published p = publish(publisher, null, null);
        if (p.exit != 0) {
            invariants.violation("publish " + p.id + "@" + p.version + " on " + publisher.name + " failed with no kill: " + p.result);
            return;
        }
        boolean atPoint = random.nextDouble() < AT_CRASH_POINT;
        boolean killCli = atPoint || random.nextBoolean();
        long delay = delayMillis(Kind.INSTALL);
        String point = "install-before-lock-commit";
        ProcessBuilder pb = installer.ggen.builder(atPoint ? java.util.Map.of("GGEN_CRASH_POINT", point) : java.util.Map.of(), "marketplace", "p2p",
                "install", p.id + "@" + p.version, "--target", installer.project.toString(), "--format", "json");
        Path out = installer.ggen.lastOut();
        Path err = installer.ggen.lastErr();
        Process cli = pb.start();
        boolean finishedFirst;
        if (atPoint) {
            // The command stops after swapping the pack directory in, before committing ggen.lock.
            await().atMost(Duration.ofMinutes(2)).until(() -> !cli.isAlive() || Files.readString(err).contains("crash-point reached: " + point));
            finishedFirst = !cli.isAlive();
        } else {
            finishedFirst = cli.waitFor(delay, TimeUnit.MILLISECONDS);
        }
        boolean nodeKilled = !killCli || finishedFirst;
        if (nodeKilled) kill(installer, "node");
        else {
            cli.destroyForcibly();
            victims.merge(atPoint ? "install command at " + point : "install command", 1, Integer::sum);
        }
        int exit = waitFor(cli);
        leftoverAtKill(installer);
        log("  install %s@%s into %s, %s killed at %s: exit %d %s", p.id, p.version, installer.name, nodeKilled ? "node" : "command",
                atPoint && !nodeKilled ? point : delay + " ms", exit,
                exit == 0 || exit == 137 ? "" : firstLine(err));
        if (exit == 0) invariants.acknowledgeInstall(installer.project, p.id, p.version);
        else invariants.attemptedInstall(installer.project, p.id, p.version);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        if (nodeKilled) restartAndCheck(installer);
        else {
            // The user's next look at the project (what a restart is for a command).
            Ggen.Result list = installer.ggen.run("marketplace", "list", "--target", installer.project.toString(), "--format", "json");
            if (list.exit() != 0) invariants.violation("list --target " + installer.project + " after a killed install: " + list);
            invariants.checkProject(installer.project);
        }
    }

    private void killDuringSync() throws Exception {
        Slot syncer = slot("sync" + syncers++);
        startNode(syncer);
        String id = syncer.process.peerId;
        invariants.identity(syncer.home(), id);
        long delay = delayMillis(Kind.SYNC);
        waitOn(syncer.process.process, delay);
        kill(syncer, "node");
        nodes.add(syncer);
        try {
            restartAndCheck(syncer);
            log("  fresh node %s killed %d ms into its catalog sync; %d releases in its catalog after the restart", syncer.name, delay,
                    releaseCountQuietly(syncer.home()));
            // Liveness after the crash: the sync picks up and completes.
            try {
                await().atMost(Duration.ofMinutes(2)).until(() -> releaseCount(syncer.home()) >= options.syncReleases());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                invariants.violation("node " + syncer.name + " restarted after a kill during catalog sync has " + releaseCountQuietly(syncer.home())
                        + " of " + options.syncReleases() + " releases after 2 minutes");
            }
        } finally {
            nodes.remove(syncer);
            syncer.process.close();
            deleteTree(syncer.home());
        }
    }

    private void killDuringRepublish() throws Exception {
        Slot owner = nodes.get(1);
        owner.process.close();
        startNode(owner);
        long delay = delayMillis(Kind.REPUBLISH);
        waitOn(owner.process.process, delay);
        kill(owner, "node");
        log("  %s killed %d ms after it was ready (republishing its %d packages)", owner.name, delay, options.ownedPackages());
        restartAndCheck(owner);
    }

    /** When to kill, polled while the command runs (and once more when it ended first). */
    interface Moment {
        boolean reached() throws Exception;
    }

    private void kill(Slot s, String what) throws InterruptedException {
        s.process.process.destroyForcibly();
        s.process.process.waitFor(30, TimeUnit.SECONDS);
        victims.merge(what, 1, Integer::sum);
        leftoverAtKill(s);
    }

    private void leftoverAtKill(Slot s) {
        maxLeftover = Math.max(maxLeftover, CrashInvariants.bytesIn(s.home().resolve("store/tmp")));
    }

    private void restartAndCheck(Slot s) throws Exception {
        java.nio.file.attribute.FileTime restartedAt = java.nio.file.attribute.FileTime.from(java.time.Instant.now());
        try {
            startNode(s);
        } catch (AssertionError e) {
            invariants.violation("node " + s.name + " did not start after a kill: " + e.getMessage());
            startNode(s);
        }
        invariants.checkNode(s.home(), s.process.peerId, restartedAt);
        invariants.checkProject(s.project);
    }

    // ---------------------------------------------------------------- operations

    record Published(String id, String version, int exit, String result) {}

    /**
     * Publishes a new version of the node's big pack through its node; with a {@code killAt}
     * moment, kills the node then (or when the command ended, if sooner).
     */
    private Published publish(Slot node, Moment killAt, String victim) throws Exception {
        String id = "io.crash." + node.name + ".big";
        String version = "1.0." + (++versionCounter);
        Path dir = writePack(id, version, options.packMiB());
        ProcessBuilder pb = node.ggen.builder(java.util.Map.of(), "marketplace", "p2p", "publish", dir.toString(), "--format", "json");
        Path out = node.ggen.lastOut();
        Path err = node.ggen.lastErr();
        Process cli = pb.start();
        if (killAt != null) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(10)).until(() -> !cli.isAlive() || killAt.reached());
            kill(node, victim);
        }
        int exit = waitFor(cli);
        String stdout = Files.readString(out);
        String text = stdout + Files.readString(err);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        if (exit == 0) invariants.acknowledgePublish(node.home(), id, version, Ggen.JSON.readTree(stdout).path("cid").asText());
        return new Published(id, version, exit, text);
    }

    /** A pack directory of {@code mib} MiB of random bytes (plus a small template). */
    private Path writePack(String id, String version, int mib) throws IOException {
        Path dir = Files.createDirectories(options.root().resolve("src").resolve(id).resolve(version).resolve("templates"));
        Files.writeString(dir.getParent().resolve("gpack.toml"), """
                [gpack]
                id = "%s"
                name = "Crash %s"
                version = "%s"
                description = "A pack the crash loop publishes and installs"
                license = "MIT"
                ggen_compat = ">=0.1"
                """.formatted(id, id, version));
        Files.writeString(dir.resolve("main.tmpl"), id + " " + version + "\n");
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < mib; i++) {
            random.nextBytes(chunk);
            Files.write(dir.resolve("blob" + i + ".tmpl"), chunk);
        }
        invariants.source(id, version, dir.getParent());
        return dir.getParent();
    }

    /** Releases signed by keys no node holds: n0 serves them by catalog sync only. */
    static List<SignedRecord> syncRecords(int releases, long seed) {
        Ed25519PrivateKey[] keys = new Ed25519PrivateKey[20];
        for (int i = 0; i < keys.length; i++) keys[i] = Ed25519PrivateKey.generate();
        List<SignedRecord> records = new ArrayList<>(releases);
        for (int i = 0; i < releases; i++) {
            int pkg = i / 3;
            Ed25519PrivateKey key = keys[pkg % keys.length];
            ReleaseRecord r = new ReleaseRecord("io.crash.sync-" + pkg, "1." + (i % 3) + ".0", ContentId.of(("content-" + seed + "-" + i).getBytes()),
                    1000 + i, "Pack " + pkg, "Release " + i + " of the catalog a fresh node syncs", "MIT", ">=0.1", new TreeMap<>(),
                    List.of("Author " + (pkg % 20)), List.of("crash"), List.of("cli"), List.of("crash"), null, null, key.publicKey(),
                    1_700_000_000_000L + i);
            records.add(SignedRecord.sign(r, key));
        }
        return records;
    }

    // ---------------------------------------------------------------- helpers

    static long releaseCount(Path home) {
        if (!Files.exists(home.resolve("catalog.db"))) return 0;
        try (Catalog c = Catalog.open(home.resolve("catalog.db"))) {
            return c.releaseCount();
        }
    }

    static long releaseCountQuietly(Path home) {
        try {
            return releaseCount(home);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Lines of the node's log saying its start-up republish is done. */
    static int republishLines(Path home) throws IOException {
        Path log = home.resolve("logs/node.log");
        if (!Files.exists(log)) return 0;
        try (Stream<String> lines = Files.lines(log)) {
            return (int) lines.filter(l -> l.contains("republished this node's packages")).count();
        }
    }

    /** Waits {@code millis} while the process runs: the random moment of a kill. */
    private static void waitOn(Process p, long millis) throws InterruptedException {
        p.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    private static int waitFor(Process p) throws InterruptedException {
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
        return p.exitValue();
    }

    private static String firstLine(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
