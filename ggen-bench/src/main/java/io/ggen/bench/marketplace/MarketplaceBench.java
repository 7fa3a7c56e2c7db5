package io.ggen.bench.marketplace;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.archive.SafeUnpacker;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.SearchHit;
import io.ggen.marketplace.catalog.SearchQuery;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.install.InstallSpec;
import io.ggen.marketplace.install.Installer;
import io.ggen.marketplace.publish.Publisher;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Whole-system benchmarks of the marketplace core (plain main, not JMH: these are end-to-end
 * timings of real SQLite and disk work, not micro-operations):
 * <ol>
 *   <li>catalog of N synthetic signed releases: ingest (verify + insert + FTS index) and FTS
 *       rebuild times;</li>
 *   <li>search latency p50/p99 over random 1-2 word queries drawn from the same Zipf-distributed
 *       vocabulary as the descriptions;</li>
 *   <li>install of a 50 MiB pack (incompressible data): MB/s, next to raw SHA-256 speed.</li>
 * </ol>
 * Usage: {@code java -cp ggen-bench/target/benchmarks.jar io.ggen.bench.marketplace.MarketplaceBench [releases] [queries]}
 */
public final class MarketplaceBench {
    private MarketplaceBench() {}

    public static void main(String[] args) throws Exception {
        int releases = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        Path dir = Files.createTempDirectory("ggen-bench-");
        try {
            catalogAndSearch(dir.resolve("catalog"), releases, queries);
            install(dir.resolve("install"));
        } finally {
            SafeUnpacker.deleteTree(dir);
        }
    }

    // Pseudo-words from syllables, ranked; rank r is drawn with probability ~ 1/r (Zipf).
    private static final String[] SYLLABLES = {"ka", "ro", "mi", "te", "su", "na", "lo", "vi", "da", "pe", "zu", "fa", "gri", "mon", "tal", "ber"};

    static String[] vocabulary(int n) {
        String[] words = new String[n];
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            int x = i + 17;
            do {
                sb.append(SYLLABLES[x % SYLLABLES.length]);
                x /= SYLLABLES.length;
            } while (x > 0);
            words[i] = sb.toString();
        }
        return words;
    }

    static final class Zipf {
        private final double[] cdf;
        private final Random random;

        Zipf(int n, long seed) {
            cdf = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) cdf[i] = sum += 1.0 / (i + 1);
            for (int i = 0; i < n; i++) cdf[i] /= sum;
            random = new Random(seed);
        }

        int next() {
            int i = Arrays.binarySearch(cdf, random.nextDouble());
            return i >= 0 ? i : -i - 1;
        }
    }

    static void catalogAndSearch(Path dir, int releases, int queries) throws Exception {
        String[] vocab = vocabulary(5000);
        Zipf zipf = new Zipf(vocab.length, 42);
        int packages = Math.max(1, releases * 2 / 5);
        int publishers = 200;
        Ed25519PrivateKey[] keys = new Ed25519PrivateKey[publishers];
        for (int i = 0; i < publishers; i++) keys[i] = Ed25519PrivateKey.fromSeed(seed(i));
        long t0 = System.nanoTime();
        List<SignedRecord> records = new ArrayList<>(releases);
        for (int i = 0; i < releases; i++) {
            int pkg = i % packages;
            int versionIndex = i / packages;
            Ed25519PrivateKey key = keys[pkg % publishers];
            StringBuilder desc = new StringBuilder();
            for (int w = 0; w < 12; w++) desc.append(w == 0 ? "" : " ").append(vocab[zipf.next()]);
            String id = "io." + vocab[pkg % 97] + "." + vocab[(pkg / 97) % vocab.length] + "-" + pkg;
            ReleaseRecord r = new ReleaseRecord(id, "1." + versionIndex + ".0", ContentId.of(("content-" + i).getBytes()), 1000 + i,
                    "Pack " + vocab[pkg % vocab.length], desc.toString(), "MIT", ">=0.1", new TreeMap<>(), List.of("Author " + (pkg % publishers)),
                    List.of(vocab[zipf.next()], vocab[zipf.next()], vocab[zipf.next()]), List.of("cat" + pkg % 20), List.of(vocab[zipf.next()], vocab[zipf.next()]),
                    null, null, key.publicKey(), 1_700_000_000_000L + i);
            records.add(SignedRecord.sign(r, key));
        }
        double signSeconds = (System.nanoTime() - t0) / 1e9;
        Files.createDirectories(dir);
        try (Catalog catalog = Catalog.open(dir.resolve("catalog.db"))) {
            long t1 = System.nanoTime();
            int batch = 10_000;
            for (int i = 0; i < records.size(); i += batch) catalog.addReleases(records.subList(i, Math.min(records.size(), i + batch)));
            double ingestSeconds = (System.nanoTime() - t1) / 1e9;
            long t2 = System.nanoTime();
            catalog.rebuildIndex();
            double rebuildSeconds = (System.nanoTime() - t2) / 1e9;
            System.out.printf("catalog: %d releases of %d packages; signing (setup) %.1f s%n", releases, packages, signSeconds);
            System.out.printf("catalog: ingest (verify signatures + insert + FTS index, batches of %d): %.2f s = %.0f releases/s%n", batch, ingestSeconds,
                    releases / ingestSeconds);
            System.out.printf("catalog: FTS5 index rebuild over %d packages: %.2f s%n", packages, rebuildSeconds);
            System.out.printf("catalog: database size %.1f MiB%n", Files.size(dir.resolve("catalog.db")) / 1048576.0);

            Zipf qz = new Zipf(vocab.length, 7);
            Random r = new Random(3);
            for (int i = 0; i < 2000; i++) catalog.search(SearchQuery.text(vocab[qz.next()])); // warm-up
            long[] lat = new long[queries];
            long hits = 0;
            for (int i = 0; i < queries; i++) {
                String q = r.nextBoolean() ? vocab[qz.next()] : vocab[qz.next()] + " " + vocab[qz.next()];
                long s = System.nanoTime();
                hits += catalog.search(SearchQuery.text(q)).size();
                lat[i] = System.nanoTime() - s;
            }
            Arrays.sort(lat);
            System.out.printf("search: %d queries (1-2 Zipf words, limit 20, avg %.1f hits): p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%n", queries,
                    (double) hits / queries, lat[queries / 2] / 1e6, lat[queries * 9 / 10] / 1e6, lat[queries * 99 / 100] / 1e6, lat[queries - 1] / 1e6);
            long[] worst = new long[200];
            for (int i = 0; i < worst.length; i++) {
                long s = System.nanoTime();
                catalog.search(SearchQuery.text(vocab[i % 3]));
                worst[i] = System.nanoTime() - s;
            }
            Arrays.sort(worst);
            double h = harmonic(vocab.length);
            System.out.printf("search: the 3 most common words (in ~%.0f%%, %.0f%%, %.0f%% of packages): p50 %.3f ms, p99 %.3f ms%n",
                    100 * (1 - Math.pow(1 - 1 / h, 12)), 100 * (1 - Math.pow(1 - 1 / (2 * h), 12)), 100 * (1 - Math.pow(1 - 1 / (3 * h), 12)),
                    worst[worst.length / 2] / 1e6, worst[worst.length * 99 / 100] / 1e6);
            long[] exact = new long[1000];
            for (int i = 0; i < exact.length; i++) {
                String id = records.get(r.nextInt(records.size())).openRelease().id();
                long s = System.nanoTime();
                catalog.search(SearchQuery.text(id));
                exact[i] = System.nanoTime() - s;
            }
            Arrays.sort(exact);
            System.out.printf("search: exact package ids: p50 %.3f ms, p99 %.3f ms%n", exact[exact.length / 2] / 1e6, exact[exact.length * 99 / 100] / 1e6);
            nodeSearch(catalog, vocab, qz, r);
            searchBesideWrites(catalog, vocab, qz, r, key(publishers + 1), releases);
        }
    }

    /**
     * Search as the node answers it (LocalSearch): each hit with its CID and size and the
     * providers of that CID with their reputation.
     */
    static void nodeSearch(Catalog catalog, String[] vocab, Zipf qz, Random r) {
        int n = 5000;
        long[] lat = new long[n];
        long providers = 0;
        for (int i = 0; i < n; i++) {
            String q = r.nextBoolean() ? vocab[qz.next()] : vocab[qz.next()] + " " + vocab[qz.next()];
            long s = System.nanoTime();
            for (SearchHit h : catalog.search(SearchQuery.text(q))) providers += hitDetails(catalog, h);
            lat[i] = System.nanoTime() - s;
        }
        Arrays.sort(lat);
        System.out.printf("search with hit details as the node shows them (CID, size, providers; %d queries, %d provider rows): p50 %.3f ms, p99 %.3f ms%n",
                n, providers, lat[n / 2] / 1e6, lat[n * 99 / 100] / 1e6);
    }

    /** What LocalSearch reads per hit: the hit carries CID and size; the providers are one query. */
    private static int hitDetails(Catalog catalog, SearchHit h) {
        return catalog.providers(h.cid()).size() + (h.size() > 0 ? 0 : 1);
    }

    /** Searches while another thread adds releases in transactions of 1,000 (gossip and sync do). */
    static void searchBesideWrites(Catalog catalog, String[] vocab, Zipf qz, Random r, Ed25519PrivateKey key, int base) throws Exception {
        List<SignedRecord> extra = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ReleaseRecord rr = new ReleaseRecord("io.bench.writes-" + i, "1.0.0", ContentId.of(("extra-" + i).getBytes()), 1000, "Extra " + i,
                    vocab[qz.next()] + " " + vocab[qz.next()], "MIT", ">=0.1", new TreeMap<>(), List.of("Writer"), List.of(vocab[qz.next()]),
                    List.of("cat"), List.of(), null, null, key.publicKey(), 1_800_000_000_000L + base + i);
            extra.add(SignedRecord.sign(rr, key));
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < extra.size() && !stop.get(); i += 1000) written.addAndGet(catalog.addReleases(extra.subList(i, i + 1000)));
        });
        int n = 2000;
        long[] lat = new long[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String q = r.nextBoolean() ? vocab[qz.next()] : vocab[qz.next()] + " " + vocab[qz.next()];
            long s = System.nanoTime();
            catalog.search(SearchQuery.text(q));
            lat[i] = System.nanoTime() - s;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        writer.join();
        Arrays.sort(lat);
        System.out.printf("search beside writes (another thread adds releases, 1,000 per transaction; %d added during %.1f s of %d queries): p50 %.3f ms,"
                + " p99 %.3f ms, max %.3f ms%n", written.get(), seconds, n, lat[n / 2] / 1e6, lat[n * 99 / 100] / 1e6, lat[n - 1] / 1e6);
    }

    private static Ed25519PrivateKey key(int i) {
        return Ed25519PrivateKey.fromSeed(seed(i));
    }

    private static double harmonic(int n) {
        double s = 0;
        for (int i = 1; i <= n; i++) s += 1.0 / i;
        return s;
    }

    private static byte[] seed(int i) {
        byte[] s = new byte[32];
        s[0] = (byte) i;
        s[1] = (byte) (i >> 8);
        return s;
    }

    static void install(Path dir) throws IOException {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("templates/data"));
        Files.writeString(src.resolve("gpack.toml"), """
                [gpack]
                id = "io.ggen.bench.big"
                name = "Big"
                version = "1.0.0"
                description = "A 50 MiB pack"
                license = "MIT"
                ggen_compat = ">=0.1"
                [templates]
                patterns = ["templates/**/*.tmpl"]
                """);
        Random random = new Random(1);
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < 50; i++) {
            random.nextBytes(chunk);
            Files.write(src.resolve("templates/data/f" + i + ".tmpl"), chunk);
        }
        MarketplaceHome home = new MarketplaceHome(dir.resolve("home"));
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        try (Catalog catalog = home.openCatalog()) {
            long t0 = System.nanoTime();
            Publisher.Published p = new Publisher(home.store(), catalog).publish(src, null, false, key, ArchiveLimits.DEFAULT);
            double publishSeconds = (System.nanoTime() - t0) / 1e9;
            long archive = p.release().size();
            long unpacked = 50L << 20;
            System.out.printf("install: pack of %.1f MiB unpacked, archive %.1f MiB; publish (pack at deflate level 9 + sign + store + catalog) %.2f s%n",
                    unpacked / 1048576.0, archive / 1048576.0, publishSeconds);
            Installer installer = new Installer(home.store(), catalog, ArchiveLimits.DEFAULT);
            double[] secs = new double[7];
            for (int i = 0; i < secs.length; i++) {
                Path target = dir.resolve("project" + i);
                long s = System.nanoTime();
                installer.install(InstallSpec.parse("io.ggen.bench.big"), target);
                secs[i] = (System.nanoTime() - s) / 1e9;
                SafeUnpacker.deleteTree(target);
            }
            Arrays.sort(secs);
            double median = secs[secs.length / 2];
            System.out.printf("install: 50 MiB pack (verify CID while reading + signature + owner + unpack + fsync-free write + lockfile): median %.3f s = %.0f MB/s"
                    + " of unpacked data (best %.3f s, runs %d)%n", median, unpacked / median / 1e6, secs[0], secs.length);
            MessageDigest md = ContentId.sha256();
            byte[] buf = new byte[1 << 20];
            long s = System.nanoTime();
            for (int i = 0; i < 512; i++) md.update(buf);
            md.digest();
            double shaSeconds = (System.nanoTime() - s) / 1e9;
            System.out.printf("reference: SHA-256 on this machine %.0f MB/s%n", 512.0 * 1048576 / shaSeconds / 1e6);
        }
    }
}
