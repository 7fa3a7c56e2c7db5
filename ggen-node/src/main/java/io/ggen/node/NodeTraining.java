package io.ggen.node;

import io.ggen.marketplace.catalog.SearchQuery;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.node.config.NodeConfig;
import io.ggen.node.config.NodeConfigLoader;
import io.ggen.node.home.DataDir;
import io.ggen.node.home.IdentityFile;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The node's part of the training run behind the launcher's JVM archive ({@code scripts/jvm-archive.sh}:
 * a class-data-sharing archive, or on JDK 25 and later an AOT cache, which also keeps method
 * profiles): two nodes started as {@code p2p start} starts one, in a temporary directory, on
 * loopback only (no mDNS, port mapping, AutoNAT or relay, no bootstrap peers), one holding
 * {@value #RELEASES} signed releases; the other dials it, syncs its catalog (Noise, Yamux,
 * identify, batch signature checks, SQLite, the search index) and searches it; both stop. A node
 * started from the archive runs these paths from its first second as a warm one would, and a
 * fresh node's sync of 10,000 releases ran 10-15% faster (BENCHMARKS.md, round eleven). Bounded:
 * 30 s at most; prints nothing; touches nothing outside its directory.
 */
public final class NodeTraining {
    static final int RELEASES = 600;

    private NodeTraining() {}

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("ggen-node-training");
        try {
            long synced = run(tmp);
            if (args.length > 0 && args[0].equals("--report")) System.out.println("node training: synced " + synced + " of " + RELEASES + " releases");
        } finally {
            removeTemporary(tmp);
        }
    }

    /** Runs the training in {@code dir} (created if missing), which it leaves behind; returns the releases the joining node synced. */
    public static long run(Path dir) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Node serving = start(dir.resolve("serving")); Node joining = start(dir.resolve("joining"))) {
            serving.catalog().addReleases(releases());
            Multiaddr addr = serving.host().listenAddrs().get(0).withPeerId(serving.host().peerId());
            joining.dial(List.of(addr), Duration.ofSeconds(10));
            // The joining node syncs from each peer it identifies; bounded, as everything here.
            while (joining.catalog().releaseCount() < RELEASES && System.nanoTime() < deadline) LockSupport.parkNanos(10_000_000);
            for (String q : List.of("training", "template rust", "cli", "pack 7")) joining.catalog().search(SearchQuery.text(q));
            return joining.catalog().releaseCount();
        }
    }

    private static Node start(Path root) throws IOException {
        DataDir dir = DataDir.of(root);
        dir.ensure();
        Files.writeString(dir.configFile(), """
                listen_addresses = ["/ip4/127.0.0.1/tcp/0"]
                bootstrap_nodes = []

                [api]
                port = 0

                [discovery]
                mdns = false

                [nat]
                autonat = false
                port_mapping = false
                hole_punching = false
                relay_service = "off"

                [pubsub]
                warmup_messages = 200

                [log]
                level = "error"
                """);
        NodeConfig config = NodeConfigLoader.load(dir.configFile(), true, Map.of(), NodeConfigLoader.Flags.NONE);
        return Node.start(dir, config, IdentityFile.loadOrCreate(dir));
    }

    /** Three versions per package under ten keys, as a catalog has them. */
    static List<SignedRecord> releases() {
        List<Ed25519PrivateKey> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) keys.add(Ed25519PrivateKey.generate());
        List<SignedRecord> out = new ArrayList<>(RELEASES);
        long now = System.currentTimeMillis();
        for (int i = 0; i < RELEASES; i++) {
            int pkg = i / 3;
            Ed25519PrivateKey key = keys.get(pkg % keys.size());
            String content = "training pack " + pkg + " version " + (i % 3);
            ReleaseRecord r = new ReleaseRecord("io.ggen.training.pack" + pkg, "1." + (i % 3) + ".0", ContentId.of(content.getBytes()), content.length(),
                    "Training pack " + pkg, "A template pack for a " + (pkg % 2 == 0 ? "rust" : "java") + " cli, number " + pkg, "MIT", ">=0.1",
                    new TreeMap<>(), List.of("Trainer"), List.of("template", "cli"), List.of("training"), List.of("pack"), null, null,
                    key.publicKey(), now);
            out.add(SignedRecord.sign(r, key));
        }
        return out;
    }

    /** Removes a training's temporary directory; one left behind (a file in use) is harmless. */
    public static void removeTemporary(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
