package io.ggen.marketplace.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.publish.Publisher;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.kad.KadConfig;
import io.ggen.p2p.kad.KadMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that accept every marketplace protocol and the DHT's, then never answer, or answer one
 * byte every 100 ms: with short deadlines configured, catalog sync moves on to the honest peer,
 * DHT lookups complete through the honest peers, search answers with what it has, fetch moves
 * to another provider; and afterwards the victim's open streams and stream threads are back at
 * their baseline, and the hostile hosts' handlers have all ended.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostilePeersTest {
    static final P2pTimeouts SHORT = new P2pTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(1));
    static final KadConfig KAD = KadConfig.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(20));
    static final List<String> PROTOCOLS = List.of(CatalogSync.ID, SearchProtocol.ID, FetchProtocol.ID, KadConfig.GGEN_PROTOCOL);

    @TempDir
    Path tmp;

    MarketNet net;
    MarketNet.Member victim;
    MarketNet.Member honest;
    MarketNet.Member other;
    final List<NettyHost> hostile = new ArrayList<>();
    final List<NettyHost> silent = new ArrayList<>();
    final List<NettyHost> drippers = new ArrayList<>();
    final ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
    Publisher.Published pack;

    /** A host that serves every protocol and never answers: each handler waits for the stream to end. */
    NettyHost silentHost() {
        NettyHost h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()).withIoThreads(1));
        for (String p : PROTOCOLS) h.handle(p, s -> s.closed().get());
        hostile.add(h);
        silent.add(h);
        return h;
    }

    /**
     * A host that answers one byte every 100 ms: a frame length of 1000 bytes (within every
     * protocol's limits), then zeros, so a reader that waits for a whole answer waits 100 s.
     */
    NettyHost drippingHost() {
        NettyHost h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()).withIoThreads(1));
        for (String p : PROTOCOLS) {
            h.handle(p, s -> {
                int[] sent = {0};
                var task = drip.scheduleAtFixedRate(() -> {
                    try {
                        int b = sent[0] == 0 ? 0xE8 : sent[0] == 1 ? 0x07 : 0;
                        s.out().write(b);
                        sent[0]++;
                    } catch (IOException e) {
                        s.reset();
                    }
                }, 0, 100, TimeUnit.MILLISECONDS);
                try {
                    s.closed().get();
                } finally {
                    task.cancel(false);
                }
            });
        }
        hostile.add(h);
        drippers.add(h);
        return h;
    }

    static void connect(MarketNet.Member from, NettyHost to) throws Exception {
        Connection c = from.host.dial(to.listenAddrs().get(0).withPeerId(to.peerId())).get(20, TimeUnit.SECONDS);
        c.identified().get(20, TimeUnit.SECONDS);
    }

    @BeforeEach
    void setUp() throws Exception {
        net = new MarketNet(tmp.resolve("net"));
        victim = net.add(SHORT, KAD);
        honest = net.add(SHORT, KAD);
        other = net.add(SHORT, KAD);
        // Only the honest publisher has the release; the victim meets it after the hostile peers.
        pack = MarketNet.publish(honest, tmp.resolve("src"), "io.example.sturdy", "sturdy words", 0);
        victim.connect(other);
        await().atMost(Duration.ofSeconds(20)).until(() -> victim.net.catalogSynced(other.host.peerId()));
        backToBaseline();
        for (int i = 0; i < 2; i++) connect(victim, silentHost());
        for (int i = 0; i < 2; i++) connect(victim, drippingHost());
    }

    @AfterEach
    void tearDown() {
        drip.shutdownNow();
        hostile.forEach(NettyHost::close);
        if (net != null) net.close();
    }

    /**
     * The baseline of a quiet node: nothing open but gossipsub's long-lived streams (one each way
     * per gossip peer), and no stream thread running but the inbound gossip streams' (each parks
     * one virtual thread while its RPCs are read inline). No stream to a hostile peer is left,
     * and the hostile hosts' handlers have all ended (their streams were reset at our deadlines).
     */
    void backToBaseline() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (NettyHost h : hostile) {
                for (Connection c : victim.host.connections(h.peerId())) assertThat(c.streams()).as("streams to a hostile peer").isEmpty();
                assertThat(h.openStreams()).as("streams left on a hostile host").isZero();
                assertThat(h.activeStreamTasks()).as("hostile handlers still running").isZero();
            }
            List<Stream> open = victim.host.connections().stream().flatMap(c -> c.streams().stream()).toList();
            assertThat(open).extracting(Stream::protocol).allMatch(p -> p.startsWith("/meshsub/"));
            assertThat(victim.host.openStreams()).isEqualTo(open.size());
            long inboundGossip = open.stream().filter(st -> st.direction() == io.ggen.p2p.core.Direction.INBOUND).count();
            assertThat(victim.host.activeStreamTasks()).isLessThanOrEqualTo((int) inboundGossip);
        });
    }

    @Test
    void catalogSyncMovesOnToTheHonestPeer() throws Exception {
        // The hostile peers took the two sync slots as they were identified; each gives its slot
        // up at its deadline, and the honest peer's catalog comes over after them.
        connect(victim, honestHost());
        await().atMost(Duration.ofSeconds(30)).until(() -> victim.net.catalogSynced(honest.host.peerId()));
        assertThat(victim.catalog.releases("io.example.sturdy")).hasSize(1);
        for (NettyHost h : hostile) assertThat(victim.net.catalogSynced(h.peerId())).isTrue();
        backToBaseline();
    }

    @Test
    void dhtLookupsCompleteThroughTheOtherPeers() throws Exception {
        connect(victim, honestHost());
        byte[] key = "a key only the honest peer provides".getBytes(StandardCharsets.UTF_8);
        // the honest peer's table learns the victim from its own bus, a moment after identify
        await().atMost(Duration.ofSeconds(20)).until(() -> honest.dht.routingTable().stream().anyMatch(e -> e.peer().equals(victim.host.peerId())));
        assertThat(honest.dht.provide(key).get(30, TimeUnit.SECONDS).stored()).isPositive();
        List<KadMessage.PeerInfo> providers = victim.dht.findProviders(key, 20, p -> { }).get(30, TimeUnit.SECONDS);
        assertThat(providers).extracting(KadMessage.PeerInfo::id).contains(honest.host.peerId());
        assertThat(victim.dht.closestPeers(key).get(30, TimeUnit.SECONDS)).isNotNull();
        backToBaseline();
    }

    @Test
    void searchAnswersWithWhatItHas() throws Exception {
        connect(victim, honestHost());
        SearchProtocol.Outcome o = victim.net.searchNetwork(new SearchProtocol.Query("sturdy", null, List.of(), 10), 10, Duration.ofSeconds(1));
        assertThat(o.peersAsked()).isGreaterThanOrEqualTo(hostile.size() + 1);
        assertThat(o.peersAnswered()).isEqualTo(o.peersAsked() - hostile.size());
        assertThat(victim.catalog.releases("io.example.sturdy")).hasSize(1);
        backToBaseline();
    }

    @Test
    void fetchMovesOnToAnotherProvider() throws Exception {
        connect(victim, honestHost());
        ContentId cid = pack.release().cid();
        List<PeerId> order = new ArrayList<>();
        silent.forEach(h -> order.add(h.peerId()));
        drippers.forEach(h -> order.add(h.peerId()));
        order.add(honest.host.peerId());
        NetworkFetcher fetcher = new NetworkFetcher(victim.host, victim.home.store(), victim.catalog, c -> order, SHORT, 1);
        fetcher.fetch(cid, pack.release().size(), done -> { });
        assertThat(victim.home.store().contains(cid)).isTrue();
        for (NettyHost h : hostile) assertThat(victim.catalog.peer(h.peerId().toString()).failed()).isPositive();
        backToBaseline();
    }

    /** The honest publisher, as a host to connect to (after the hostile peers). */
    NettyHost honestHost() {
        return honest.host;
    }
}
