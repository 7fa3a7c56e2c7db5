package io.ggen.bench.marketplace;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.SearchQuery;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.p2p.MarketNet.Member;
import io.ggen.marketplace.p2p.MarketplaceNetwork;
import io.ggen.marketplace.p2p.ProviderAdmission;
import io.ggen.marketplace.p2p.ReleaseIntake;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The catalog's two goals of issue 18, each measured the way the node meets it:
 * <ul>
 *   <li>{@code sync [releases=10000] [runs=3]}: a fresh node connects to one whose catalog holds
 *       that many signed releases; its automatic catalog sync (the protocol the node speaks, every
 *       record verified) runs until done. Releases/s from the dial to the end of the sync, and the
 *       process's CPU time per 10,000 releases (both nodes are in this JVM: serving and
 *       ingesting).</li>
 *   <li>{@code sync-fresh [releases=10000] [runs=3]}: the same sync as a user meets it, the joining
 *       node a new JVM (this one's options) started for each run and syncing right after its
 *       start, the serving node in this JVM (cold for the first run, warm after). Each side's
 *       CPU is its own process's; the joining side's is also split by thread ({@link ThreadCpu}:
 *       JIT, collector, event loops, signature checks).</li>
 *   <li>{@code search [releases=100000] [queries=20000] [announcements-per-second=200]}: the
 *       synthetic catalog of {@link MarketplaceBench} (Zipf vocabulary), then 1-2 word searches,
 *       first alone, then while another thread hands announcements one by one to
 *       {@link ReleaseIntake#announce} (verify and check at once, commit in groups: what gossip's
 *       validator calls) at the given rate, then with the announcements as fast as they go.</li>
 *   <li>{@code search-cost [releases=100000] [queries=4000]}: where a search's time goes, on the same
 *       catalog with nothing else running: the statements of the ranked search one by one on a
 *       plain connection (FTS5's {@code bm25()} ranking, the same without {@code bm25()}, the
 *       candidates alone, their term vectors, the hits by rowid), then {@link Catalog#search}.</li>
 * </ul>
 * With no arguments, both with their defaults. Bounded: each phase stops by itself (a sync
 * that has not finished after 10 minutes is reported as such).
 */
public final class CatalogBench {
    private CatalogBench() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "all";
        Path dir = Files.createTempDirectory("ggen-catalog-bench-");
        try {
            switch (mode) {
                case "sync" -> sync(dir, arg(args, 1, 10_000), arg(args, 2, 3));
                case "sync-fresh" -> syncFresh(dir, arg(args, 1, 10_000), arg(args, 2, 3));
                case "join" -> join(dir, args[1], Integer.parseInt(args[2]));
                case "search" -> search(dir, arg(args, 1, 100_000), arg(args, 2, 20_000), arg(args, 3, 200));
                case "search-cost" -> searchCost(dir, arg(args, 1, 100_000), arg(args, 2, 4_000));
                case "all" -> {
                    sync(dir.resolve("sync"), 10_000, 3);
                    search(dir.resolve("search"), 100_000, 20_000, 200);
                }
                default -> {
                    System.err.println("usage: CatalogBench [all | sync [releases] [runs] | sync-fresh [releases] [runs] | search [releases] [queries] [announcements-per-second] | search-cost [releases] [queries]]");
                    System.exit(2);
                }
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    /** CPU time of this process so far (user + system, from /proc/self/stat), in seconds. */
    static double processCpuSeconds() throws IOException {
        return ThreadCpu.processTicks() / (double) CLOCK_TICKS;
    }

    /** USER_HZ: 100 on every Linux architecture the JDK runs on. */
    static final int CLOCK_TICKS = 100;

    static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    /**
     * With {@code -Dcatalog.bench.json=<file>}, each phase's figures are also appended to that
     * file as one JSON object per line (bench/run assembles its table from them).
     */
    static void json(String... fieldsAndValues) throws IOException {
        String file = System.getProperty("catalog.bench.json");
        if (file == null) return;
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            if (i > 0) sb.append(',');
            sb.append('"').append(fieldsAndValues[i]).append("\":");
            String v = fieldsAndValues[i + 1];
            boolean number = v.matches("-?[0-9]+(\\.[0-9]+)?");
            sb.append(number ? v : '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
        }
        Files.writeString(Path.of(file), sb.append("}\n"), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    static String num(double v, int decimals) {
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }

    static void sync(Path dir, int releases, int runs) throws Exception {
        if (releases < 1 || releases > 1_000_000 || runs < 1 || runs > 20) throw new IllegalArgumentException("releases 1..1000000, runs 1..20");
        Files.createDirectories(dir);
        List<Member> members = new ArrayList<>();
        try {
            Member old = new Member(dir.resolve("old"), MarketplaceNetwork.Transfers.DEFAULT);
            members.add(old);
            List<SignedRecord> records = syncRecords(releases);
            for (int i = 0; i < records.size(); i += 10_000) old.catalog.addReleases(records.subList(i, Math.min(records.size(), i + 10_000)));
            double[] rates = new double[runs];
            double[] cpu = new double[runs];
            for (int run = 0; run < runs; run++) {
                Member fresh = new Member(dir.resolve("new" + run), MarketplaceNetwork.Transfers.DEFAULT);
                members.add(fresh);
                String before = loadAverage();
                java.time.Instant started = java.time.Instant.now();
                double cpu0 = processCpuSeconds();
                long t0 = System.nanoTime();
                fresh.connect(old);
                long until = t0 + TimeUnit.MINUTES.toNanos(10);
                while (!fresh.net.catalogSynced(old.host.peerId()) && System.nanoTime() < until) LockSupport.parkNanos(1_000_000);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double cpuSeconds = processCpuSeconds() - cpu0;
                long got = fresh.catalog.releaseCount();
                rates[run] = got / seconds;
                cpu[run] = cpuSeconds * 10_000.0 / Math.max(1, got);
                // The run's wall-clock span (UTC) lets a profile of the process be cut into runs.
                System.out.printf("sync run %d: %d of %d releases in %.2f s = %.0f releases/s; process CPU %.2f s = %.2f CPU-s per 10k releases; load %s -> %s; %s to %s%n",
                        run + 1, got, releases, seconds, rates[run], cpuSeconds, cpu[run], before, loadAverage(), started, java.time.Instant.now());
                fresh.close();
                members.remove(fresh);
            }
            Arrays.sort(rates);
            Arrays.sort(cpu);
            System.out.printf("sync: median of %d runs: %.0f releases/s (min %.0f, max %.0f), %.2f CPU-s per 10k releases%n", runs, rates[runs / 2],
                    rates[0], rates[runs - 1], cpu[runs / 2]);
            json("bench", "catalog-sync", "releases", String.valueOf(releases), "runs", String.valueOf(runs), "releasesPerSecond", num(rates[runs / 2], 0),
                    "releasesPerSecondMin", num(rates[0], 0), "releasesPerSecondMax", num(rates[runs - 1], 0), "cpuSecondsPer10k", num(cpu[runs / 2], 2),
                    "loadEnd", loadAverage());
        } finally {
            for (Member m : members) m.close();
        }
    }

    static void syncFresh(Path dir, int releases, int runs) throws Exception {
        if (releases < 1 || releases > 1_000_000 || runs < 1 || runs > 20) throw new IllegalArgumentException("releases 1..1000000, runs 1..20");
        Files.createDirectories(dir);
        try (Member old = new Member(dir.resolve("old"), MarketplaceNetwork.Transfers.DEFAULT)) {
            List<SignedRecord> records = syncRecords(releases);
            for (int i = 0; i < records.size(); i += 10_000) old.catalog.addReleases(records.subList(i, Math.min(records.size(), i + 10_000)));
            String address = old.host.listenAddrs().get(0).withPeerId(old.host.peerId()).toString();
            double[] rates = new double[runs];
            double[] joinCpu = new double[runs];
            double[] serveCpu = new double[runs];
            for (int run = 0; run < runs; run++) {
                List<String> command = new ArrayList<>();
                command.add(ProcessHandle.current().info().command().orElseThrow());
                // The joiner runs with this JVM's own options (the node's), less a recording or
                // bench property meant for this process; catalog.bench.joinOptions adds some
                // ("%d" in them becomes the run's number: one recording per run). Variants
                // separated by '|' take turns, run after run (two JVM configurations
                // interleaved in one command).
                for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                    if (!a.startsWith("-XX:StartFlightRecording") && !a.startsWith("-Dcatalog.bench.")) command.add(a);
                }
                String[] variants = System.getProperty("catalog.bench.joinOptions", "").split("\\|", -1);
                String extra = variants[run % variants.length].strip();
                if (!extra.isEmpty()) for (String a : extra.split("\\s+")) command.add(a.replace("%d", String.valueOf(run + 1)));
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), CatalogBench.class.getName(), "join",
                        address, String.valueOf(releases)));
                String before = loadAverage();
                ThreadCpu serve0 = ThreadCpu.snapshot();
                Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
                String result = null;
                java.util.ArrayDeque<String> tail = new java.util.ArrayDeque<>(); // its last lines, shown if it fails
                try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("join-result ")) result = line;
                        else if (line.startsWith("join")) System.out.println("  run " + (run + 1) + " " + line);
                        tail.addLast(line);
                        if (tail.size() > 20) tail.removeFirst();
                    }
                }
                if (!child.waitFor(1, TimeUnit.MINUTES)) {
                    child.destroyForcibly();
                    throw new IllegalStateException("the joining node of run " + (run + 1) + " closed its output but did not exit");
                }
                if (child.exitValue() != 0 || result == null) {
                    tail.forEach(System.err::println);
                    throw new IllegalStateException("the joining node of run " + (run + 1) + " failed (exit " + child.exitValue() + ", output above)");
                }
                Map<String, Double> serving = ThreadCpu.snapshot().since(serve0);
                String[] f = result.split(" ");
                long got = Long.parseLong(f[1]);
                double seconds = Double.parseDouble(f[2]);
                rates[run] = got / seconds;
                joinCpu[run] = Double.parseDouble(f[3]) * 10_000.0 / Math.max(1, got);
                serveCpu[run] = serving.values().stream().mapToDouble(Double::doubleValue).sum() * 10_000.0 / Math.max(1, got);
                System.out.printf("sync-fresh run %d (serving node %s%s): %d of %d releases in %.2f s = %.0f releases/s; joining node %.2f CPU-s per 10k, serving node %.2f CPU-s per 10k; load %s -> %s%n",
                        run + 1, run == 0 ? "cold" : "warm", extra.isEmpty() ? "" : "; joining node with " + extra, got, releases, seconds, rates[run],
                        joinCpu[run], serveCpu[run], before, loadAverage());
                System.out.println("  run " + (run + 1) + " serving node CPU-s by thread: " + ThreadCpu.format(serving));
            }
            double[] sortedRates = rates.clone();
            Arrays.sort(sortedRates);
            double[] sortedCpu = joinCpu.clone();
            Arrays.sort(sortedCpu);
            System.out.printf("sync-fresh: every joining node fresh; median of %d runs: %.0f releases/s (min %.0f, max %.0f), joining node %.2f CPU-s per 10k releases%n",
                    runs, sortedRates[runs / 2], sortedRates[0], sortedRates[runs - 1], sortedCpu[runs / 2]);
            json("bench", "catalog-sync-fresh", "releases", String.valueOf(releases), "runs", String.valueOf(runs),
                    "releasesPerSecond", num(sortedRates[runs / 2], 0), "releasesPerSecondMin", num(sortedRates[0], 0),
                    "releasesPerSecondMax", num(sortedRates[runs - 1], 0), "joinCpuSecondsPer10k", num(sortedCpu[runs / 2], 2),
                    "firstRunReleasesPerSecond", num(rates[0], 0), "firstRunServeCpuSecondsPer10k", num(serveCpu[0], 2), "loadEnd", loadAverage());
        }
    }

    /**
     * The joining side of {@link #syncFresh}, in a JVM of its own: a node started as the product
     * starts one, dialing the serving node at once; prints its figures and a {@code join-result}
     * line for the parent.
     */
    static void join(Path dir, String address, int expected) throws Exception {
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        try (Member fresh = new Member(dir.resolve("join"), MarketplaceNetwork.Transfers.DEFAULT)) {
            double startup = (System.currentTimeMillis() - jvmStart) / 1e3;
            double cpuAtStart = processCpuSeconds();
            io.ggen.p2p.multiaddr.Multiaddr target = io.ggen.p2p.multiaddr.Multiaddr.fromString(address);
            PeerId peer = target.peerId().orElseThrow();
            ThreadCpu cpu0 = ThreadCpu.snapshot();
            long t0 = System.nanoTime();
            fresh.host.dial(target).get(20, TimeUnit.SECONDS).identified().get(20, TimeUnit.SECONDS);
            long until = t0 + TimeUnit.MINUTES.toNanos(10);
            // Polled every 5 ms, not every 1: this thread's wake-ups are counted in the node's CPU
            // (0.15-0.2 CPU-s per sync at 1 ms); the end is seen at most 5 ms late.
            while (!fresh.net.catalogSynced(peer) && System.nanoTime() < until) LockSupport.parkNanos(5_000_000);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Double> groups = ThreadCpu.snapshot().since(cpu0);
            double cpu = groups.values().stream().mapToDouble(Double::doubleValue).sum();
            long got = fresh.catalog.releaseCount();
            System.out.printf("joining node: JVM start to node ready %.2f s (%.2f CPU-s); sync CPU-s by thread: %s%n", startup, cpuAtStart,
                    ThreadCpu.format(groups));
            System.out.printf(java.util.Locale.ROOT, "join-result %d %.4f %.4f%n", got, seconds, cpu);
            if (got < expected) System.out.printf("joining node: only %d of %d releases%n", got, expected);
        }
    }

    /** Releases as P2pMarketBench's sync makes them: 3 versions per package, 50 publishers. */
    static List<SignedRecord> syncRecords(int releases) {
        Ed25519PrivateKey[] keys = new Ed25519PrivateKey[50];
        for (int i = 0; i < keys.length; i++) keys[i] = Ed25519PrivateKey.generate();
        List<SignedRecord> records = new ArrayList<>(releases);
        for (int i = 0; i < releases; i++) {
            int pkg = i / 3;
            Ed25519PrivateKey key = keys[pkg % keys.length];
            ReleaseRecord r = new ReleaseRecord("io.bench.sync-" + pkg, "1." + (i % 3) + ".0", ContentId.of(("content-" + i).getBytes()), 1000 + i,
                    "Pack " + pkg, "Release " + i + " of a catalog to sync", "MIT", ">=0.1", new TreeMap<>(), List.of("Author " + (pkg % 50)),
                    List.of("sync", "bench"), List.of("cli"), List.of("bench"), null, null, key.publicKey(), 1_700_000_000_000L + i);
            records.add(SignedRecord.sign(r, key));
        }
        return records;
    }

    /**
     * The search benchmarks' catalog of {@code releases} at {@code dir/catalog.db}, built, or copied
     * from {@code -Dcatalog.bench.reuse=<file>}-{@code releases} when an earlier run kept it there.
     */
    static Path searchCatalog(Path dir, int releases, String[] vocab) throws Exception {
        Path file = dir.resolve("catalog.db");
        // -Dcatalog.bench.reuse=<file>: the built catalog is kept there and copied in by later
        // runs of the same size, so comparing two builds of the code costs minutes, not tens.
        String reuse = System.getProperty("catalog.bench.reuse");
        Path kept = reuse == null ? null : Path.of(reuse + "-" + releases);
        if (kept != null && Files.exists(kept)) {
            Files.copy(kept, file);
            System.out.printf("search: catalog of %d releases copied from %s%n", releases, kept);
        } else {
            List<SignedRecord> records = catalogRecords(vocab, releases);
            try (Catalog catalog = Catalog.open(file)) {
                long t0 = System.nanoTime();
                for (int i = 0; i < records.size(); i += 10_000) catalog.addReleases(records.subList(i, Math.min(records.size(), i + 10_000)));
                System.out.printf("search: catalog of %d releases built in %.1f s (%.1f MiB)%n", releases, (System.nanoTime() - t0) / 1e9,
                        Files.size(file) / 1048576.0);
            }
            if (kept != null) Files.copy(file, kept);
        }
        return file;
    }

    /** The search benchmarks' queries: one or two words of the Zipf vocabulary. */
    static String[] searchQueries(String[] vocab, int n) {
        MarketplaceBench.Zipf qz = new MarketplaceBench.Zipf(vocab.length, 7);
        Random r = new Random(3);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) out[i] = r.nextBoolean() ? vocab[qz.next()] : vocab[qz.next()] + " " + vocab[qz.next()];
        return out;
    }

    /** See the class comment: each statement of a ranked search timed alone, then the whole search. */
    static void searchCost(Path dir, int releases, int queries) throws Exception {
        if (releases < 1 || releases > 1_000_000 || queries < 100 || queries > 1_000_000) throw new IllegalArgumentException("releases 1..1000000, queries 100..1000000");
        Files.createDirectories(dir);
        String[] vocab = MarketplaceBench.vocabulary(5000);
        Path file = searchCatalog(dir, releases, vocab);
        try (Catalog catalog = Catalog.open(file)) { // brings an older catalog to the current schema
            catalog.releaseCount();
        }
        String[] texts = searchQueries(vocab, queries);
        String[] fts = new String[queries];
        for (int i = 0; i < queries; i++) fts[i] = "\"" + String.join("\" \"", texts[i].split(" ")) + "\"";
        String hit = "p.package_id, p.latest_version, p.name, p.description, p.license, p.fingerprint, p.keywords, p.tags, p.categories, p.authors,"
                + " p.updated_at, p.cid, p.size";
        String bm25 = "bm25(packages_fts, 10.0, 5.0, 1.0, 3.0, 3.0)";
        String newest = "FROM packages_fts WHERE packages_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2";
        java.util.LinkedHashMap<String, String> statements = new java.util.LinkedHashMap<>();
        statements.put("ranked by bm25() over the newest 250, best 21 joined (the search before round ten)", "SELECT " + hit + ", f.score FROM"
                + " (SELECT rowid AS r, " + bm25 + " AS score FROM packages_fts WHERE packages_fts MATCH ?1 AND rowid >= coalesce((SELECT rowid FROM"
                + " packages_fts WHERE packages_fts MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ?2 - 1), 0) ORDER BY score LIMIT 21) f"
                + " JOIN packages p ON p.rowid = f.r ORDER BY f.score, p.package_id");
        statements.put("the same with a constant for bm25()", "SELECT " + hit + ", f.score FROM (SELECT rowid AS r, 0.0 AS score FROM packages_fts"
                + " WHERE packages_fts MATCH ?1 AND rowid >= coalesce((SELECT rowid FROM packages_fts WHERE packages_fts MATCH ?1 ORDER BY rowid DESC"
                + " LIMIT 1 OFFSET ?2 - 1), 0) ORDER BY score LIMIT 21) f JOIN packages p ON p.rowid = f.r ORDER BY f.score, p.package_id");
        statements.put("bm25() of the newest match alone (its first call counts each term's rows)", "SELECT rowid, " + bm25 + " " + newest.replace("?2", "1 + 0 * ?2"));
        statements.put("the newest 250 matches, their rowids", "SELECT group_concat(r) FROM (SELECT rowid AS r " + newest + ")");
        statements.put("the newest 250 matches, their term vectors (round ten)", "SELECT group_concat(c.r || ' ' || k.terms, char(10)) FROM (SELECT rowid AS r "
                + newest + ") c LEFT JOIN packages_rank k ON k.rowid = c.r");
        statements.put("21 hits by rowid, their rowids found as the newest 21 matches (round ten)", "SELECT p.rowid, " + hit + " FROM packages p WHERE p.rowid IN (SELECT value FROM json_each("
                + "(SELECT json_group_array(r) FROM (SELECT rowid AS r " + newest.replace("?2", "21 + 0 * ?2") + "))))");
        System.out.printf("search-cost: %d queries of 1-2 words at %d releases, p50 / p90 / p99 of each alone (ms):%n", queries, releases);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("PRAGMA mmap_size = 268435456"); // as the catalog's readers
                st.execute("PRAGMA cache_size = -16384");
            }
            for (var e : statements.entrySet()) {
                try (java.sql.PreparedStatement ps = c.prepareStatement(e.getValue())) {
                    long[] lat = new long[queries];
                    for (int round = 0; round < 2; round++) { // the first warms up
                        for (int i = 0; i < queries; i++) {
                            long t = System.nanoTime();
                            ps.setString(1, fts[i]);
                            ps.setInt(2, 250);
                            try (java.sql.ResultSet rs = ps.executeQuery()) {
                                int columns = rs.getMetaData().getColumnCount();
                                while (rs.next()) for (int k = 1; k <= columns; k++) rs.getObject(k);
                            }
                            lat[i] = System.nanoTime() - t;
                        }
                    }
                    Arrays.sort(lat);
                    System.out.printf("  %-80s %.3f / %.3f / %.3f%n", e.getKey(), lat[queries / 2] / 1e6, lat[queries * 9 / 10] / 1e6, lat[queries * 99 / 100] / 1e6);
                }
            }
        }
        try (Catalog catalog = Catalog.open(file)) {
            long[] lat = new long[queries];
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < queries; i++) {
                    long t = System.nanoTime();
                    catalog.search(SearchQuery.text(texts[i]));
                    lat[i] = System.nanoTime() - t;
                }
            }
            Arrays.sort(lat);
            Catalog.RankedSearches ranked = catalog.rankedSearches();
            System.out.printf("  %-80s %.3f / %.3f / %.3f%n", "Catalog.search (ranked from term vectors " + ranked.byVectors() + ", by bm25() " + ranked.byBm25() + ")",
                    lat[queries / 2] / 1e6, lat[queries * 9 / 10] / 1e6, lat[queries * 99 / 100] / 1e6);
        }
    }

    static void search(Path dir, int releases, int queries, int announcementsPerSecond) throws Exception {
        if (releases < 1 || releases > 1_000_000 || queries < 100 || queries > 1_000_000 || announcementsPerSecond < 1) {
            throw new IllegalArgumentException("releases 1..1000000, queries 100..1000000, announcements-per-second >= 1");
        }
        Files.createDirectories(dir);
        String[] vocab = MarketplaceBench.vocabulary(5000);
        List<byte[]> announcements = announcements(vocab, 60_000);
        Path file = searchCatalog(dir, releases, vocab);
        // -Dcatalog.bench.batchMs=<ms>: another batching interval than the node's (comparing them).
        Catalog.Batching batching = Catalog.Batching.DEFAULT;
        String batchMs = System.getProperty("catalog.bench.batchMs");
        if (batchMs != null) {
            batching = new Catalog.Batching(Duration.ofMillis(Long.parseLong(batchMs)), batching.batchSize(), batching.capacity(), batching.stageWait());
        }
        // -Dcatalog.bench.ingest=one-by-one: each announcement in a transaction of its own, as the
        // node did before announcements were staged (ReleaseIntake.accept), for comparison.
        boolean oneByOne = "one-by-one".equals(System.getProperty("catalog.bench.ingest"));
        System.out.printf("search: ingest %s%n", oneByOne ? "one transaction per announcement (ReleaseIntake.accept)"
                : "as the node's gossip validator does (ReleaseIntake.announce), commits every " + batching.interval().toMillis() + " ms or "
                        + batching.batchSize() + " records");
        try (Catalog catalog = Catalog.open(file, batching)) {
            MarketplaceBench.Zipf qz = new MarketplaceBench.Zipf(vocab.length, 7);
            Random r = new Random(3);
            for (int i = 0; i < 2000; i++) catalog.search(SearchQuery.text(vocab[qz.next()])); // warm-up
            ReleaseIntake intake = new ReleaseIntake(catalog);
            ProviderAdmission.Source source = new ProviderAdmission.Source(PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey()).toString(), "127.0.0.1");
            String author = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey()).toString();
            int[] next = {0};
            searches("alone", "alone", catalog, vocab, qz, r, queries, null);
            searches("ingesting", "while ingesting " + announcementsPerSecond + " announcements/s", catalog, vocab, qz, r, queries,
                    new Ingest(intake, announcements, next, announcementsPerSecond, author, source, oneByOne));
            searches("flood", "while ingesting announcements as fast as they go", catalog, vocab, qz, r, queries,
                    new Ingest(intake, announcements, next, 0, author, source, oneByOne));
        }
    }

    /** Announcements handed to the intake one at a time, as gossipsub's validator does. */
    record Ingest(ReleaseIntake intake, List<byte[]> announcements, int[] next, int perSecond, String author, ProviderAdmission.Source source,
                  boolean oneByOne) {
        ReleaseIntake.Result take(byte[] announcement) {
            return oneByOne ? intake.accept(announcement, author, source) : intake.announce(announcement, author, source);
        }
    }

    static void searches(String phase, String label, Catalog catalog, String[] vocab, MarketplaceBench.Zipf qz, Random r, int queries, Ingest ingest) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ingested = new AtomicLong();
        AtomicLong deferred = new AtomicLong();
        Thread writer = null;
        if (ingest != null) {
            writer = Thread.ofPlatform().name("ingest").start(() -> {
                long start = System.nanoTime();
                long n = 0;
                while (!stop.get() && ingest.next()[0] < ingest.announcements().size()) {
                    if (ingest.perSecond() > 0) {
                        long due = start + n * 1_000_000_000L / ingest.perSecond();
                        long wait = due - System.nanoTime();
                        if (wait > 0) LockSupport.parkNanos(wait);
                    }
                    ReleaseIntake.Result taken = ingest.take(ingest.announcements().get(ingest.next()[0]++));
                    if (taken.outcome() == ReleaseIntake.Outcome.DEFERRED) deferred.incrementAndGet();
                    else if (taken.outcome() != ReleaseIntake.Outcome.ACCEPTED) throw new IllegalStateException("announcement not accepted: " + taken);
                    ingested.incrementAndGet();
                    n++;
                }
            });
        }
        long size = catalog.releaseCount();
        long commits0 = catalog.batchesCommitted();
        Catalog.RankedSearches ranked0 = catalog.rankedSearches();
        String load = loadAverage();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] lat = new long[queries];
        long[] cpu = new long[queries];
        long hits = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < queries; i++) {
            String q = r.nextBoolean() ? vocab[qz.next()] : vocab[qz.next()] + " " + vocab[qz.next()];
            long c = threads.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            hits += catalog.search(SearchQuery.text(q)).size();
            lat[i] = System.nanoTime() - s;
            cpu[i] = threads.getCurrentThreadCpuTime() - c;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        if (writer != null) writer.join(Duration.ofMinutes(1));
        long commits = catalog.batchesCommitted() - commits0;
        Catalog.RankedSearches ranked = catalog.rankedSearches();
        long byVectors = ranked.byVectors() - ranked0.byVectors();
        long byBm25 = ranked.byBm25() - ranked0.byBm25();
        Arrays.sort(lat);
        Arrays.sort(cpu);
        // Wall time is what a user waits; the searching thread's own CPU time is the part that
        // does not depend on what else the machine runs (it is shared with other work).
        System.out.printf("search %s: %d queries (avg %.1f hits) in %.1f s%s: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms;"
                        + " CPU of the searching thread p50 %.3f ms, p99 %.3f ms; ranked from term vectors %d, by bm25() %d; load %s -> %s%n", label,
                queries, (double) hits / queries, seconds,
                ingest == null ? "" : String.format(", %d announcements ingested (%.0f/s, %d batch commits, %d deferred: staging full)", ingested.get(),
                        ingested.get() / seconds, commits, deferred.get()),
                lat[queries / 2] / 1e6, lat[queries * 9 / 10] / 1e6, lat[queries * 99 / 100] / 1e6, lat[queries - 1] / 1e6,
                cpu[queries / 2] / 1e6, cpu[queries * 99 / 100] / 1e6, byVectors, byBm25, load, loadAverage());
        json("bench", "catalog-search", "phase", phase, "releases", String.valueOf(size), "queries", String.valueOf(queries),
                "announcementsPerSecondAsked", String.valueOf(ingest == null ? 0 : ingest.perSecond()),
                "announcementsPerSecond", num(ingested.get() / seconds, 0), "batchCommits", String.valueOf(commits), "p50Ms", num(lat[queries / 2] / 1e6, 3),
                "p90Ms", num(lat[queries * 9 / 10] / 1e6, 3), "p99Ms", num(lat[queries * 99 / 100] / 1e6, 3),
                "cpuP50Ms", num(cpu[queries / 2] / 1e6, 3), "cpuP99Ms", num(cpu[queries * 99 / 100] / 1e6, 3), "rankedByVectors", String.valueOf(byVectors),
                "rankedByBm25", String.valueOf(byBm25), "loadStart", load, "loadEnd", loadAverage());
    }

    /** The catalog of MarketplaceBench: packages of 2-3 versions, 200 publishers, Zipf words. */
    static List<SignedRecord> catalogRecords(String[] vocab, int releases) {
        MarketplaceBench.Zipf zipf = new MarketplaceBench.Zipf(vocab.length, 42);
        int packages = Math.max(1, releases * 2 / 5);
        Ed25519PrivateKey[] keys = new Ed25519PrivateKey[200];
        for (int i = 0; i < keys.length; i++) keys[i] = Ed25519PrivateKey.fromSeed(seed(i));
        List<SignedRecord> records = new ArrayList<>(releases);
        for (int i = 0; i < releases; i++) {
            int pkg = i % packages;
            Ed25519PrivateKey key = keys[pkg % keys.length];
            StringBuilder desc = new StringBuilder();
            for (int w = 0; w < 12; w++) desc.append(w == 0 ? "" : " ").append(vocab[zipf.next()]);
            String id = "io." + vocab[pkg % 97] + "." + vocab[(pkg / 97) % vocab.length] + "-" + pkg;
            ReleaseRecord rr = new ReleaseRecord(id, "1." + (i / packages) + ".0", ContentId.of(("content-" + i).getBytes()), 1000 + i,
                    "Pack " + vocab[pkg % vocab.length], desc.toString(), "MIT", ">=0.1", new TreeMap<>(), List.of("Author " + (pkg % keys.length)),
                    List.of(vocab[zipf.next()], vocab[zipf.next()], vocab[zipf.next()]), List.of("cat" + pkg % 20), List.of(vocab[zipf.next()], vocab[zipf.next()]),
                    null, null, key.publicKey(), 1_700_000_000_000L + i);
            records.add(SignedRecord.sign(rr, key));
        }
        return records;
    }

    /** New packages announced while the searches run, each signed by its own publisher of 100. */
    static List<byte[]> announcements(String[] vocab, int n) {
        MarketplaceBench.Zipf zipf = new MarketplaceBench.Zipf(vocab.length, 11);
        Ed25519PrivateKey[] keys = new Ed25519PrivateKey[100];
        for (int i = 0; i < keys.length; i++) keys[i] = Ed25519PrivateKey.fromSeed(seed(1000 + i));
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Ed25519PrivateKey key = keys[i % keys.length];
            StringBuilder desc = new StringBuilder();
            for (int w = 0; w < 12; w++) desc.append(w == 0 ? "" : " ").append(vocab[zipf.next()]);
            ReleaseRecord rr = new ReleaseRecord("io.bench.announced-" + i, "1.0.0", ContentId.of(("announced-" + i).getBytes()), 1000, "Announced " + i,
                    desc.toString(), "MIT", ">=0.1", new TreeMap<>(), List.of("Announcer"), List.of(vocab[zipf.next()]), List.of("cat" + i % 20),
                    List.of(vocab[zipf.next()]), null, null, key.publicKey(), 1_800_000_000_000L + i);
            out.add(SignedRecord.sign(rr, key).encode());
        }
        return out;
    }

    private static byte[] seed(int i) {
        byte[] s = new byte[32];
        s[0] = (byte) i;
        s[1] = (byte) (i >> 8);
        return s;
    }
}
