package io.ggen.p2p.interop;


import io.ggen.p2p.host.NettyHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.KeyType;
import io.ggen.p2p.crypto.Keys;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Direction;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.core.IdentifyInfo;
import io.ggen.p2p.protocol.identify.IdentifyService;
import io.ggen.p2p.protocol.ping.PingService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our host against real js-libp2p 3.x peers (interop/jspeer), in both directions: upgrade,
 * identify, ping, bulk transfer with content hashes, concurrent streams, other key types, and a
 * peer vanishing mid-stream.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JsInteropTest {
    static final String SINK = "/bench/sink/1.0.0";
    static final String JS_AGENT = "jspeer/1.0 (ggen reference peer)";
    static final int MIB = 1 << 20;

    NettyHost host;
    final List<PeerProcess> peers = new ArrayList<>();
    /** SHA-256 (hex) of each stream received by our sink handler, in arrival order. */
    final List<String> sinkHashes = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicInteger sinkStreams = new AtomicInteger();

    @BeforeEach
    void startHost() {
        host = startHost(Ed25519PrivateKey.generate());
    }

    NettyHost startHost(PrivateKey key) {
        // 100 streams arrive at once in the concurrency tests; on a loaded machine they can all
        // still be negotiating together, so the per-connection negotiation limit (64 by default,
        // tested in HostHostileInputTest) is raised here: these tests are about the data streams.
        io.ggen.p2p.host.ResourceLimits d = io.ggen.p2p.host.ResourceLimits.defaults();
        NettyHost h = NettyHost.start(HostConfig.defaults(key).withLimits(new io.ggen.p2p.host.ResourceLimits(d.maxConnections(), d.maxConnectionsPerPeer(),
                d.maxPendingInbound(), d.maxPendingOutbound(), d.maxStreamsPerConnection(), 256, d.maxBufferedBytes())));
        h.handle(SINK, this::serveSink);
        return h;
    }

    @AfterEach
    void stop() {
        peers.forEach(PeerProcess::close);
        if (host != null) host.close();
    }

    PeerProcess js(String... args) throws IOException {
        return js(Map.of(), args);
    }

    PeerProcess js(Map<String, String> env, String... args) throws IOException {
        List<String> a = new ArrayList<>(List.of("--no-dht", "--no-pubsub"));
        a.addAll(List.of(args));
        PeerProcess p = PeerProcess.js(env, a.toArray(String[]::new));
        peers.add(p);
        return p;
    }

    void serveSink(Stream s) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[128 * 1024];
        long n = 0;
        int r;
        while ((r = s.in().read(buf)) >= 0) {
            n += r;
            sha.update(buf, 0, r);
        }
        s.out().write(ByteBuffer.allocate(8).putLong(n).array());
        s.out().flush();
        sinkHashes.add(HexFormat.of().formatHex(sha.digest()));
        sinkStreams.incrementAndGet();
    }

    String myAddr() {
        return host.listenAddrs().get(0).withPeerId(host.peerId()).toString();
    }

    Connection dial(PeerProcess p) throws Exception {
        return host.dial(Multiaddr.fromString(p.addr())).get(30, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ upgrade and identify

    @Test
    void javaDialsJs_negotiatesNoiseAndYamux_andBothSidesIdentify() throws Exception {
        PeerProcess js = js();
        Connection c = dial(js);
        assertThat(c.security()).isEqualTo("/noise");
        assertThat(c.muxer()).isEqualTo("/yamux/1.0.0");
        assertThat(c.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(c.remotePeer().toString()).isEqualTo(js.peerId());

        IdentifyInfo theirs = c.identified().get(30, TimeUnit.SECONDS);
        assertThat(theirs.agentVersion()).isEqualTo(JS_AGENT);
        assertThat(theirs.protocols()).contains(IdentifyService.PROTOCOL, IdentifyService.PUSH_PROTOCOL, PingService.PROTOCOL, SINK);
        assertThat(theirs.listenAddrs()).contains(Multiaddr.fromString(js.addr()).withoutPeerId());
        // js appends our /p2p/ id to the address it observed
        assertThat(theirs.observedAddr().map(Multiaddr::withoutPeerId)).contains(c.localAddr());
        assertThat(theirs.peerId()).isEqualTo(c.remotePeer());

        JsonNode conns = js.call(PeerProcess.cmd("peers"));
        assertThat(conns.get("peers").get(0).get("encryption").asText()).isEqualTo("/noise");
        assertThat(conns.get("peers").get(0).get("muxer").asText()).isEqualTo("/yamux/1.0.0");
        assertThat(conns.get("peers").get(0).get("direction").asText()).isEqualTo("inbound");

        // js identified us: wait until its peer store has our agent, then check every field.
        JsonNode mine = awaitJsIdentify(js, host.peerId());
        assertThat(mine.get("agentVersion").asText()).startsWith("ggen/");
        assertThat(strings(mine.get("protocols"))).contains(IdentifyService.PROTOCOL, IdentifyService.PUSH_PROTOCOL, PingService.PROTOCOL, SINK);
        assertThat(strings(mine.get("addrs"))).contains(host.listenAddrs().get(0).toString());
    }

    @Test
    void jsDialsJava_negotiatesNoiseAndYamux_andBothSidesIdentify() throws Exception {
        PeerProcess js = js();
        JsonNode r = js.call(PeerProcess.cmd("dial").put("addr", myAddr()));
        assertThat(r.get("peer").asText()).isEqualTo(host.peerId().toString());
        assertThat(r.get("encryption").asText()).isEqualTo("/noise");
        assertThat(r.get("muxer").asText()).isEqualTo("/yamux/1.0.0");
        assertThat(r.get("agentVersion").asText()).startsWith("ggen/");
        assertThat(strings(r.get("protocols"))).contains(IdentifyService.PROTOCOL, PingService.PROTOCOL, SINK);

        Connection c = host.connection(PeerId.fromString(js.peerId())).orElseThrow();
        assertThat(c.direction()).isEqualTo(Direction.INBOUND);
        assertThat(c.security()).isEqualTo("/noise");
        IdentifyInfo theirs = c.identified().get(30, TimeUnit.SECONDS);
        assertThat(theirs.agentVersion()).isEqualTo(JS_AGENT);
        assertThat(theirs.protocols()).contains(PingService.PROTOCOL);
    }

    @Test
    void identifyPushReachesJsWhenWeAddAProtocol() throws Exception {
        PeerProcess js = js();
        Connection c = dial(js);
        c.identified().get(30, TimeUnit.SECONDS);
        awaitJsIdentify(js, host.peerId());
        host.handle("/ggen/test-push/1.0.0", s -> {});
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(strings(js.call(PeerProcess.cmd("identify").put("peer", host.peerId().toString())).get("protocols")))
                        .contains("/ggen/test-push/1.0.0"));
    }

    // ------------------------------------------------------------------ ping

    @Test
    void pingBothWays() throws Exception {
        PeerProcess js = js();
        Connection c = dial(js);
        List<Duration> rtts = host.ping().ping(c, 5);
        assertThat(rtts).hasSize(5).allMatch(d -> !d.isNegative() && !d.isZero());
        JsonNode r = js.call(PeerProcess.cmd("ping").put("peer", host.peerId().toString()).put("count", 5));
        assertThat(r.get("rttMs")).hasSize(5);
    }

    // ------------------------------------------------------------------ bulk data

    @Test
    void sixtyFourMiBEachWay_hashesMatch() throws Exception {
        PeerProcess js = js(Map.of("PEER_HASH", "1"), "--events");
        Connection c = dial(js);

        // js -> Java: random content, our sink hashes it, js reports what it sent.
        JsonNode sent = js.call(PeerProcess.cmd("sinkTo").put("peer", host.peerId().toString()).put("bytes", 64 * MIB)
                .put("pattern", "random"), Duration.ofSeconds(120));
        assertThat(sent.get("acked").asLong()).isEqualTo(64L * MIB);
        assertThat(sinkHashes).contains(sent.get("sha256").asText());

        // Java -> js: random content, js's sink event reports the hash of what arrived.
        byte[] block = new byte[64 * 1024];
        ThreadLocalRandom.current().nextBytes(block);
        MessageDigest sha = sha256();
        Stream s = c.newStream(List.of(SINK)).get(30, TimeUnit.SECONDS);
        OutputStream out = s.out();
        for (int i = 0; i < 1024; i++) {
            ByteBuffer.wrap(block).putLong(0, i);
            sha.update(block);
            out.write(block);
        }
        out.flush();
        s.closeWrite();
        byte[] ack = s.in().readNBytes(8);
        assertThat(ByteBuffer.wrap(ack).getLong()).isEqualTo(64L * MIB);
        String ours = HexFormat.of().formatHex(sha.digest());
        JsonNode ev = js.awaitEvent(e -> "sink".equals(e.path("event").asText()) && host.peerId().toString().equals(e.path("peer").asText()),
                Duration.ofSeconds(60));
        assertThat(ev.get("sha256").asText()).isEqualTo(ours);
        assertThat(host.connections(c.remotePeer())).hasSize(1);
    }

    @Test
    void sourceFromJs_sixtyFourMiB() throws Exception {
        PeerProcess js = js();
        Connection c = dial(js);
        Stream s = c.newStream(List.of("/bench/source/1.0.0")).get(30, TimeUnit.SECONDS);
        s.out().write(ByteBuffer.allocate(8).putLong(64L * MIB).array());
        s.out().flush();
        s.closeWrite();
        MessageDigest got = sha256();
        MessageDigest want = sha256();
        byte[] a = new byte[65536];
        java.util.Arrays.fill(a, (byte) 0x61);
        for (int i = 0; i < 1024; i++) want.update(a);
        byte[] buf = new byte[200_000];
        long n = 0;
        int r;
        InputStream in = s.in();
        while ((r = in.read(buf)) >= 0) {
            n += r;
            got.update(buf, 0, r);
        }
        assertThat(n).isEqualTo(64L * MIB);
        assertThat(got.digest()).isEqualTo(want.digest());
    }

    // ------------------------------------------------------------------ concurrency

    /**
     * 100 streams open at once on one connection. peer.mjs limits each bench protocol to 64
     * streams, so 50 go to the sink (content checked by hash) and 50 to the source.
     */
    @Test
    void hundredConcurrentStreamsFromJava() throws Exception {
        PeerProcess js = js(Map.of("PEER_HASH", "1"), "--events");
        Connection c = dial(js);
        int each = 50;
        Set<String> expected = ConcurrentHashMap.newKeySet();
        java.util.concurrent.CyclicBarrier allOpen = new java.util.concurrent.CyclicBarrier(2 * each);
        List<CompletableFuture<Long>> results = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < each; i++) {
                results.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        byte[] data = new byte[256 * 1024 + ThreadLocalRandom.current().nextInt(4096)];
                        ThreadLocalRandom.current().nextBytes(data);
                        expected.add(HexFormat.of().formatHex(sha256().digest(data)));
                        Stream s = c.newStream(List.of(SINK)).get(30, TimeUnit.SECONDS);
                        allOpen.await(60, TimeUnit.SECONDS);
                        s.out().write(data);
                        s.out().flush();
                        s.closeWrite();
                        long ack = ByteBuffer.wrap(s.in().readNBytes(8)).getLong();
                        s.close();
                        return ack == data.length ? ack : -1L;
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }, pool));
                results.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        int size = 256 * 1024;
                        Stream s = c.newStream(List.of("/bench/source/1.0.0")).get(30, TimeUnit.SECONDS);
                        allOpen.await(60, TimeUnit.SECONDS);
                        s.out().write(ByteBuffer.allocate(8).putLong(size).array());
                        s.out().flush();
                        s.closeWrite();
                        byte[] got = s.in().readAllBytes();
                        s.close();
                        for (byte b : got) if (b != 0x61) return -1L;
                        return got.length == size ? (long) size : -1L;
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }, pool));
            }
            for (CompletableFuture<Long> f : results) assertThat(f.get(120, TimeUnit.SECONDS)).isPositive();
        }
        java.util.function.Predicate<JsonNode> sinkEvent = e -> "sink".equals(e.path("event").asText());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> js.events(sinkEvent).size() >= each);
        Set<String> jsSaw = new java.util.HashSet<>();
        js.events(sinkEvent).forEach(e -> jsSaw.add(e.get("sha256").asText()));
        assertThat(jsSaw).isEqualTo(expected);
        assertThat(host.connections(c.remotePeer())).hasSize(1);
    }

    @Test
    void hundredConcurrentStreamsFromJs() throws Exception {
        PeerProcess js = js();
        js.call(PeerProcess.cmd("dial").put("addr", myAddr()));
        host.handle("/bench/source/1.0.0", s -> {
            long n = ByteBuffer.wrap(s.in().readNBytes(8)).getLong();
            byte[] a = new byte[(int) n];
            java.util.Arrays.fill(a, (byte) 0x61);
            s.out().write(a);
            s.out().flush();
        });
        List<CompletableFuture<JsonNode>> sinks = new ArrayList<>();
        List<CompletableFuture<JsonNode>> sources = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sinks.add(js.send(PeerProcess.cmd("sinkTo").put("peer", host.peerId().toString()).put("bytes", 256 * 1024).put("pattern", "random")));
            sources.add(js.send(PeerProcess.cmd("sourceFrom").put("peer", host.peerId().toString()).put("bytes", 256 * 1024).put("hash", true)));
        }
        Set<String> jsSent = ConcurrentHashMap.newKeySet();
        for (CompletableFuture<JsonNode> f : sinks) {
            JsonNode r = f.get(120, TimeUnit.SECONDS);
            assertThat(r.path("ok").asBoolean()).as("%s", r).isTrue();
            assertThat(r.get("acked").asLong()).isEqualTo(256 * 1024);
            jsSent.add(r.get("sha256").asText());
        }
        byte[] a = new byte[256 * 1024];
        java.util.Arrays.fill(a, (byte) 0x61);
        String sourceHash = HexFormat.of().formatHex(sha256().digest(a));
        for (CompletableFuture<JsonNode> f : sources) {
            JsonNode r = f.get(120, TimeUnit.SECONDS);
            assertThat(r.path("ok").asBoolean()).as("%s", r).isTrue();
            assertThat(r.get("sha256").asText()).isEqualTo(sourceHash);
        }
        assertThat(Set.copyOf(sinkHashes)).containsAll(jsSent);
        assertThat(jsSent).hasSize(50);
        assertThat(host.connections(PeerId.fromString(js.peerId()))).hasSize(1);
    }

    // ------------------------------------------------------------------ other key types

    @Test
    void rsaAndSecp256k1JsPeers() throws Exception {
        for (String type : List.of("RSA", "secp256k1")) {
            PeerProcess js = js("--key-type", type);
            assertThat(js.readyLine().get("keyType").asText()).isEqualTo(type);
            Connection c = dial(js);
            assertThat(c.remotePeer().toString()).isEqualTo(js.peerId());
            assertThat(c.identified().get(30, TimeUnit.SECONDS).agentVersion()).isEqualTo(JS_AGENT);
            assertThat(host.ping().ping(c, 2)).hasSize(2);
            assertThat(js.call(PeerProcess.cmd("ping").put("peer", host.peerId().toString())).get("rttMs")).hasSize(1);
        }
    }

    @Test
    void rsaAndSecp256k1JavaHostsDialedByJs() throws Exception {
        for (KeyType type : List.of(KeyType.RSA, KeyType.SECP256K1)) {
            NettyHost other = startHost(Keys.generate(type));
            try {
                PeerProcess js = js();
                String addr = other.listenAddrs().get(0).withPeerId(other.peerId()).toString();
                JsonNode r = js.call(PeerProcess.cmd("dial").put("addr", addr));
                assertThat(r.get("peer").asText()).isEqualTo(other.peerId().toString());
                assertThat(r.get("agentVersion").asText()).startsWith("ggen/");
                assertThat(js.call(PeerProcess.cmd("ping").put("addr", addr)).get("rttMs")).hasSize(1);
                Connection back = other.connection(PeerId.fromString(js.peerId())).orElseThrow();
                assertThat(back.identified().get(30, TimeUnit.SECONDS).agentVersion()).isEqualTo(JS_AGENT);
            } finally {
                other.close();
            }
        }
    }

    // ------------------------------------------------------------------ failures

    @Test
    void jsPeerKilledMidStream_javaSeesAnErrorAndCarriesOn() throws Exception {
        PeerProcess js = js();
        Connection c = dial(js);
        Stream s = c.newStream(List.of("/bench/source/1.0.0")).get(30, TimeUnit.SECONDS);
        s.out().write(ByteBuffer.allocate(8).putLong(1L << 40).array());
        s.out().flush();
        byte[] buf = new byte[65536];
        assertThat(s.in().readNBytes(buf, 0, buf.length)).isEqualTo(buf.length); // data is flowing
        js.kill();
        assertThatThrownBy(() -> {
            while (s.in().read(buf) >= 0) {
                // keep reading until the connection's loss surfaces
            }
            throw new AssertionError("stream ended cleanly although the peer vanished");
        }).isInstanceOf(IOException.class);
        c.closed().get(30, TimeUnit.SECONDS);
        assertThat(host.connections(c.remotePeer())).isEmpty();

        PeerProcess another = js();
        assertThat(host.ping().ping(dial(another), 1)).hasSize(1);
    }

    @Test
    void javaClosesMidStream_jsSeesAnErrorAndCarriesOn() throws Exception {
        PeerProcess js = js();
        host.handle("/bench/source/1.0.0", s -> {
            s.in().readNBytes(8);
            byte[] chunk = new byte[65536];
            while (true) s.out().write(chunk); // until the connection goes
        });
        CompletableFuture<JsonNode> pending = js.send(PeerProcess.cmd("sourceFrom").put("addr", myAddr()).put("bytes", 1L << 40));
        PeerId jsId = PeerId.fromString(js.peerId());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> host.connection(jsId).isPresent()
                && !host.connection(jsId).get().streams().isEmpty());
        host.hangup(jsId).get(30, TimeUnit.SECONDS);
        JsonNode r = pending.get(60, TimeUnit.SECONDS);
        // We reset the stream on the wire before closing, but js-libp2p ends a stream's reading
        // cleanly when its transport closes and may see that first: then the transfer is short.
        assertThat(!r.path("ok").asBoolean() || r.path("received").asLong() < (1L << 40)).as("%s", r).isTrue();
        assertThat(js.call(PeerProcess.cmd("id")).get("peerId").asText()).isEqualTo(js.peerId());
        // and both can talk again on a new connection
        assertThat(js.call(PeerProcess.cmd("ping").put("addr", myAddr())).get("rttMs")).hasSize(1);
    }

    // ------------------------------------------------------------------ helpers

    static JsonNode awaitJsIdentify(PeerProcess js, PeerId peer) {
        JsonNode[] out = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            JsonNode r = js.send(PeerProcess.cmd("identify").put("peer", peer.toString())).get(10, TimeUnit.SECONDS);
            out[0] = r;
            return r.path("ok").asBoolean() && r.hasNonNull("agentVersion");
        });
        return out[0];
    }

    static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return out;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
