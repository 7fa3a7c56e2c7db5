package io.ggen.p2p.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.ConnectionLimit;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Three hosts on loopback: a relay, a peer that reserves on it, and a peer that reaches that one through it. */
class RelayTest {
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    }

    private NettyHost host() {
        NettyHost h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        closing.add(h);
        return h;
    }

    private RelayService relay(NettyHost h, RelayConfig config) {
        RelayService r = new RelayService(h, config.withAdvertiseNonPublicAddrs(true));
        r.start();
        closing.add(r);
        return r;
    }

    private static Multiaddr addr(NettyHost h) {
        return h.listenAddrs().get(0).withPeerId(h.peerId());
    }

    private static Connection connect(NettyHost from, NettyHost to) throws Exception {
        return from.dial(addr(to)).get(10, TimeUnit.SECONDS);
    }

    private static Multiaddr circuit(NettyHost relay, NettyHost target) {
        return addr(relay).encapsulate(Multiaddr.fromString("/p2p-circuit")).withPeerId(target.peerId());
    }

    /** An echo protocol: what comes in goes back, until the end. */
    private static void echo(NettyHost h) {
        h.handle("/test/echo", s -> {
            s.in().transferTo(s.out());
            s.out().flush();
            s.closeWrite();
        });
    }

    private static byte[] roundTrip(Connection c, byte[] data) throws Exception {
        Stream s = c.newStream(List.of("/test/echo")).get(10, TimeUnit.SECONDS);
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                s.out().write(data);
                s.out().flush();
                s.closeWrite();
            } catch (IOException e) {
                s.reset();
            }
        });
        byte[] back = s.in().readAllBytes();
        writer.join();
        s.close();
        return back;
    }

    @Test
    void aPeerReachesAReservedPeerThroughTheRelayAndTheConnectionIsMarkedRelayed() throws Exception {
        NettyHost r = host(), a = host(), b = host();
        relay(r, RelayConfig.defaults());
        echo(a);
        connect(a, r);
        RelayClient.HeldReservation res = a.relayClient().reserve(r.peerId());
        assertThat(res.relay()).isEqualTo(r.peerId());
        assertThat(res.limit()).contains(RelayConfig.defaults().circuitLimit());
        assertThat(res.circuitAddrs()).contains(addr(r).encapsulate(Multiaddr.fromString("/p2p-circuit")));

        Connection c = b.dial(circuit(r, a)).get(10, TimeUnit.SECONDS);
        assertThat(c.relayed()).isTrue();
        assertThat(c.remotePeer()).isEqualTo(a.peerId());
        assertThat(c.limit()).contains(RelayConfig.defaults().circuitLimit());
        assertThat(c.identified().get(10, TimeUnit.SECONDS).peerId()).isEqualTo(a.peerId());
        byte[] data = "hello through the relay".getBytes();
        assertThat(roundTrip(c, data)).isEqualTo(data);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.connections(b.peerId()).stream().anyMatch(Connection::relayed));
        assertThat(a.connections(b.peerId())).allMatch(Connection::relayed);
    }

    @Test
    void aPrivateNodeReservesOnARelayAmongItsPeersAndAdvertisesTheRelayedAddress() throws Exception {
        NettyHost r = host(), a = host(), b = host();
        relay(r, RelayConfig.defaults());
        echo(a);
        AutoRelay auto = new AutoRelay(a, a.relayClient(), a::setRelayedAddrs, List.of(), 2,
                java.util.Optional.of(io.ggen.p2p.core.Event.Reachability.PRIVATE));
        auto.start();
        closing.add(auto);
        connect(a, r).identified().get(10, TimeUnit.SECONDS);
        Multiaddr expected = addr(r).encapsulate(Multiaddr.fromString("/p2p-circuit"));
        await().atMost(Duration.ofSeconds(20)).until(() -> a.advertisedAddrs().contains(expected));
        // b learns the relayed address from a's identify, through the relay, and dials it by peer id
        connect(b, r);
        b.peerStore().addAddrs(a.peerId(), List.of(expected));
        Connection c = b.dial(a.peerId()).get(10, TimeUnit.SECONDS);
        assertThat(c.relayed()).isTrue();
        assertThat(c.identified().get(10, TimeUnit.SECONDS).listenAddrs()).contains(expected);
    }

    @Test
    void whenItsRelayGoesAwayAPrivateNodeMovesToAnotherAndStopsAdvertisingTheOldOne() throws Exception {
        NettyHost r1 = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        RelayService s1 = new RelayService(r1, RelayConfig.defaults().withAdvertiseNonPublicAddrs(true));
        s1.start();
        NettyHost r2 = host(), a = host();
        relay(r2, RelayConfig.defaults());
        AutoRelay auto = new AutoRelay(a, a.relayClient(), a::setRelayedAddrs, List.of(), 1,
                java.util.Optional.of(io.ggen.p2p.core.Event.Reachability.PRIVATE));
        auto.start();
        closing.add(auto);
        Multiaddr via1 = addr(r1).encapsulate(Multiaddr.fromString("/p2p-circuit"));
        Multiaddr via2 = addr(r2).encapsulate(Multiaddr.fromString("/p2p-circuit"));
        connect(a, r1).identified().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> a.advertisedAddrs().contains(via1));
        s1.close();
        r1.close();
        connect(a, r2).identified().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> a.advertisedAddrs().contains(via2) && !a.advertisedAddrs().contains(via1));
        assertThat(a.relayClient().reservations()).containsOnlyKeys(r2.peerId());
    }

    @Test
    void aRelayThatLiesInItsVoucherGivesNoReservation() throws Exception {
        NettyHost liar = host(), a = host();
        io.ggen.p2p.crypto.PrivateKey otherKey = Ed25519PrivateKey.generate();
        long expire = java.time.Instant.now().plusSeconds(3600).getEpochSecond();
        java.util.Map<String, byte[]> vouchers = java.util.Map.of(
                "signed by another key", new ReservationVoucher(io.ggen.p2p.crypto.PeerId.fromPublicKey(otherKey.publicKey()), a.peerId(), expire).seal(otherKey),
                "for another peer", new ReservationVoucher(liar.peerId(), b(liar), expire).seal(liar.identity()),
                "another expiry", new ReservationVoucher(liar.peerId(), a.peerId(), expire + 600).seal(liar.identity()),
                "not an envelope", new byte[] {1, 2, 3});
        connect(a, liar);
        for (var e : vouchers.entrySet()) {
            liar.handle(RelayCodec.HOP_PROTOCOL, s -> {
                RelayCodec.readHop(s.in());
                RelayCodec.write(s.out(), new RelayMessage.HopStatus(RelayMessage.Status.OK,
                        java.util.Optional.of(new RelayMessage.Reservation(expire, List.of(), java.util.Optional.of(e.getValue()))), java.util.Optional.empty()));
            });
            assertThatThrownBy(() -> a.relayClient().reserve(liar.peerId())).as(e.getKey()).isInstanceOf(RelayProtocolException.class);
            assertThat(a.relayClient().reservations()).isEmpty();
        }
    }

    private static io.ggen.p2p.crypto.PeerId b(NettyHost notThisOne) {
        io.ggen.p2p.crypto.PeerId p = io.ggen.p2p.crypto.PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        assertThat(p).isNotEqualTo(notThisOne.peerId());
        return p;
    }

    @Test
    void aStopStreamFromAPeerWeHoldNoReservationWithIsDenied() throws Exception {
        NettyHost a = host(), mallory = host();
        Connection c = connect(mallory, a);
        Stream s = c.newStream(List.of(RelayCodec.STOP_PROTOCOL)).get(10, TimeUnit.SECONDS);
        RelayCodec.write(s.out(), new RelayMessage.StopConnect(new RelayMessage.PeerInfo(mallory.peerId(), List.of()), java.util.Optional.empty()));
        RelayMessage.Stop answer = RelayCodec.readStop(s.in()).orElseThrow();
        assertThat(answer).isEqualTo(new RelayMessage.StopStatus(RelayMessage.Status.PERMISSION_DENIED));
        assertThat(a.connections(mallory.peerId())).noneMatch(Connection::relayed);
    }

    @Test
    void junkOnTheHopStreamGetsAnErrorStatusAndNoCrash() throws Exception {
        NettyHost r = host(), m = host();
        RelayService service = relay(r, RelayConfig.defaults());
        Connection c = connect(m, r);
        for (byte[] junk : List.of(new byte[] {5, 1, 2, 3, 4, 5}, new byte[] {2, 0x08, 0x02}, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f})) {
            Stream s = c.newStream(List.of(RelayCodec.HOP_PROTOCOL)).get(10, TimeUnit.SECONDS);
            s.out().write(junk);
            s.out().flush();
            RelayMessage.Hop answer = RelayCodec.readHop(s.in()).orElseThrow();
            assertThat(answer).isInstanceOf(RelayMessage.HopStatus.class);
            assertThat(((RelayMessage.HopStatus) answer).status()).isIn(RelayMessage.Status.MALFORMED_MESSAGE, RelayMessage.Status.UNEXPECTED_MESSAGE);
            s.close();
        }
        assertThat(service.reservations()).isZero();
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void aFloodOfReservationsAndConnectsFromOnePeerHoldsOneSlotAndLeavesNothingBehind() throws Exception {
        NettyHost r = host(), m = host(), a = host();
        RelayService service = relay(r, RelayConfig.defaults().withCircuits(64, 2));
        connect(a, r);
        a.relayClient().reserve(r.peerId());
        Connection c = connect(m, r);
        List<java.util.concurrent.CompletableFuture<RelayMessage.Hop>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            boolean reserve = i % 2 == 0;
            answers.add(c.newStream(List.of(RelayCodec.HOP_PROTOCOL)).thenApplyAsync(s -> {
                try {
                    RelayCodec.write(s.out(), reserve ? new RelayMessage.Reserve()
                            : new RelayMessage.Connect(new RelayMessage.PeerInfo(a.peerId(), List.of())));
                    RelayMessage.Hop answer = RelayCodec.readHop(s.in()).orElseThrow();
                    s.close();
                    return answer;
                } catch (IOException e) {
                    s.reset();
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        int ok = 0, refused = 0;
        for (var f : answers) {
            try {
                RelayMessage.HopStatus st = (RelayMessage.HopStatus) f.get(30, TimeUnit.SECONDS);
                if (st.status() == RelayMessage.Status.OK) ok++;
                else refused++;
            } catch (ExecutionException e) {
                refused++; // a stream the relay or the muxer reset under the load
            }
        }
        assertThat(ok + refused).isEqualTo(200);
        assertThat(service.reservations()).isEqualTo(2);
        assertThat(service.refused()).isPositive(); // circuits beyond two at once to a were refused
        m.hangup(r.peerId()).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> service.reservations() == 1 && service.circuits() == 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> r.openStreams() <= 2 && r.activeStreamTasks() <= 2);
        assertThat(a.connections(r.peerId())).anyMatch(Connection::isOpen);
    }

    @Test
    void withoutAReservationTheRelayRefuses() throws Exception {
        NettyHost r = host(), a = host(), b = host();
        relay(r, RelayConfig.defaults());
        connect(a, r);
        assertThatThrownBy(() -> b.dial(circuit(r, a)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("NO_RESERVATION");
    }

    @Test
    void theRelayResetsACircuitThatPassesItsDataLimit() throws Exception {
        NettyHost r = host(), a = host(), b = host();
        RelayService service = relay(r, RelayConfig.defaults().withCircuitLimit(new ConnectionLimit(Duration.ofMinutes(2), 64 * 1024)));
        echo(a);
        connect(a, r);
        a.relayClient().reserve(r.peerId());
        Connection c = b.dial(circuit(r, a)).get(10, TimeUnit.SECONDS);
        assertThat(roundTrip(c, new byte[1000])).hasSize(1000);
        assertThatThrownBy(() -> roundTrip(c, new byte[256 * 1024])).isInstanceOf(Exception.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !c.isOpen());
        assertThat(service.limitResets()).isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> service.circuits() == 0);
    }

    @Test
    void reservationsBeyondTheLimitsAreRefusedAndGoneWhenThePeersLeave() throws Exception {
        NettyHost r = host();
        RelayService service = relay(r, RelayConfig.defaults().withReservations(100, 3));
        List<NettyHost> clients = new ArrayList<>();
        int granted = 0, refused = 0;
        for (int i = 0; i < 6; i++) {
            NettyHost c = host();
            clients.add(c);
            connect(c, r);
            try {
                c.relayClient().reserve(r.peerId());
                granted++;
            } catch (RelayRefusedException e) {
                assertThat(e.status()).isEqualTo(RelayMessage.Status.RESERVATION_REFUSED);
                refused++;
            }
        }
        // all from 127.0.0.1: three per address
        assertThat(granted).isEqualTo(3);
        assertThat(refused).isEqualTo(3);
        for (NettyHost c : clients) c.hangup(r.peerId()).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> service.reservations() == 0 && service.bookkeepingEntries() == 0);
    }
}
