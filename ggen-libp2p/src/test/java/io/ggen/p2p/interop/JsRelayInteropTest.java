package io.ggen.p2p.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.holepunch.HolePunchConfig;
import io.ggen.p2p.holepunch.HolePunchService;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.relay.RelayConfig;
import io.ggen.p2p.relay.RelayService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Circuit Relay v2 and DCUtR against js-libp2p (@libp2p/circuit-relay-v2, @libp2p/dcutr) on
 * loopback: js clients on our relay, our hosts on a js relay, and a DCUtR exchange started by js.
 * Stock js-libp2p dials and offers only public addresses in DCUtR, so on loopback it ends the
 * round after the two CONNECT messages; the hole punch itself is proven Java to Java in the NAT lab.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JsRelayInteropTest {
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

    private PeerProcess js(String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("--no-dht", "--no-pubsub"));
        a.addAll(List.of(args));
        PeerProcess p = PeerProcess.js(a.toArray(String[]::new));
        closing.add(p);
        p.readyLine();
        return p;
    }

    private RelayService relay(NettyHost h) {
        RelayService r = new RelayService(h, RelayConfig.defaults().withAdvertiseNonPublicAddrs(true));
        r.start();
        closing.add(r);
        return r;
    }

    private static String addr(NettyHost h) {
        return h.listenAddrs().get(0).withPeerId(h.peerId()).toString();
    }

    @Test
    void jsClientsReserveOnOurRelayAndReachEachOtherThroughIt() throws Exception {
        NettyHost r = host();
        RelayService service = relay(r);
        PeerProcess listener = js("--relay-listen", addr(r));
        await().atMost(Duration.ofSeconds(30)).until(() -> service.reservations() == 1);
        PeerProcess dialer = js("--relay-client");
        String circuit = addr(r) + "/p2p-circuit/p2p/" + listener.peerId();
        JsonNode dial = dialer.call(PeerProcess.cmd("dial").put("addr", circuit).put("waitIdentify", false));
        assertThat(dial.path("peer").asText()).isEqualTo(listener.peerId());
        assertThat(dial.path("remoteAddr").asText()).contains("/p2p-circuit");
        JsonNode ping = dialer.call(PeerProcess.cmd("ping").put("peer", listener.peerId()));
        assertThat(ping.path("rttMs").size()).isEqualTo(1);
        assertThat(service.circuits()).isEqualTo(1);
    }

    @Test
    void ourHostsReserveOnAJsRelayAndReachEachOtherThroughIt() throws Exception {
        PeerProcess jsRelay = js("--relay-server");
        NettyHost a = host(), b = host();
        Multiaddr relayAddr = Multiaddr.fromString(jsRelay.addr());
        a.dial(relayAddr).get(10, TimeUnit.SECONDS);
        var reservation = a.relayClient().reserve(PeerId.fromString(jsRelay.peerId()));
        assertThat(reservation.limit()).isPresent();
        Connection c = b.dial(relayAddr.encapsulate(Multiaddr.fromString("/p2p-circuit")).withPeerId(a.peerId())).get(20, TimeUnit.SECONDS);
        assertThat(c.relayed()).isTrue();
        assertThat(c.remotePeer()).isEqualTo(a.peerId());
        assertThat(c.identified().get(10, TimeUnit.SECONDS).peerId()).isEqualTo(a.peerId());
        assertThat(b.ping().ping(c, 2)).hasSize(2);
    }

    @Test
    void aJsPeerThatGotARelayedConnectionStartsDcutrAndWeAnswerIt() throws Exception {
        NettyHost r = host(), a = host();
        RelayService service = relay(r);
        HolePunchService punch = new HolePunchService(a, a.holePunchDialer(), HolePunchConfig.defaults().withAllowNonPublicAddrs(true), a.identify()::observedAddrs);
        punch.start();
        closing.add(punch);
        PeerProcess jsB = js("--relay-listen", addr(r), "--dcutr");
        await().atMost(Duration.ofSeconds(30)).until(() -> service.reservations() == 1);
        Connection c = a.dial(Multiaddr.fromString(addr(r) + "/p2p-circuit/p2p/" + jsB.peerId())).get(20, TimeUnit.SECONDS);
        assertThat(c.relayed()).isTrue();
        // js (the inbound side, B) sends CONNECT; we (A) answer with ours.
        await().atMost(Duration.ofSeconds(30)).until(() -> punch.connectsAnswered() > 0);
    }
}
