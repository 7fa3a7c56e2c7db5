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
