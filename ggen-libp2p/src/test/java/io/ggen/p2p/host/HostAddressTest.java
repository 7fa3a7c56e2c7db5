package io.ggen.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ggen.p2p.core.Connection;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a host does per remote address: limits per IP (one address cannot take every handshake
 * slot), the addresses it listens on and advertises per family, and dialing one given address.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostAddressTest {
    final List<NettyHost> hosts = new ArrayList<>();
    final List<Socket> sockets = new ArrayList<>();

    NettyHost host(HostConfig config) {
        NettyHost h = NettyHost.start(config);
        hosts.add(h);
        return h;
    }

    NettyHost host() {
        return host(HostConfig.defaults(Ed25519PrivateKey.generate()));
    }

    static HostConfig config() {
        return HostConfig.defaults(Ed25519PrivateKey.generate());
    }

    static Multiaddr addr(NettyHost h) {
        return h.listenAddrs().get(0).withPeerId(h.peerId());
    }

    @AfterEach
    void close() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        hosts.forEach(NettyHost::close);
    }

    // ------------------------------------------------------------------ limits per address

    @Test
    void aFloodFromOneAddressLeavesHandshakeSlotsForOthers() throws Exception {
        // The per-address limits apply to loopback here, so 127.0.0.2 plays a remote attacker.
        ResourceLimits limits = ResourceLimits.defaults()
                .withPerIp(ResourceLimits.DEFAULT_PENDING_PER_IP, ResourceLimits.DEFAULT_CONNECTIONS_PER_IP, true);
        NettyHost server = host(config().withLimits(limits));
        InetSocketAddress target = server.listenAddrs().get(0).toTcpSocketAddress().orElseThrow();
        int flood = 500;
        for (int i = 0; i < flood; i++) {
            Socket s = new Socket();
            sockets.add(s);
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            s.connect(target, 5000); // and never says a word: each would hold a slot for the upgrade deadline (15 s)
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> server.pendingInbound() + server.refusedInbound() >= flood);
        assertThat(server.pendingInbound()).isEqualTo(ResourceLimits.DEFAULT_PENDING_PER_IP);

        NettyHost honest = host(); // from 127.0.0.1
        Connection c = honest.dial(addr(server)).get(10, TimeUnit.SECONDS);
        assertThat(honest.ping().ping(c, 1)).hasSize(1);
    }

    @Test
    void inboundConnectionsPerAddressAreCapped() throws Exception {
        NettyHost server = host(config().withLimits(ResourceLimits.defaults().withPerIp(8, 2, true)));
        host().dial(addr(server)).get(10, TimeUnit.SECONDS);
        host().dial(addr(server)).get(10, TimeUnit.SECONDS);
        NettyHost third = host();
        assertThatThrownBy(() -> {
            Connection c = third.dial(addr(server)).get(10, TimeUnit.SECONDS);
            c.closed().get(10, TimeUnit.SECONDS); // refused at accept, or closed right after the upgrade
            throw new IOException("closed by the server");
        }).isInstanceOf(Exception.class);
        // the dialer may finish its upgrade before the server has registered the connection
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.connectionCount()).isEqualTo(2));
        // a connection that closes gives its address's slot back
        hosts.get(1).close();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 1);
        NettyHost fourth = host();
        assertThat(fourth.dial(addr(server)).get(10, TimeUnit.SECONDS).isOpen()).isTrue();
    }

    @Test
    void loopbackIsExemptByDefault() throws Exception {
        NettyHost server = host(config().withLimits(ResourceLimits.defaults().withPerIp(1, 1, false)));
        host().dial(addr(server)).get(10, TimeUnit.SECONDS);
        host().dial(addr(server)).get(10, TimeUnit.SECONDS);
        // the dialer may finish its upgrade before the server has registered the connection
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.connectionCount()).isEqualTo(2));
    }

    @Test
    void addressesAreCountedPerIp4AndPerIp6Slash64() throws Exception {
        PerAddressCounter c = new PerAddressCounter();
        InetAddress a = InetAddress.getByName("203.0.113.7");
        assertThat(c.tryAcquire(a, 2)).isTrue();
        assertThat(c.tryAcquire(InetAddress.getByName("::ffff:203.0.113.7"), 2)).isTrue();
        assertThat(c.tryAcquire(a, 2)).isFalse();
        assertThat(c.tryAcquire(InetAddress.getByName("203.0.113.8"), 2)).isTrue();
        assertThat(c.tryAcquire(InetAddress.getByName("2001:db8:1:2::1"), 1)).isTrue();
        assertThat(c.tryAcquire(InetAddress.getByName("2001:db8:1:2:ffff::9"), 1)).as("same /64").isFalse();
        assertThat(c.tryAcquire(InetAddress.getByName("2001:db8:1:3::1"), 1)).as("another /64").isTrue();
        c.release(a);
        c.release(a);
        assertThat(c.count(a)).isZero();
        c.release(a); // more releases than acquires never go negative
        assertThat(c.count(a)).isZero();
        assertThat(c.addresses()).isEqualTo(3);
        assertThat(PerAddressCounter.limited(InetAddress.getByName("127.0.0.2"), false)).isFalse();
        assertThat(PerAddressCounter.limited(InetAddress.getByName("::1"), false)).isFalse();
        assertThat(PerAddressCounter.limited(InetAddress.getByName("127.0.0.2"), true)).isTrue();
        assertThat(PerAddressCounter.limited(InetAddress.getByName("10.1.2.3"), false)).isTrue();
    }

    // ------------------------------------------------------------------ listening

    @Test
    void anIp4WildcardListensAndAdvertisesIp4Only() throws Exception {
        NettyHost server = host(config().withListenAddrs(List.of(Multiaddr.fromString("/ip4/0.0.0.0/tcp/0"))));
        assertThat(server.listenAddrs()).isNotEmpty().allSatisfy(a -> assertThat(a.toString()).startsWith("/ip4/"));
        Multiaddr loopback = server.listenAddrs().stream().filter(a -> a.toString().startsWith("/ip4/127.0.0.1/")).findFirst().orElseThrow();
        assertThat(host().dial(loopback.withPeerId(server.peerId())).get(10, TimeUnit.SECONDS).isOpen()).isTrue();
    }

    @Test
    void ip4AndIp6WildcardsShareOnePort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        NettyHost server = host(config().withListenAddrs(List.of(
                Multiaddr.fromString("/ip4/0.0.0.0/tcp/" + port), Multiaddr.fromString("/ip6/::/tcp/" + port))));
        Multiaddr v4 = Multiaddr.fromString("/ip4/127.0.0.1/tcp/" + port);
        Multiaddr v6 = Multiaddr.fromString("/ip6/::1/tcp/" + port);
        assertThat(server.listenAddrs()).contains(v4, v6);
        assertThat(host().dial(v4.withPeerId(server.peerId())).get(10, TimeUnit.SECONDS).isOpen()).isTrue();
        assertThat(host().dial(v6.withPeerId(server.peerId())).get(10, TimeUnit.SECONDS).isOpen()).isTrue();
    }

    @Test
    void anIp6WildcardAdvertisesIp6Only() throws Exception {
        NettyHost server = host(config().withListenAddrs(List.of(Multiaddr.fromString("/ip6/::/tcp/0"))));
        assertThat(server.listenAddrs()).isNotEmpty().allSatisfy(a -> assertThat(a.toString()).startsWith("/ip6/"));
    }

    // ------------------------------------------------------------------ dialing one address

    @Test
    void dialAddressDialsTheGivenAddressEvenWhenThePeerIsConnected() throws Exception {
        NettyHost server = host();
        NettyHost client = host();
        Connection first = client.dial(addr(server)).get(10, TimeUnit.SECONDS);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Multiaddr wrong = Multiaddr.fromString("/ip4/127.0.0.1/tcp/" + closedPort).withPeerId(server.peerId());
        // dial() hands back the open connection whatever the address; dialAddress() tries the address
        assertThat(client.dial(wrong).get(10, TimeUnit.SECONDS)).isSameAs(first);
        assertThatThrownBy(() -> client.dialAddress(wrong).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("cannot connect");
        // the address of the open connection: that connection
        assertThat(client.dialAddress(addr(server)).get(10, TimeUnit.SECONDS)).isSameAs(first);
    }
}
