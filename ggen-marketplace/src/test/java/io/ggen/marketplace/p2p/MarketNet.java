package io.ggen.marketplace.p2p;


import io.ggen.p2p.host.NettyHost;
import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.publish.Publisher;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.kad.KadConfig;
import io.ggen.p2p.kad.KadDht;
import io.ggen.p2p.pubsub.gossipsub.Gossipsub;
import io.ggen.p2p.pubsub.gossipsub.GossipsubConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Marketplace nodes in one JVM on loopback: each a real host with the DHT, gossipsub and the
 * marketplace protocols over its own store and catalog. For tests of the network parts that
 * need control a process boundary would hide (killing a provider at a chosen byte), and for the
 * whole-system benchmarks (ggen-bench's P2pMarketBench).
 */
public final class MarketNet implements AutoCloseable {
    public static final String TOPIC = "/ggen/packages/v1";

    /** One node. */
    public static final class Member implements AutoCloseable {
        public final NettyHost host;
        public final KadDht dht;
        public final Gossipsub pubsub;
        public final MarketplaceHome home;
        public final Catalog catalog;
        public final MarketplaceNetwork net;

        public Member(Path dir, MarketplaceNetwork.Transfers transfers) {
            this(dir, transfers, P2pTimeouts.DEFAULT, KadConfig.defaults());
        }

        /** With the given deadlines for the marketplace protocols and the DHT's (short ones for hostile-peer tests). */
        public Member(Path dir, MarketplaceNetwork.Transfers transfers, P2pTimeouts timeouts, KadConfig kad) {
            host = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()).withIoThreads(1));
            dht = KadDht.start(host, kad);
            pubsub = Gossipsub.start(host, GossipsubConfig.defaults());
            home = new MarketplaceHome(dir);
            catalog = home.openCatalog();
            net = new MarketplaceNetwork(host, dht, pubsub, catalog, home.store(), TOPIC, 100_000, transfers, dir.resolve("catalog-sync.txt"),
                    timeouts);
        }

        public void connect(Member other) throws Exception {
            host.dial(other.host.listenAddrs().get(0).withPeerId(other.host.peerId())).get(20, TimeUnit.SECONDS).identified().get(20, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            net.close();
            pubsub.close();
            dht.close();
            host.close();
            catalog.close();
        }
    }

    private final Path root;
    public final List<Member> members = new ArrayList<>();

    public MarketNet(Path root) {
        this.root = root;
    }

    public Member add() {
        return add(MarketplaceNetwork.Transfers.DEFAULT);
    }

    public Member add(MarketplaceNetwork.Transfers transfers) {
        Member m = new Member(root.resolve("n" + members.size()), transfers);
        members.add(m);
        return m;
    }

    /** A member with the given deadlines (marketplace protocols and DHT). */
    public Member add(P2pTimeouts timeouts, KadConfig kad) {
        Member m = new Member(root.resolve("n" + members.size()), MarketplaceNetwork.Transfers.DEFAULT, timeouts, kad);
        members.add(m);
        return m;
    }

    /** Publishes a pack of {@code mib} MiB of incompressible bytes (0: a small text pack) on {@code m}, locally. */
    public static Publisher.Published publish(Member m, Path src, String id, String words, int mib) throws IOException {
        writePack(src, id, words, mib);
        return new Publisher(m.home.store(), m.catalog).publish(src, null, false, Ed25519PrivateKey.generate(), ArchiveLimits.DEFAULT);
    }

    /** Writes a pack directory: manifest, one template, and {@code mib} MiB of incompressible templates. */
    public static void writePack(Path src, String id, String words, int mib) throws IOException {
        Files.createDirectories(src.resolve("templates/data"));
        Files.writeString(src.resolve("gpack.toml"), """
                [gpack]
                id = "%s"
                name = "Pack %s"
                version = "1.0.0"
                description = "%s"
                license = "MIT"
                ggen_compat = ">=0.1"
                tags = ["test"]
                [templates]
                patterns = ["templates/**/*.tmpl"]
                """.formatted(id, id, words));
        Files.writeString(src.resolve("templates/data/main.tmpl"), "// " + id + "\n");
        Random random = new Random(id.hashCode());
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < mib; i++) {
            random.nextBytes(chunk);
            Files.write(src.resolve("templates/data/f" + i + ".tmpl"), chunk);
        }
    }

    /** Gives {@code to} the archive and release that {@code from} has, as an earlier install would. */
    public static void copyRelease(Member from, Member to, Publisher.Published p) {
        to.home.store().putFile(from.home.store().pathOf(p.release().cid()));
        to.catalog.addRelease(p.signed());
    }

    @Override
    public void close() {
        for (Member m : members) {
            try {
                m.close();
            } catch (RuntimeException ignored) {
                // a member a test closed already
            }
        }
    }
}
