package io.ggen.p2p.host;


import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.Stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.mux.MuxedStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A host facing peers that misbehave below the protocols: garbage instead of a handshake,
 * silence, handshake floods, streams that never negotiate. Each is disconnected or refused, and
 * the host keeps serving honest peers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostHostileInputTest {
    static final Duration SHORT = Duration.ofSeconds(1);
    NettyHost server;
    final List<NettyHost> others = new ArrayList<>();
    final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() {
        ResourceLimits limits = new ResourceLimits(64, 3, 8, 16, 128, 16, 64L << 20);
        server = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()).withLimits(limits)
                .withTimeouts(Duration.ofSeconds(5), SHORT, SHORT, Duration.ofSeconds(5)));
        server.handle("/test/echo/1.0.0", s -> s.in().transferTo(s.out()));
    }

    @AfterEach
    void stop() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        others.forEach(NettyHost::close);
        server.close();
    }

    InetSocketAddress serverSocket() {
        return server.listenAddrs().get(0).toTcpSocketAddress().orElseThrow();
    }

    Socket raw() throws IOException {
        Socket s = new Socket();
        s.connect(serverSocket(), 5000);
        s.setSoTimeout(10_000);
        sockets.add(s);
        return s;
    }

    /** True when the server closed the socket (EOF or reset) within the socket timeout. */
    static boolean closedByServer(Socket s) {
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            while (true) {
                if (in.read(buf) < 0) return true;
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    void assertStillServes() throws Exception {
        NettyHost honest = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        others.add(honest);
        Connection c = honest.dial(server.listenAddrs().get(0).withPeerId(server.peerId())).get(10, TimeUnit.SECONDS);
        assertThat(honest.ping().ping(c, 1)).hasSize(1);
        honest.hangup(server.peerId()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void randomBytesInsteadOfAHandshakeAreDisconnected() throws Exception {
        Random rnd = new Random(42);
        qt().withExamples(25).withFixedSeed(7).forAll(integers().between(1, 70_000)).checkAssert(len -> {
            try (Socket s = raw()) {
                byte[] junk = new byte[len];
                rnd.nextBytes(junk);
                s.getOutputStream().write(junk);
                s.getOutputStream().flush();
                assertThat(closedByServer(s)).isTrue();
            } catch (IOException e) {
                // the server may reset while we are still writing: disconnected all the same
            }
        });
        assertStillServes();
    }

    @Test
    void garbageAfterAValidMultistreamHeaderIsDisconnected() throws Exception {
        Socket s = raw();
        byte[] header = "\u0013/multistream/1.0.0\n\u0007/noise\n".getBytes(StandardCharsets.ISO_8859_1);
        s.getOutputStream().write(header);
        // a Noise frame that claims 65535 bytes, then garbage
        s.getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3});
        s.getOutputStream().flush();
        assertThat(closedByServer(s)).isTrue();
        assertStillServes();
    }

    @Test
    void silentConnectionsAreClosedAtTheUpgradeDeadline() throws Exception {
        Socket s = raw();
        assertThat(closedByServer(s)).isTrue(); // upgrade timeout is 1 s, socket timeout 10 s
        assertStillServes();
    }

    @Test
    void handshakeFloodIsBoundedAndRecovers() throws Exception {
        List<Socket> flood = new ArrayList<>();
        for (int i = 0; i < 40; i++) flood.add(raw());
        // at most 8 are kept pending; every one is closed by the deadline at the latest
        for (Socket s : flood) assertThat(closedByServer(s)).isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(this::assertStillServes);
    }

    @Test
    void streamsThatNeverNegotiateAreResetAndBounded() throws Exception {
        NettyHost attacker = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        others.add(attacker);
        NettyConnection c = (NettyConnection) attacker.dial(server.listenAddrs().get(0).withPeerId(server.peerId())).get(10, TimeUnit.SECONDS);
        List<MuxedStream> raw = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            MuxedStream st = c.session().openStream().get(10, TimeUnit.SECONDS);
            raw.add(st);
            try {
                st.out().write(1); // make the stream exist remotely, never negotiate
                st.out().flush();
            } catch (IOException e) {
                // already reset by the server: the bound on negotiating streams at work
            }
        }
        NettyConnection serverSide = (NettyConnection) server.connection(attacker.peerId()).orElseThrow();
        assertThat(serverSide.negotiatingStreams()).isLessThanOrEqualTo(16);
        // every one of them is reset: the excess at once, the rest at the negotiation deadline
        for (MuxedStream st : raw) st.closed().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> serverSide.negotiatingStreams() == 0);
        // and the same connection still carries honest streams
        Stream echo = c.newStream(List.of("/test/echo/1.0.0")).get(10, TimeUnit.SECONDS);
        echo.out().write("ok".getBytes(StandardCharsets.UTF_8));
        echo.out().flush();
        echo.closeWrite();
        assertThat(new String(echo.in().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ok");
    }

    @Test
    void aPeerDialingItselfIsRefused() {
        assertThat(server.dial(server.listenAddrs().get(0).withPeerId(server.peerId()))).isCompletedExceptionally();
    }

    @Test
    void undialableAddressesFailCleanly() throws Exception {
        NettyHost a = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        others.add(a);
        for (String addr : List.of("/ip4/127.0.0.1/udp/4001/quic-v1", "/dnsaddr/example.invalid", "/ip4/127.0.0.1/tcp/1")) {
            assertThat(a.dial(Multiaddr.fromString(addr))).failsWithin(Duration.ofSeconds(15));
        }
    }
}
