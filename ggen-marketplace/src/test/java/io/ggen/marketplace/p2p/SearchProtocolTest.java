package io.ggen.marketplace.p2p;


import io.ggen.p2p.host.NettyHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.ggen.marketplace.publish.Publisher;
import io.ggen.marketplace.release.CanonicalWriter;
import io.ggen.marketplace.release.RecordException;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.protocol.LengthPrefixed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /ggen/search/1.0.0} between real hosts: verified answers join the catalog, forged ones cost the sender. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SearchProtocolTest {
    @TempDir
    Path tmp;

    MarketNet net;
    Host rogue;

    @AfterEach
    void close() {
        if (net != null) net.close();
        if (rogue != null) rogue.close();
    }

    @Test
    void aPeersAnswerIsVerifiedAndJoinsTheLocalCatalogWithItsProviders() throws Exception {
        net = new MarketNet(tmp.resolve("net"));
        MarketNet.Member a = net.add();
        MarketNet.Member b = net.add();
        b.connect(a);
        // Published after the catalog sync of the new connection: only a search can bring it to B.
        await().atMost(Duration.ofSeconds(30)).until(() -> b.net.catalogSynced(a.host.peerId()));
        Publisher.Published p = MarketNet.publish(a, tmp.resolve("src"), "io.example.lonely", "Only one node has heard of it", 0);
        a.catalog.addProvider(p.release().cid().toString(), a.host.peerId().toString());
        assertThat(b.catalog.release("io.example.lonely", io.ggen.marketplace.version.Version.parse(p.release().version()))).isEmpty();

        SearchProtocol.Outcome out = b.net.searchNetwork(new SearchProtocol.Query("heard", null, List.of(), 20), 3, Duration.ofSeconds(5));

        assertThat(out.peersAsked()).isEqualTo(1);
        assertThat(out.peersAnswered()).isEqualTo(1);
        assertThat(out.learned()).containsExactly("io.example.lonely@" + p.release().version());
        assertThat(b.catalog.release("io.example.lonely", io.ggen.marketplace.version.Version.parse(p.release().version()))).isPresent();
        assertThat(b.catalog.providers(p.release().cid().toString())).extracting(r -> r.peerId()).contains(a.host.peerId().toString());
        // Asked again: nothing new, nothing duplicated.
        SearchProtocol.Outcome again = b.net.searchNetwork(new SearchProtocol.Query("heard", null, List.of(), 20), 3, Duration.ofSeconds(5));
        assertThat(again.learned()).isEmpty();
        assertThat(b.catalog.releaseCount()).isEqualTo(1);
    }

    @Test
    void aForgedRecordInAnAnswerIsRefusedAndCostsTheSenderReputation() throws Exception {
        net = new MarketNet(tmp.resolve("net"));
        MarketNet.Member a = net.add();
        MarketNet.Member b = net.add();
        Publisher.Published p = MarketNet.publish(a, tmp.resolve("src"), "io.example.real", "The real thing", 0);
        byte[] sig = p.signed().signature().clone();
        sig[0] ^= 1;
        byte[] forged = new SignedRecord(p.signed().type(), p.signed().payload(), sig).encode();
        rogue = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()).withIoThreads(1));
        rogue.handle(SearchProtocol.ID, s -> {
            LengthPrefixed.read(s.in(), SearchProtocol.MAX_REQUEST);
            byte[] hit = new CanonicalWriter().bytes(1, forged).toBytes();
            LengthPrefixed.write(s.out(), new CanonicalWriter().messages(1, List.of(hit)).toBytes());
            s.closeWrite();
        });
        b.host.dial(rogue.listenAddrs().get(0).withPeerId(rogue.peerId())).get(20, TimeUnit.SECONDS).identified().get(20, TimeUnit.SECONDS);

        SearchProtocol.Outcome out = b.net.searchNetwork(new SearchProtocol.Query("real", null, List.of(), 20), 3, Duration.ofSeconds(5));

        assertThat(out.peersAsked()).isEqualTo(1);
        assertThat(out.peersAnswered()).isZero();
        assertThat(out.learned()).isEmpty();
        assertThat(b.catalog.releaseCount()).isZero();
        assertThat(b.catalog.peer(rogue.peerId().toString()).failed()).isEqualTo(1);
    }

    @Test
    void aGarbageRequestResetsTheStreamAndTheServerGoesOnAnswering() throws Exception {
        net = new MarketNet(tmp.resolve("net"));
        MarketNet.Member a = net.add();
        MarketNet.Member b = net.add();
        b.connect(a);
        await().atMost(Duration.ofSeconds(30)).until(() -> b.net.catalogSynced(a.host.peerId()));
        MarketNet.publish(a, tmp.resolve("src"), "io.example.still", "Still here", 0);
        try (var s = b.host.newStream(a.host.peerId(), List.of(SearchProtocol.ID)).get(20, TimeUnit.SECONDS)) {
            LengthPrefixed.write(s.out(), new byte[] {(byte) 0xff, (byte) 0xff, 0x01});
            s.closeWrite();
            assertThat(catchThrowable(() -> LengthPrefixed.read(s.in(), 1 << 20))).isNotNull();
        }
        assertThat(b.net.searchNetwork(new SearchProtocol.Query("still", null, List.of(), 5), 3, Duration.ofSeconds(5)).learned()).hasSize(1);
    }

    @Test
    void queriesRoundTrip() {
        SearchProtocol.Query q = new SearchProtocol.Query("rust cli", "cli", List.of("rust", ""), 7);
        assertThat(SearchCodec.decodeQuery(SearchCodec.encodeQuery(q))).isEqualTo(q);
        assertThat(SearchCodec.decodeQuery(SearchCodec.encodeQuery(new SearchProtocol.Query("", null, List.of(), 500))).limit())
                .isEqualTo(SearchProtocol.MAX_HITS);
    }

    @Test
    void theQueryDecoderRefusesHostileBytesOnlyWithItsOwnErrors() {
        qt().forAll(integers().between(0, 300), integers().all()).checkAssert((len, seed) -> {
            byte[] b = new byte[len];
            new Random(seed).nextBytes(b);
            Throwable t = catchThrowable(() -> SearchCodec.decodeQuery(b));
            if (t != null) assertThat(t).isInstanceOfAny(RecordException.class, IllegalArgumentException.class);
        });
    }
}
