package io.ggen.marketplace.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.publish.Publisher;
import io.ggen.marketplace.version.Version;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What gossip did not carry still arrives: a node's own releases that no peer has heard of are
 * announced once peers are there, and connected nodes sync each other's catalogs again now and
 * then (anti-entropy), not once per run.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AntiEntropyTest {
    @TempDir
    Path tmp;

    MarketNet net;

    @AfterEach
    void close() {
        if (net != null) net.close();
    }

    @Test
    void aReleaseAddedWithoutAnyAnnouncementReachesAPeerThatSyncedBefore() throws Exception {
        net = new MarketNet(tmp.resolve("net"));
        MarketNet.Member a = net.add();
        MarketNet.Member b = net.add();
        b.connect(a);
        await().atMost(Duration.ofSeconds(30)).until(() -> b.net.catalogSynced(a.host.peerId()));
        // Published beside the running node (a local command): no gossip, no head.
        Publisher.Published p = MarketNet.publish(a, tmp.resolve("src"), "io.example.quiet", "Nobody announced this", 0);
        assertThat(b.catalog.release("io.example.quiet", Version.parse("1.0.0"))).isEmpty();

        b.net.resyncEvery(Duration.ofMillis(200));

        await().atMost(Duration.ofSeconds(30)).until(() -> b.catalog.release("io.example.quiet", Version.parse("1.0.0")).isPresent());
        assertThat(b.catalog.signedRelease("io.example.quiet", "1.0.0").orElseThrow().encode()).isEqualTo(p.signed().encode());
        b.net.resyncEvery(Duration.ZERO);
    }

    @Test
    void releasesPublishedWithNoPeerConnectedAreAnnouncedWhenOneIs() throws Exception {
        net = new MarketNet(tmp.resolve("net"));
        MarketNet.Member a = net.add();
        a.home.keys().generate("default");
        Path src = tmp.resolve("src");
        MarketNet.writePack(src, "io.example.alone", "Published in an empty room", 0);
        Publisher.Published p = new Publisher(a.home.store(), a.catalog).publish(src, null, false, a.home.keys().load("default"), ArchiveLimits.DEFAULT);
        P2pPublisher publisher = new P2pPublisher(a.catalog, a.home.keys(), a.net.packageDht(), a.net.packageGossip(), new PublishState(a.catalog),
                Duration.ofSeconds(10));
        P2pPublisher.Announced alone = publisher.announce(p.signed());
        assertThat(alone.gossipPeers()).isZero();
        assertThat(alone.headStoredOn()).isZero();
        assertThat(a.catalog.isAnnounced("io.example.alone@1.0.0")).isFalse();
        assertThat(publisher.announcePending()).isZero();

        MarketNet.Member b = net.add();
        b.connect(a);
        await().atMost(Duration.ofSeconds(30)).until(() -> !a.dht.routingTable().isEmpty() && a.pubsub.topicPeers(MarketNet.TOPIC).contains(b.host.peerId()));

        assertThat(publisher.announcePending()).isEqualTo(1);
        assertThat(a.catalog.isAnnounced("io.example.alone@1.0.0")).isTrue();
        assertThat(b.dht.node().recordCount()).isGreaterThanOrEqualTo(1);
        // Nothing is left pending.
        assertThat(publisher.announcePending()).isZero();
    }
}
