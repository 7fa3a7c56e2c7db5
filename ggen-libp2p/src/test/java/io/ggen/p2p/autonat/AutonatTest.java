package io.ggen.p2p.autonat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ggen.p2p.autonat.v1.AutonatV1Client;
import io.ggen.p2p.autonat.v1.AutonatV1Server;
import io.ggen.p2p.autonat.v2.AutonatV2Client;
import io.ggen.p2p.autonat.v2.AutonatV2Codec;
import io.ggen.p2p.autonat.v2.AutonatV2Message;
import io.ggen.p2p.autonat.v2.AutonatV2Server;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.core.Event.Reachability;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.multiaddr.AddressClassifier;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * AutoNAT v2 and v1 between real hosts on loopback. Loopback counts as public here through the
 * classifier's configured ranges (the same hook the NAT lab uses for documentation ranges).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AutonatTest {
    static final AddressClassifier LOOPBACK_PUBLIC = AddressClassifier.withPublicRanges(List.of("127.0.0.0/8"));
    final List<AutoCloseable> closeables = new ArrayList<>();

    NettyHost host(String... listen) {
        List<Multiaddr> addrs = listen.length == 0 ? List.of(Multiaddr.fromString("/ip4/127.0.0.1/tcp/0"))
                : java.util.Arrays.stream(listen).map(Multiaddr::fromString).toList();
        NettyHost h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()).withListenAddrs(addrs));
        closeables.add(h);
        return h;
    }

    NettyHost dialer() {
        NettyHost d = NettyHost.startDialer(HostConfig.defaults(Ed25519PrivateKey.generate()));
        closeables.add(d);
        return d;
    }

    AutonatV2Server v2Server(NettyHost h, NettyHost dialer, AddressClassifier c, AutonatV2Server.Config cfg) {
        AutonatV2Server s = new AutonatV2Server(h, dialer, c, cfg);
        s.register();
        return s;
    }

    AutonatV2Client v2Client(NettyHost h, long maxDialData) {
        AutonatV2Client c = new AutonatV2Client(h, Duration.ofSeconds(20), maxDialData);
        c.register();
        return c;
    }

    static Connection connect(NettyHost from, NettyHost to) throws Exception {
        return from.dial(to.listenAddrs().get(0).withPeerId(to.peerId())).get(10, TimeUnit.SECONDS);
    }

    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) closeables.get(i).close();
    }

    // ------------------------------------------------------------------ v2

    @Test
    void v2DialsBackOnAFreshConnectionFromAnotherPeerAndPort() throws Exception {
        NettyHost server = host();
        NettyHost dialer = dialer();
        v2Server(server, dialer, LOOPBACK_PUBLIC, AutonatV2Server.Config.defaults());
        NettyHost client = host();
        AutonatV2Client v2 = v2Client(client, 0);
        List<Connection> inbound = new CopyOnWriteArrayList<>();
        client.events().subscribe(Event.ConnectionOpened.class, e -> inbound.add(e.connection()));
        Connection c = connect(client, server);

        AutonatV2Client.Result r = v2.check(c, client.listenAddrs());

        assertThat(r.outcome()).as(r.detail()).isEqualTo(AutonatV2Client.Outcome.REACHABLE);
        assertThat(r.addr()).contains(client.listenAddrs().get(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> inbound.stream().anyMatch(x -> x.remotePeer().equals(dialer.peerId())));
        Connection back = inbound.stream().filter(x -> x.remotePeer().equals(dialer.peerId())).findFirst().orElseThrow();
        assertThat(back.remoteAddr()).isNotEqualTo(c.localAddr());
        assertThat(back.remoteAddr().toTcpSocketAddress().orElseThrow().getPort())
                .as("not the server's listening port").isNotEqualTo(server.listenAddrs().get(0).toTcpSocketAddress().orElseThrow().getPort());
    }

    @Test
    void v2ReportsAnAddressNobodyListensAtAsUnreachable() throws Exception {
        NettyHost server = host();
        v2Server(server, dialer(), LOOPBACK_PUBLIC, AutonatV2Server.Config.defaults());
        NettyHost client = host();
        AutonatV2Client v2 = v2Client(client, 0);
        Multiaddr nobody = Multiaddr.fromString("/ip4/127.0.0.1/tcp/" + closedPort());

        AutonatV2Client.Result r = v2.check(connect(client, server), List.of(nobody));

        assertThat(r.outcome()).as(r.detail()).isEqualTo(AutonatV2Client.Outcome.UNREACHABLE);
        assertThat(r.addr()).contains(nobody);
    }

    @Test
    void v2ServerRefusesPrivateAndLoopbackAddressesByDefault() throws Exception {
        NettyHost server = host();
        AutonatV2Server s = v2Server(server, dialer(), AddressClassifier.DEFAULT, AutonatV2Server.Config.defaults());
        NettyHost client = host();
        AutonatV2Client v2 = v2Client(client, 0);

        AutonatV2Client.Result r = v2.check(connect(client, server),
                List.of(client.listenAddrs().get(0), Multiaddr.fromString("/ip4/192.168.1.2/tcp/4001"), Multiaddr.fromString("/ip4/198.51.100.1/tcp/4001")));

        assertThat(r.outcome()).isEqualTo(AutonatV2Client.Outcome.INCONCLUSIVE);
        assertThat(r.detail()).contains("DIAL_REFUSED");
        assertThat(s.served()).isZero();
    }

    @Test
    void v2AsksForDialDataBeforeDialingAnotherIp() throws Exception {
        NettyHost server = host();
        v2Server(server, dialer(), LOOPBACK_PUBLIC, AutonatV2Server.Config.defaults());
        NettyHost client = host("/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.2/tcp/0");
        Multiaddr other = client.listenAddrs().stream().filter(a -> a.toString().startsWith("/ip4/127.0.0.2/")).findFirst().orElseThrow();
        Connection c = connect(client, server);
        assertThat(c.localAddr().toString()).startsWith("/ip4/127.0.0.1/");

        AutonatV2Client stingy = v2Client(client, 1000);
        AutonatV2Client.Result refused = stingy.check(c, List.of(other));
        assertThat(refused.outcome()).isEqualTo(AutonatV2Client.Outcome.INCONCLUSIVE);
        assertThat(refused.detail()).contains("bytes of dial data, more than 1000");

        AutonatV2Client paying = v2Client(client, 128 * 1024);
        AutonatV2Client.Result r = paying.check(c, List.of(other));
        assertThat(r.outcome()).as(r.detail()).isEqualTo(AutonatV2Client.Outcome.REACHABLE);
        assertThat(r.addr()).contains(other);
    }

    @Test
    void v2ServerLimitsRequestsPerPeer() throws Exception {
        NettyHost server = host();
        AutonatV2Server.Config d = AutonatV2Server.Config.defaults();
        v2Server(server, dialer(), LOOPBACK_PUBLIC, new AutonatV2Server.Config(100, 2, 10, 4, d.minDialData(), d.maxDialData(), d.requestTimeout(), d.dialTimeout()));
        NettyHost client = host();
        AutonatV2Client v2 = v2Client(client, 0);
        Connection c = connect(client, server);
        assertThat(v2.check(c, client.listenAddrs()).outcome()).isEqualTo(AutonatV2Client.Outcome.REACHABLE);
        assertThat(v2.check(c, client.listenAddrs()).outcome()).isEqualTo(AutonatV2Client.Outcome.REACHABLE);
        AutonatV2Client.Result third = v2.check(c, client.listenAddrs());
        assertThat(third.outcome()).isEqualTo(AutonatV2Client.Outcome.INCONCLUSIVE);
        assertThat(third.detail()).contains("REQUEST_REJECTED");
    }

    @Test
    void aServerClaimingADialBackThatNeverCameIsNotBelieved() throws Exception {
        NettyHost liar = host();
        liar.handle(AutonatV2Server.DIAL_REQUEST, s -> {
            AutonatV2Codec.readFrame(s.in());
            AutonatV2Codec.write(s.out(), AutonatV2Codec.encode(new AutonatV2Message.DialResponse(
                    AutonatV2Message.ResponseStatus.OK, 0, AutonatV2Message.DialStatus.OK)));
        });
        NettyHost client = host();
        AutonatV2Client v2 = v2Client(client, 0);

        AutonatV2Client.Result r = v2.check(connect(client, liar), client.listenAddrs());

        assertThat(r.outcome()).isEqualTo(AutonatV2Client.Outcome.INCONCLUSIVE);
        assertThat(r.detail()).contains("never received");
    }

    @Test
    void v2ServerSurvivesJunkAndServesTheNextRequest() throws Exception {
        NettyHost server = host();
        AutonatV2Server s = v2Server(server, dialer(), LOOPBACK_PUBLIC, AutonatV2Server.Config.defaults());
        NettyHost client = host();
        AutonatV2Client v2 = v2Client(client, 0);
        Connection c = connect(client, server);
        byte[][] junk = {
            {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},      // a frame of 4 GiB
            {5, 1, 2, 3, 4, 5},                                               // not protobuf
            io.ggen.p2p.protocol.LengthPrefixed.frame(AutonatV2Codec.encode(new AutonatV2Message.DialDataResponse(new byte[10]))),
        };
        for (byte[] j : junk) {
            var st = c.newStream(List.of(AutonatV2Server.DIAL_REQUEST)).get(5, TimeUnit.SECONDS);
            st.setDeadline(java.time.Instant.now().plusSeconds(10));
            try {
                st.out().write(j);
                st.out().flush();
                st.closeWrite();
                assertThat(st.in().readAllBytes()).as("no answer to junk").isEmpty();
            } catch (java.io.IOException e) {
                assertThat(e).hasMessageContaining("reset");
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> s.malformed() == junk.length);
        assertThat(v2.check(c, client.listenAddrs()).outcome()).isEqualTo(AutonatV2Client.Outcome.REACHABLE);
    }

    // ------------------------------------------------------------------ v1

    @Test
    void v1DialsBackAtTheObservedIpOnly() throws Exception {
        NettyHost server = host();
        new AutonatV1Server(server, dialer(), LOOPBACK_PUBLIC, AutonatV1Server.Config.defaults()).register();
        NettyHost client = host();
        AutonatV1Client v1 = new AutonatV1Client(client, Duration.ofSeconds(20));
        Connection c = connect(client, server);

        AutonatV1Client.Result ok = v1.check(c, client.listenAddrs());
        assertThat(ok.outcome()).as(ok.detail()).isEqualTo(AutonatV1Client.Outcome.REACHABLE);
        assertThat(ok.addr()).contains(client.listenAddrs().get(0));

        AutonatV1Client.Result elsewhere = v1.check(c, List.of(Multiaddr.fromString("/ip4/127.0.0.9/tcp/4001")));
        assertThat(elsewhere.outcome()).isEqualTo(AutonatV1Client.Outcome.INCONCLUSIVE);
        assertThat(elsewhere.detail()).contains("DIAL_REFUSED");

        AutonatV1Client.Result closed = v1.check(c, List.of(Multiaddr.fromString("/ip4/127.0.0.1/tcp/" + closedPort())));
        assertThat(closed.outcome()).isEqualTo(AutonatV1Client.Outcome.UNREACHABLE);
    }

    @Test
    void v1ServerRefusesAnAskerAtANonPublicAddress() throws Exception {
        NettyHost server = host();
        new AutonatV1Server(server, dialer(), AddressClassifier.DEFAULT, AutonatV1Server.Config.defaults()).register();
        NettyHost client = host();
        AutonatV1Client.Result r = new AutonatV1Client(client, Duration.ofSeconds(20)).check(connect(client, server), client.listenAddrs());
        assertThat(r.outcome()).isEqualTo(AutonatV1Client.Outcome.INCONCLUSIVE);
        assertThat(r.detail()).contains("not public");
    }

    // ------------------------------------------------------------------ the service

    AutonatConfig serviceConfig(AddressClassifier c) {
        return AutonatConfig.defaults().withClassifier(c).withIntervals(Duration.ofMillis(300), Duration.ofMinutes(10));
    }

    AutonatService service(NettyHost h, AutonatConfig cfg) {
        AutonatService s = AutonatService.start(h, cfg.server() ? dialer() : null, cfg);
        closeables.add(s);
        return s;
    }

    @Test
    void aReachableNodeLearnsItIsPublicFromTwoServers() throws Exception {
        NettyHost b = host();
        NettyHost c = host();
        service(b, serviceConfig(LOOPBACK_PUBLIC).withRoles(true, false));
        service(c, serviceConfig(LOOPBACK_PUBLIC).withRoles(true, false));
        NettyHost a = host();
        List<Event.ReachabilityChanged> seen = new CopyOnWriteArrayList<>();
        a.events().subscribe(Event.ReachabilityChanged.class, seen::add);
        AutonatService mine = service(a, serviceConfig(LOOPBACK_PUBLIC).withRoles(false, true));
        connect(a, b);
        connect(a, c);

        await().atMost(Duration.ofSeconds(30)).until(() -> mine.reachability() == Reachability.PUBLIC);
        assertThat(mine.confidence()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(new Event.ReachabilityChanged(Reachability.PUBLIC, 2, false)));
        assertThat(mine.addresses().get(a.listenAddrs().get(0)).reachability()).isEqualTo(Reachability.PUBLIC);
    }

    @Test
    void aNodeOthersCannotDialLearnsItIsPrivate() throws Exception {
        NettyHost b = host();
        NettyHost c = host();
        service(b, serviceConfig(LOOPBACK_PUBLIC).withRoles(true, false));
        service(c, serviceConfig(LOOPBACK_PUBLIC).withRoles(true, false));
        // Listens on 127.0.0.3 only, and counts only 127.0.0.1 (where it is seen from, its
        // "NAT's address") as public: what it asks about is its observed address, and the
        // observed IP with its listen port, where nothing answers, as behind a NAT.
        NettyHost a = host("/ip4/127.0.0.3/tcp/0");
        AutonatService mine = service(a, serviceConfig(AddressClassifier.withPublicRanges(List.of("127.0.0.1/32"))).withRoles(false, true));
        connect(a, b);
        connect(a, c);

        await().atMost(Duration.ofSeconds(30)).until(() -> mine.reachability() == Reachability.PRIVATE);
        assertThat(mine.confidence()).isEqualTo(2);
    }

    @Test
    void roundsGoOnWhileTheVerdictIsUnknownWithNoFurtherEvents() throws Exception {
        NettyHost b = host();
        service(b, serviceConfig(LOOPBACK_PUBLIC).withRoles(true, false));
        NettyHost a = host();
        // two confirmations needed, one server: unknown for ever, asked every 300 ms
        AutonatService mine = service(a, serviceConfig(LOOPBACK_PUBLIC).withRoles(false, true));
        connect(a, b);
        await().atMost(Duration.ofSeconds(30)).until(() -> mine.rounds() >= 4);
        assertThat(mine.reachability()).isEqualTo(Reachability.UNKNOWN);
    }

    @Test
    void aForcedReachabilityIsPublishedAndNothingIsAsked() throws Exception {
        NettyHost a = host();
        List<Event.ReachabilityChanged> seen = new CopyOnWriteArrayList<>();
        a.events().subscribe(Event.ReachabilityChanged.class, seen::add);
        AutonatService mine = service(a, serviceConfig(LOOPBACK_PUBLIC).withForced(Optional.of(Reachability.PRIVATE)).withRoles(false, true));
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(new Event.ReachabilityChanged(Reachability.PRIVATE, 0, true)));
        assertThat(mine.reachability()).isEqualTo(Reachability.PRIVATE);
        assertThat(mine.forced()).isTrue();
        assertThat(mine.runRound().reachability()).isEqualTo(Reachability.PRIVATE);
        assertThat(mine.rounds()).isZero();
        assertThat(a.protocols()).doesNotContain(AutonatV2Server.DIAL_BACK);
        PeerId unused = a.peerId();
        assertThat(unused).isNotNull();
    }
}
