package io.ggen.marketplace.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.publish.Publisher;
import io.ggen.marketplace.version.Version;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Before an install, a node reads the package's head from the DHT; a version the head names and
 * the catalog lacks (its announcement missed) is fetched as a signed record from peers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PackageRefreshTest {
    @TempDir
    Path tmp;

    MarketNet net;

    @AfterEach
    void close() {
        if (net != null) net.close();
    }

    @Test
    void aVersionNamedByTheDhtHeadButMissedByGossipIsLearnedFromPeers() throws Exception {
        net = new MarketNet(tmp.resolve("net"));
        MarketNet.Member a = net.add();
        MarketNet.Member b = net.add();
        b.connect(a);
        await().atMost(Duration.ofSeconds(30)).until(() -> b.net.catalogSynced(a.host.peerId()));
        // The head goes to the DHT peers A knows: wait until B is in A's routing table (identify
        // puts it there, independently of the catalog sync awaited above).
        await().atMost(Duration.ofSeconds(30)).until(() -> !a.dht.routingTable().isEmpty());
        a.home.keys().generate("default");
        Path src = tmp.resolve("src");
        MarketNet.writePack(src, "io.example.hushed", "Announced only in the DHT", 0);
        Publisher.Published p = new Publisher(a.home.store(), a.catalog).publish(src, "2.0.0", false, a.home.keys().load("default"), ArchiveLimits.DEFAULT);
        // No gossip: the head goes to the DHT, the announcement nowhere.
        P2pPublisher publisher = new P2pPublisher(a.catalog, a.home.keys(), a.net.packageDht(), data -> CompletableFuture.completedFuture(0),
                new PublishState(a.catalog), Duration.ofSeconds(20));
        P2pPublisher.Announced announced = publisher.announce(p.signed());
        assertThat(announced.headStoredOn()).isGreaterThanOrEqualTo(1);
        assertThat(b.catalog.releases("io.example.hushed")).isEmpty();

        MarketplaceNetwork.PackageRefresh r = b.net.refreshPackage("io.example.hushed", 3, Duration.ofSeconds(10));

        assertThat(r.headFound()).isTrue();
        assertThat(r.headVersions()).containsExactly("2.0.0");
        assertThat(r.missingBefore()).containsExactly("2.0.0");
        assertThat(r.learned()).containsExactly("io.example.hushed@2.0.0");
        assertThat(b.catalog.release("io.example.hushed", Version.parse("2.0.0"))).isPresent();
        // Up to date now: nobody is asked again.
        assertThat(b.net.refreshPackage("io.example.hushed", 3, Duration.ofSeconds(10)).missingBefore()).isEmpty();
    }

    @Test
    void anUnknownPackageWithNoHeadAsksPeersAndFindsNothing() {
        net = new MarketNet(tmp.resolve("net"));
        MarketNet.Member a = net.add();
        MarketplaceNetwork.PackageRefresh r = a.net.refreshPackage("io.example.nowhere", 3, Duration.ofSeconds(2));
        assertThat(r.headFound()).isFalse();
        assertThat(r.learned()).isEmpty();
    }
}
