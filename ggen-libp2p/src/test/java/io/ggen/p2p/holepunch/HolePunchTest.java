package io.ggen.p2p.holepunch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.IdentifyInfo;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.protocol.LengthPrefixed;
import io.ggen.p2p.relay.RelayConfig;
import io.ggen.p2p.relay.RelayService;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DCUtR between two hosts on loopback, through a relay: connection reversal, and the full round
 * (CONNECT, CONNECT, SYNC, dials from the listening ports). The hole punch through real NATs is
 * in the NAT lab (ggen-cli's NatLabIT).
 */
class HolePunchTest {
    private final List<AutoCloseable> closing = new ArrayList<>();
    private static final HolePunchConfig CONFIG = new HolePunchConfig(3, 4, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMillis(200), true, io.ggen.p2p.multiaddr.AddressClassifier.DEFAULT);

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    }

    private NettyHost host() {
        NettyHost h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        closing.add(h);
        return h;
    }

    private HolePunchService service(NettyHost h, boolean start) {
        HolePunchService s = new HolePunchService(h, h.holePunchDialer(), CONFIG, h.identify()::observedAddrs);
        if (start) {
            s.start();
            closing.add(s);
        }
        return s;
    }

    private static Multiaddr addr(NettyHost h) {
        return h.listenAddrs().get(0).withPeerId(h.peerId());
    }

    /** {@code target} reserves on a relay; {@code dialer} reaches it through the relay. Returns the dialer's relayed connection. */
    private Connection relayed(NettyHost dialer, NettyHost target) throws Exception {
        NettyHost r = host();
        RelayService relay = new RelayService(r, RelayConfig.defaults().withAdvertiseNonPublicAddrs(true));
        relay.start();
        closing.add(relay);
        target.dial(addr(r)).get(10, TimeUnit.SECONDS);
        target.relayClient().reserve(r.peerId());
        Connection c = dialer.dial(addr(r).encapsulate(Multiaddr.fromString("/p2p-circuit")).withPeerId(target.peerId())).get(10, TimeUnit.SECONDS);
        assertThat(c.relayed()).isTrue();
        return c;
    }

    @Test
    void thePeerThatGotTheRelayedConnectionDialsBackAPublicPeerDirectly() throws Exception {
        NettyHost dialer = host(), target = host();
        HolePunchService targetSide = service(target, true);
        service(dialer, true);
        Connection relayed = relayed(dialer, target);

        await().atMost(Duration.ofSeconds(20)).until(() -> dialer.connection(target.peerId()).map(c -> !c.relayed()).orElse(false));
        await().atMost(Duration.ofSeconds(20)).until(() -> !relayed.isOpen());
        assertThat(targetSide.outcome(dialer.peerId())).hasValueSatisfying(o -> {
            assertThat(o.direct()).isTrue();
            assertThat(o.detail()).contains("dialing back");
        });
    }

    @Test
    void aHolePunchRoundGivesBothPeersADirectConnectionThatNewStreamsUse() throws Exception {
        NettyHost dialer = host(), target = host();
        HolePunchService dialerSide = service(dialer, true);
        HolePunchService targetSide = service(target, false);
        relayed(dialer, target);
        // the dialer's side exists once its upgrade is done; the target's may register a moment later
        Connection targetsRelayed = await().atMost(Duration.ofSeconds(10)).until(
                () -> target.connections(dialer.peerId()).stream().filter(Connection::relayed).findFirst(), java.util.Optional::isPresent).orElseThrow();
        // The dialer advertises nothing, so no dial-back: a full DCUtR round.
        IdentifyInfo silent = IdentifyInfo.of(dialer.identity().publicKey(), "", "", List.of(), Optional.empty(), List.of(), Optional.empty());
        targetSide.upgrade(targetsRelayed, silent);

        assertThat(targetSide.outcome(dialer.peerId())).hasValueSatisfying(o -> {
            assertThat(o.direct()).as(o.detail()).isTrue();
            assertThat(o.detail()).contains("hole punching");
        });
        assertThat(targetSide.punches()).isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> dialerSide.punches() > 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> dialer.connection(target.peerId()).map(c -> !c.relayed()).orElse(false)
                && target.connection(dialer.peerId()).map(c -> !c.relayed()).orElse(false));
        // A new stream goes over the direct connection: ping answers on it.
        Connection direct = dialer.connection(target.peerId()).orElseThrow();
        assertThat(dialer.ping().ping(direct, 1)).isNotEmpty();
    }

    @Test
    void whenThePeersSynReachesOurListenerFirstTheAcceptedConnectionTakesTheRoleTheRoundGaveUs() throws Exception {
        // The round made `a` the client (the spec's A). `b` dials from its listening port before
        // `a` dials at all, so `a`'s listener accepts: without the expectation both ends would
        // answer as servers and wait on each other until the dial timed out.
        NettyHost a = host(), b = host();
        a.holePunchDialer().expect(List.of(addr(b).withoutPeerId()), b.peerId(), true, Duration.ofSeconds(10));
        Connection fromB = b.holePunchDialer().dial(addr(a).withoutPeerId(), a.peerId(), false).get(10, TimeUnit.SECONDS);
        assertThat(fromB.remotePeer()).isEqualTo(a.peerId());
        Connection atA = await().atMost(Duration.ofSeconds(10)).until(() -> a.connection(b.peerId()), Optional::isPresent).orElseThrow();
        assertThat(a.ping().ping(atA, 1)).isNotEmpty();
        assertThat(b.ping().ping(fromB, 1)).isNotEmpty();
    }

    @Test
    void anExpectationIsUsedOnceAndOnlyForTheAddressItNames() throws Exception {
        NettyHost a = host(), b = host(), stranger = host();
        a.holePunchDialer().expect(List.of(addr(b).withoutPeerId()), b.peerId(), true, Duration.ofSeconds(10));
        // An ordinary dial from another address is answered as usual.
        assertThat(stranger.dial(addr(a)).get(10, TimeUnit.SECONDS).remotePeer()).isEqualTo(a.peerId());
        b.holePunchDialer().dial(addr(a).withoutPeerId(), a.peerId(), false).get(10, TimeUnit.SECONDS).close();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.connection(b.peerId()).isEmpty());
        // Used up: b's ordinary dial (from an ephemeral port) gets the ordinary server side.
        assertThat(b.dial(addr(a)).get(10, TimeUnit.SECONDS).remotePeer()).isEqualTo(a.peerId());
    }

    @Test
    void junkAddressesAreDroppedAndTooManyAreCut() throws Exception {
        NettyHost h = host();
        // the documentation ranges count as public only where the node's public_ranges says so
        io.ggen.p2p.multiaddr.AddressClassifier lab = io.ggen.p2p.multiaddr.AddressClassifier.withPublicRanges(List.of("198.51.100.0/24", "203.0.113.0/24"));
        HolePunchService strict = new HolePunchService(h, h.holePunchDialer(), HolePunchConfig.defaults().withClassifier(lab), List::of);
        HolePunchService plain = new HolePunchService(h, h.holePunchDialer(), HolePunchConfig.defaults(), List::of);
        List<Multiaddr> offered = new ArrayList<>();
        offered.add(Multiaddr.fromString("/ip4/10.0.0.1/tcp/4001"));
        offered.add(Multiaddr.fromString("/ip4/127.0.0.1/tcp/4001"));
        offered.add(Multiaddr.fromString("/ip4/192.168.1.1/tcp/4001"));
        offered.add(Multiaddr.fromString("/ip4/0.0.0.0/tcp/4001"));
        offered.add(Multiaddr.fromString("/ip4/198.51.100.7/tcp/0"));
        offered.add(Multiaddr.fromString("/ip4/198.51.100.7/udp/4001"));
        for (int i = 0; i < 40; i++) offered.add(Multiaddr.fromString("/ip4/203.0.113." + (i + 1) + "/tcp/4001"));
        byte[] wire = HolePunchCodec.encode(new HolePunchMessage.Connect(offered));
        HolePunchMessage.Connect back = (HolePunchMessage.Connect) HolePunchCodec.read(new ByteArrayInputStream(LengthPrefixed.frame(wire))).orElseThrow();
        assertThat(back.addrs()).hasSizeLessThanOrEqualTo(HolePunchCodec.MAX_ADDRS);
        List<Multiaddr> usable = strict.usable(offered);
        assertThat(usable).hasSize(HolePunchCodec.MAX_ADDRS).allMatch(lab::isPublic)
                .allMatch(a -> a.toString().startsWith("/ip4/203.0.113."));
        assertThat(plain.usable(offered)).as("documentation addresses are not public by default").isEmpty();
    }

    @Test
    void oversizedAndMalformedMessagesAreRefusedBeforeAllocation() {
        byte[] huge = new byte[10];
        int n = io.ggen.p2p.multiformats.Varint.write(1L << 30, huge, 0);
        assertThatThrownBy(() -> HolePunchCodec.read(new ByteArrayInputStream(huge, 0, n))).isInstanceOf(HolePunchException.class);
        assertThatThrownBy(() -> HolePunchCodec.decode(new byte[] {0x08, 0x05})).isInstanceOf(HolePunchException.class);
        assertThatThrownBy(() -> HolePunchCodec.decode(new byte[] {(byte) 0xff, (byte) 0xff})).isInstanceOf(HolePunchException.class);
        assertThatThrownBy(() -> HolePunchCodec.decode(new byte[5000])).isInstanceOf(HolePunchException.class);
    }
}
