package io.ggen.cli.p2p;


import io.ggen.p2p.host.NettyHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ggen.cli.testing.Ggen;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ggen marketplace p2p start} as a real process, with its own GGEN_HOME. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartCommandIT {
    @TempDir
    Path home;

    final List<Process> processes = new ArrayList<>();
    final List<Host> hosts = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(p -> p.destroyForcibly());
        hosts.forEach(Host::close);
    }

    /** {@code ggen args...} as a user runs it: the JIT settings of a real node, and its gossip warm-up on. */
    Ggen.Running start(String... args) throws IOException {
        Ggen.Running r = Ggen.at(home).asReleased(List.of(), Map.of("GGEN_P2P_WARMUP", "1000")).start(Map.of(), args);
        processes.add(r.process);
        return r;
    }

    @Test
    void startsServesAndKeepsItsIdentityAcrossRestarts() throws Exception {
        Ggen.Running g = start("marketplace", "p2p", "start", "--listen", "/ip4/127.0.0.1/tcp/0");
        String id = g.awaitLine("Peer ID: ").substring("Peer ID: ".length()).trim();
        g.awaitLine("Listening on:");
        String addr = g.awaitLine("  /ip4/127.0.0.1/tcp/").trim();
        assertThat(addr).endsWith("/p2p/" + id);

        Path key = home.resolve("identity.key");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        NettyHost client = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        hosts.add(client);
        Connection c = client.dial(Multiaddr.fromString(addr)).get(20, TimeUnit.SECONDS);
        assertThat(c.identified().get(20, TimeUnit.SECONDS).agentVersion()).startsWith("ggen/");
        assertThat(client.ping().ping(c, 2)).hasSize(2);

        // By default the node warms its gossip path in the background, among private peers only.
        Path log = home.resolve("logs/node.log");
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(log) && Files.readString(log).contains("gossip path warmed"));
        assertThat(Files.readString(log)).contains("gossip path warmed: 1000 messages published, 2000 deliveries");
        assertThat(client.connections()).hasSize(1);

        g.process.destroy(); // SIGTERM: a clean stop
        assertThat(g.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        c.closed().get(20, TimeUnit.SECONDS);

        Ggen.Running again = start("marketplace", "p2p", "start", "--listen", "/ip4/127.0.0.1/tcp/0");
        assertThat(again.awaitLine("Peer ID: ")).isEqualTo("Peer ID: " + id);
    }

    @Test
    void bootstrapDialsTheGivenPeers() throws Exception {
        Host boot = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        hosts.add(boot);
        String bootAddr = boot.listenAddrs().get(0).withPeerId(boot.peerId()).toString();
        Ggen.Running g = start("marketplace", "p2p", "start", "--listen", "/ip4/127.0.0.1/tcp/0", "--bootstrap", bootAddr);
        assertThat(g.awaitLine("Connected to " + boot.peerId())).contains("/ip4/127.0.0.1/tcp/");
        g.awaitLine("Connected to 1 bootstrap node of 1");
    }

    /** The addresses printed under "Listening on:". */
    static List<String> listening(Ggen.Running g) throws InterruptedException {
        g.awaitLine("Listening on:");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            String l = g.lines.poll(60, TimeUnit.SECONDS);
            if (l == null || !l.startsWith("  /")) break;
            out.add(l.trim());
        }
        return out;
    }

    @Test
    void anIp4WildcardAdvertisesIp4AndBothFamiliesShareAPort() throws Exception {
        Ggen.Running g = start("marketplace", "p2p", "start", "--listen", "/ip4/0.0.0.0/tcp/0");
        List<String> v4only = listening(g);
        assertThat(v4only).isNotEmpty().allSatisfy(a -> assertThat(a).startsWith("/ip4/"));
        assertThat(v4only).anySatisfy(a -> assertThat(a).startsWith("/ip4/127.0.0.1/tcp/"));
        g.process.destroy();
        assertThat(g.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Ggen.Running both = start("marketplace", "p2p", "start", "--listen", "/ip4/0.0.0.0/tcp/" + port, "--listen", "/ip6/::/tcp/" + port);
        List<String> addrs = listening(both);
        String v4 = addrs.stream().filter(a -> a.startsWith("/ip4/127.0.0.1/tcp/" + port + "/p2p/")).findFirst().orElseThrow(() -> new AssertionError(addrs));
        String v6 = addrs.stream().filter(a -> a.startsWith("/ip6/::1/tcp/" + port + "/p2p/")).findFirst().orElseThrow(() -> new AssertionError(addrs));
        NettyHost client = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        hosts.add(client);
        assertThat(client.dialAddress(Multiaddr.fromString(v4)).get(20, TimeUnit.SECONDS).isOpen()).isTrue();
        assertThat(client.dialAddress(Multiaddr.fromString(v6)).get(20, TimeUnit.SECONDS).isOpen()).isTrue();
    }

    @Test
    void badFlagsAreOneLineUsageErrors() throws Exception {
        for (String[] args : List.of(
                new String[] {"marketplace", "p2p", "start", "--listen", "/ip4/1.2.3/tcp/1"},
                new String[] {"marketplace", "p2p", "start", "--listen", "/ip4/127.0.0.1/udp/1/quic-v1"},
                new String[] {"marketplace", "p2p", "start", "--bootstrap", "/ip4/127.0.0.1/tcp/4001"},
                new String[] {"marketplace", "p2p", "start", "--no-such-flag"})) {
            Ggen.Running g = start(args);
            assertThat(g.exit()).as(String.join(" ", args)).isEqualTo(2);
            String err = g.stderr.get(10, TimeUnit.SECONDS);
            assertThat(err).startsWith("error: ").doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    @Test
    void aCorruptIdentityIsAnErrorAndIsNeverReplaced() throws Exception {
        Path key = home.resolve("identity.key");
        Files.write(key, "not a key".getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")); // as a key is kept (a looser one is refused first)
        Ggen.Running g = start("marketplace", "p2p", "start", "--listen", "/ip4/127.0.0.1/tcp/0");
        assertThat(g.exit()).isEqualTo(1);
        String err = g.stderr.get(10, TimeUnit.SECONDS);
        assertThat(err).contains(key.toString()).contains("not a libp2p private key").doesNotContain("\tat ");
        assertThat(Files.readString(key)).isEqualTo("not a key");
    }

    @Test
    void aBusyPortIsAClearError() throws Exception {
        Host busy = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        hosts.add(busy);
        String taken = busy.listenAddrs().get(0).toString();
        Ggen.Running g = start("marketplace", "p2p", "start", "--listen", taken);
        assertThat(g.exit()).isEqualTo(1);
        assertThat(g.stderr.get(10, TimeUnit.SECONDS)).startsWith("error: cannot listen on " + taken);
    }
}
