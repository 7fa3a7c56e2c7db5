package io.ggen.bench.marketplace;

import io.ggen.bench.Topology;
import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.catalog.SearchQuery;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.p2p.MarketNet;
import io.ggen.marketplace.p2p.MarketNet.Member;
import io.ggen.marketplace.p2p.MarketplaceNetwork;
import io.ggen.marketplace.p2p.NetworkFetcher;
import io.ggen.marketplace.p2p.P2pPublisher;
import io.ggen.marketplace.p2p.PublishState;
import io.ggen.marketplace.publish.Publisher;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The P2P marketplace as a whole, in one JVM on loopback: real hosts (TCP, Noise, Yamux) with the
 * DHT, gossipsub and the marketplace protocols, each over its own store and SQLite catalog.
 *
 * <ul>
 *   <li>{@code publish [nodes=50] [publishes=30] [degree=4] [seed=1]}: a random connected
 *       topology; one node publishes; for each release, the time from the start of its
 *       announcement until it is indexed (searchable) on each node, the figure of interest being
 *       the last node to get it. Each release is then looked up by a search on every node.</li>
 *   <li>{@code install [mib=50] [upload-limit-mib-per-s=0] [runs=3]}: a downloader connected to
 *       four providers of one pack; download time from one provider and from all four (byte
 *       ranges), with providers' uploads unlimited or paced as an uplink would be.</li>
 *   <li>{@code sync [releases=10000]}: a node joins a peer whose catalog holds that many signed
 *       releases; time until its own catalog holds them all (every record verified).</li>
 * </ul>
 */
public final class P2pMarketBench {
    static final String TOPIC = MarketNet.TOPIC;

    private P2pMarketBench() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "publish";
        Path dir = Files.createTempDirectory("p2p-market-bench");
        try {
            switch (mode) {
                case "publish" -> publish(dir, arg(args, 1, 50), arg(args, 2, 30), arg(args, 3, 4), arg(args, 4, 1));
                case "install" -> install(dir, arg(args, 1, 50), arg(args, 2, 0), arg(args, 3, 3));
                case "sync" -> sync(dir, arg(args, 1, 10_000));
                default -> {
                    System.err.println("usage: P2pMarketBench publish [nodes] [publishes] [degree] [seed] | install [mib] [upload-limit-mib-per-s] [runs] | sync [releases]");
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

    static void publish(Path dir, int n, int publishes, int degree, long seed) throws Exception {
        if (n < 2 || n > 200 || publishes < 1 || publishes > 1000) throw new IllegalArgumentException("nodes 2..200, publishes 1..1000");
        SplittableRandom random = new SplittableRandom(seed);
        List<Member> members = new ArrayList<>();
        Map<String, long[]> indexedAt = new ConcurrentHashMap<>();
        try {
            for (int i = 0; i < n; i++) {
                Member m = new Member(dir.resolve("n" + i), MarketplaceNetwork.Transfers.DEFAULT);
                final int idx = i;
                // The topic validator indexes a release before gossipsub delivers it: delivery is
                // the moment it became searchable on this node.
                m.pubsub.addListener((msg, from) -> {
                    if (!msg.topic().equals(TOPIC)) return;
                    try {
                        long[] t = indexedAt.get(SignedRecord.decode(msg.data()).openRelease().coordinates());
                        if (t != null && t[idx] == 0) t[idx] = System.nanoTime();
                    } catch (RuntimeException ignored) {
                        // not a release record
                    }
                });
                members.add(m);
            }
            Set<Long> edges = Topology.randomConnected(n, degree, random);
            for (long e : edges) members.get(Topology.from(e)).connect(members.get(Topology.to(e)));
            int[] hops = Topology.hopsFrom(0, n, edges);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && members.stream().anyMatch(m -> m.pubsub.meshPeers(TOPIC).isEmpty())) Thread.sleep(200);
            Thread.sleep(3000); // a few heartbeats for the meshes to settle, as the js harness waits
            Member publisher = members.get(0);
            publisher.home.keys().generate("default");
            P2pPublisher p2p = new P2pPublisher(publisher.catalog, publisher.home.keys(), publisher.net.packageDht(), publisher.net.packageGossip(),
                    new PublishState(publisher.catalog), Duration.ofSeconds(30));
            List<Double> lastMs = new ArrayList<>();
            List<Double> allMs = new ArrayList<>();
            long indexed = 0;
            long searchable = 0;
            for (int k = 0; k < publishes; k++) {
                String id = "io.bench.pack-" + k;
                Path src = dir.resolve("src-" + k);
                MarketNet.writePack(src, id, "benchword" + k, 0);
                Publisher.Published p = new Publisher(publisher.home.store(), publisher.catalog)
                        .publish(src, null, false, publisher.home.keys().load("default"), ArchiveLimits.DEFAULT);
                long[] times = new long[n];
                indexedAt.put(p.release().coordinates(), times);
                long t0 = System.nanoTime();
                Thread announcer = Thread.ofVirtual().start(() -> p2p.announce(p.signed()));
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < until && Arrays.stream(times, 1, n).anyMatch(t -> t == 0)) Thread.sleep(1);
                double last = 0;
                for (int i = 1; i < n; i++) {
                    if (times[i] == 0) continue;
                    indexed++;
                    double ms = (times[i] - t0) / 1e6;
                    allMs.add(ms);
                    last = Math.max(last, ms);
                }
                if (Arrays.stream(times, 1, n).allMatch(t -> t != 0)) lastMs.add(last);
                for (int i = 1; i < n; i++) {
                    if (members.get(i).catalog.search(SearchQuery.text("benchword" + k)).stream().anyMatch(h -> h.id().equals(id))) searchable++;
                }
                announcer.join(TimeUnit.SECONDS.toMillis(35));
                Thread.sleep(200);
            }
            long expected = (long) publishes * (n - 1);
            System.out.printf("publish: %d nodes, degree %d, %d releases from one node; farthest node %d hops away%n", n, degree, publishes,
                    Arrays.stream(hops).max().orElse(0));
            System.out.printf("publish: indexed on %d of %d node-releases (%.2f%%); found by a search on %d of %d (%.2f%%)%n", indexed, expected,
                    100.0 * indexed / expected, searchable, expected, 100.0 * searchable / expected);
            System.out.printf("publish-to-searchable at the last node: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d of %d releases reached every node)%n",
                    pct(lastMs, 50), pct(lastMs, 99), pct(lastMs, 100), lastMs.size(), publishes);
            System.out.printf("publish-to-searchable over all nodes: p50 %.1f ms, p99 %.1f ms%n", pct(allMs, 50), pct(allMs, 99));
        } finally {
            for (Member m : members) m.close();
        }
    }

    static void install(Path dir, int mib, int uploadMibPerSecond, int runs) throws Exception {
        if (mib < 1 || mib > 1024 || runs < 1 || runs > 20) throw new IllegalArgumentException("mib 1..1024, runs 1..20");
        MarketplaceNetwork.Transfers transfers = new MarketplaceNetwork.Transfers(4, (long) uploadMibPerSecond << 20);
        List<Member> members = new ArrayList<>();
        try {
            Member downloader = new Member(dir.resolve("downloader"), MarketplaceNetwork.Transfers.DEFAULT);
            members.add(downloader);
            List<Member> providers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Member p = new Member(dir.resolve("provider" + i), transfers);
                members.add(p);
                providers.add(p);
            }
            Path src = dir.resolve("src");
            MarketNet.writePack(src, "io.bench.big", "big", mib);
            Publisher.Published p = new Publisher(providers.get(0).home.store(), providers.get(0).catalog)
                    .publish(src, null, false, Ed25519PrivateKey.generate(), ArchiveLimits.DEFAULT);
            ContentId cid = p.release().cid();
            long size = p.release().size();
            for (Member m : providers) {
                if (m != providers.get(0)) m.home.store().putFile(providers.get(0).home.store().pathOf(cid));
                m.connect(downloader);
            }
            List<PeerId> all = providers.stream().map(m -> m.host.peerId()).toList();
            System.out.printf("install: archive %.1f MiB; providers' upload %s%n", size / 1048576.0,
                    uploadMibPerSecond == 0 ? "unlimited" : uploadMibPerSecond + " MiB/s per transfer");
            double[] one = new double[runs];
            double[] four = new double[runs];
            for (int r = 0; r < runs; r++) {
                one[r] = timeFetch(downloader, cid, size, List.of(all.get(r % 4)), 1);
                four[r] = timeFetch(downloader, cid, size, all, 4);
            }
            Arrays.sort(one);
            Arrays.sort(four);
            double m1 = one[runs / 2];
            double m4 = four[runs / 2];
            System.out.printf("install: 1 provider median %.2f s = %.1f MB/s; 4 providers median %.2f s = %.1f MB/s; ratio %.2fx (runs: %s vs %s)%n",
                    m1, size / m1 / 1e6, m4, size / m4 / 1e6, m1 / m4, Arrays.toString(one), Arrays.toString(four));
        } finally {
            for (Member m : members) m.close();
        }
    }

    static double timeFetch(Member downloader, ContentId cid, long size, List<PeerId> providers, int parallel) throws Exception {
        if (downloader.home.store().contains(cid)) downloader.home.store().delete(cid);
        NetworkFetcher f = new NetworkFetcher(downloader.host, downloader.home.store(), downloader.catalog, c -> providers, Duration.ofSeconds(20), parallel);
        long t0 = System.nanoTime();
        f.fetch(cid, size, done -> { });
        double s = (System.nanoTime() - t0) / 1e9;
        if (!downloader.home.store().verify(cid)) throw new IllegalStateException("fetched content does not verify");
        return Math.round(s * 1000) / 1000.0;
    }

    static void sync(Path dir, int releases) throws Exception {
        if (releases < 1 || releases > 1_000_000) throw new IllegalArgumentException("releases 1..1000000");
        List<Member> members = new ArrayList<>();
        try {
            Member old = new Member(dir.resolve("old"), MarketplaceNetwork.Transfers.DEFAULT);
            members.add(old);
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
            for (int i = 0; i < records.size(); i += 10_000) old.catalog.addReleases(records.subList(i, Math.min(records.size(), i + 10_000)));
            Member fresh = new Member(dir.resolve("new"), MarketplaceNetwork.Transfers.DEFAULT);
            members.add(fresh);
            long t0 = System.nanoTime();
            fresh.connect(old);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
            while (System.nanoTime() < until && fresh.catalog.releaseCount() < releases) Thread.sleep(5);
            double s = (System.nanoTime() - t0) / 1e9;
            long got = fresh.catalog.releaseCount();
            System.out.printf("sync: %d of %d signed releases verified and indexed by a joining node in %.2f s = %.0f releases/s%n", got, releases, s,
                    got / s);
        } finally {
            for (Member m : members) m.close();
        }
    }

    static double pct(List<Double> values, int p) {
        if (values.isEmpty()) return Double.NaN;
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, i)));
    }
}
