package io.ggen.marketplace.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.install.InstallSpec;
import io.ggen.marketplace.install.Installer;
import io.ggen.marketplace.publish.Publisher;
import io.ggen.marketplace.version.Version;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A yank travels like a release: by gossip to the peers connected now, by catalog sync to peers
 * that synced the release before, and in the owner's DHT head to a node that missed both; on
 * each, resolution no longer picks the yanked version.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class YankPropagationTest {
    static final String ID = "io.example.yanky";

    @TempDir
    Path tmp;

    MarketNet net;
    MarketNet.Member owner;
    Publisher.Published v100;
    Publisher.Published v110;

    @BeforeEach
    void publishTwoVersions() throws Exception {
        net = new MarketNet(tmp.resolve("net"));
        owner = net.add();
        owner.home.keys().generate("default");
        v100 = publish("1.0.0", "A first version");
        v110 = publish("1.1.0", "A broken second version");
    }

    @AfterEach
    void close() {
        if (net != null) net.close();
    }

    Publisher.Published publish(String version, String words) throws Exception {
        Path src = tmp.resolve("src-" + version);
        MarketNet.writePack(src, ID, words, 0);
        return new Publisher(owner.home.store(), owner.catalog).publish(src, version, false, owner.home.keys().load("default"), ArchiveLimits.DEFAULT);
    }

    /** The owner's publisher; {@code gossip} false sends nothing on the topic (DHT only). */
    P2pPublisher publisher(boolean gossip) {
        PackageGossip g = gossip ? owner.net.packageGossip() : data -> CompletableFuture.completedFuture(0);
        return new P2pPublisher(owner.catalog, owner.home.keys(), owner.net.packageDht(), g, new PublishState(owner.catalog), Duration.ofSeconds(20));
    }

    MarketNet.Member syncedPeer() throws Exception {
        MarketNet.Member b = net.add();
        b.connect(owner);
        await().atMost(Duration.ofSeconds(30)).until(() -> b.net.catalogSynced(owner.host.peerId()));
        assertThat(b.catalog.releases(ID)).hasSize(2);
        return b;
    }

    static String resolved(MarketNet.Member m, String spec) {
        return new Installer(m.home.store(), m.catalog, ArchiveLimits.DEFAULT).resolve(InstallSpec.parse(spec)).get(ID).version();
    }

    @Test
    void aYankAfterASyncReachesThePeerAtItsNextSync() throws Exception {
        MarketNet.Member b = syncedPeer();
        assertThat(resolved(b, ID)).isEqualTo("1.1.0");
        // Yanked on the owner's node with no announcement at all: only catalog sync can carry it.
        new Publisher(owner.home.store(), owner.catalog).yank(ID, Version.parse("1.1.0"), "broken build", owner.home.keys().load("default"));

        CatalogSync.Result r = b.net.syncNow(owner.host.peerId());

        assertThat(r.accepted()).as(r.toString()).isEqualTo(1);
        assertThat(b.catalog.release(ID, Version.parse("1.1.0")).orElseThrow().yanked()).isTrue();
        assertThat(b.catalog.release(ID, Version.parse("1.1.0")).orElseThrow().yankReason()).isEqualTo("broken build");
        assertThat(resolved(b, ID)).isEqualTo("1.0.0");
        assertThatThrownBy(() -> resolved(b, ID + "@^1.1")).hasMessageContaining("cannot resolve " + ID);
    }

    @Test
    void aYankIsGossipedToConnectedPeersAndTheirPeers() throws Exception {
        MarketNet.Member b = syncedPeer();
        MarketNet.Member c = net.add();
        c.connect(b);
        await().atMost(Duration.ofSeconds(30)).until(() -> c.net.catalogSynced(b.host.peerId()) && c.catalog.releases(ID).size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> owner.pubsub.topicPeers(MarketNet.TOPIC).contains(b.host.peerId())
                && b.pubsub.meshPeers(MarketNet.TOPIC).contains(c.host.peerId()));
        Publisher.Yanked y = new Publisher(owner.home.store(), owner.catalog).yank(ID, Version.parse("1.1.0"), "broken build", owner.home.keys().load("default"));

        P2pPublisher.Announced a = publisher(true).announceYank(y.signed());

        assertThat(a.gossipPeers()).as(a.toString()).isGreaterThanOrEqualTo(1);
        assertThat(owner.catalog.isYankAnnounced(ID + "@1.1.0")).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(b.catalog.release(ID, Version.parse("1.1.0")).orElseThrow().yanked()).isTrue();
            assertThat(c.catalog.release(ID, Version.parse("1.1.0")).orElseThrow().yanked()).isTrue();
        });
        assertThat(resolved(c, ID)).isEqualTo("1.0.0");
        // Asked for exactly, the yanked version still resolves (as a ggen.lock names it).
        assertThat(resolved(c, ID + "@1.1.0")).isEqualTo("1.1.0");
    }

    @Test
    void aNodeThatMissedGossipAndSyncLearnsTheYankFromTheOwnersDhtHead() throws Exception {
        MarketNet.Member b = syncedPeer();
        // Catalog sync and the DHT's routing table both start from b's identify, in no set order:
        // the head can be stored on b only once the owner's table holds it.
        await().atMost(Duration.ofSeconds(30)).until(() -> owner.dht.routingTable().stream().anyMatch(e -> e.peer().equals(b.host.peerId())));
        Publisher.Yanked y = new Publisher(owner.home.store(), owner.catalog).yank(ID, Version.parse("1.1.0"), "broken build", owner.home.keys().load("default"));
        P2pPublisher.Announced a = publisher(false).announceYank(y.signed());
        assertThat(a.headStoredOn()).as(a.toString()).isGreaterThanOrEqualTo(1);
        assertThat(b.catalog.release(ID, Version.parse("1.1.0")).orElseThrow().yanked()).isFalse();

        MarketplaceNetwork.PackageRefresh r = b.net.refreshPackage(ID, 0, Duration.ofSeconds(10));

        assertThat(r.headFound()).isTrue();
        assertThat(r.headVersions()).containsExactly("1.0.0");
        assertThat(b.catalog.release(ID, Version.parse("1.1.0")).orElseThrow().yanked()).isTrue();
        assertThat(resolved(b, ID)).isEqualTo("1.0.0");
    }
}
