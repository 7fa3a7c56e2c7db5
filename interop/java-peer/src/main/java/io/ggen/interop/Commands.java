package io.ggen.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.ConnectionSetupEvent;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.PeerStore;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** The commands of the line protocol; field names and units as in peer.mjs. */
final class Commands {
    private Commands() {}

    static ObjectNode run(JavaPeer p, String name, JsonNode c) throws Exception {
        return switch (name) {
            case "id" -> p.selfInfo();
            case "dial" -> dial(p, c);
            case "hangup" -> hangup(p, c);
            case "peers" -> peers(p);
            case "ping" -> ping(p, c);
            case "identify" -> identify(p, c);
            case "sinkTo" -> sinkTo(p, c);
            case "sourceFrom" -> sourceFrom(p, c);
            case "dialBench" -> dialBench(p, c);
            case "stats" -> stats(p, c);
            case "resetStats" -> {
                p.resetStats();
                yield p.json().createObjectNode();
            }
            case "stop" -> p.json().createObjectNode();
            case "addrs" -> addrs(p);
            case "subscribe", "unsubscribe", "topics", "subscribers", "mesh", "score", "publish" -> PubsubCommands.run(p, name, c);
            case "put", "get", "provide", "findProviders", "findPeer", "closestPeers", "routingTable" -> DhtCommands.run(p, name, c);
            default -> throw new IllegalArgumentException("unknown cmd " + name);
        };
    }

    // ------------------------------------------------------------------ connecting

    private static Connection connect(JavaPeer p, JsonNode c, Duration timeout) throws Exception {
        Host h = p.host();
        if (c.hasNonNull("addr")) return h.dial(Multiaddr.fromString(c.get("addr").asText())).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c.hasNonNull("peer")) return h.dial(PeerId.fromString(c.get("peer").asText())).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        throw new IllegalArgumentException("need \"addr\" or \"peer\"");
    }

    private static ObjectNode dial(JavaPeer p, JsonNode c) throws Exception {
        Duration timeout = JavaPeer.timeout(c, 30_000);
        boolean waitIdentify = c.path("waitIdentify").asBoolean(true);
        Set<Long> before = p.host().connections().stream().map(Connection::id).collect(Collectors.toSet());
        double t0 = JavaPeer.nowMs();
        Connection conn = connect(p, c, timeout);
        double tConn = JavaPeer.nowMs();
        boolean reused = before.contains(conn.id());
        ObjectNode r = p.json().createObjectNode();
        r.put("peer", conn.remotePeer().toString());
        r.put("remoteAddr", conn.remoteAddr().toString());
        r.put("direction", conn.direction().wireName());
        r.put("reused", reused);
        r.put("encryption", conn.security());
        r.put("muxer", conn.muxer());
        r.put("connectMs", tConn - t0);
        if (waitIdentify) {
            try {
                var info = conn.identified().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!reused) r.put("identifyMs", JavaPeer.nowMs() - t0);
                r.put("agentVersion", info.agentVersion());
                ArrayNode protos = r.putArray("protocols");
                info.protocols().forEach(protos::add);
            } catch (Exception e) {
                var rec = p.host().peerStore().get(conn.remotePeer());
                rec.flatMap(PeerStore.PeerRecord::agentVersion).ifPresent(a -> r.put("agentVersion", a));
                ArrayNode protos = r.putArray("protocols");
                rec.ifPresent(x -> x.protocols().forEach(protos::add));
                r.put("identifyNote", JavaPeer.rootMessage(e));
            }
        }
        return r;
    }

    private static ObjectNode hangup(JavaPeer p, JsonNode c) throws Exception {
        p.host().hangup(p.peerOf(c)).get(JavaPeer.timeout(c, 30_000).toMillis(), TimeUnit.MILLISECONDS);
        return p.json().createObjectNode();
    }

    /** Our addresses, and whether AutoNAT verified each (as peer.mjs's address manager reports it). */
    private static ObjectNode addrs(JavaPeer p) {
        ObjectNode o = p.json().createObjectNode();
        var list = o.putArray("addrs");
        var all = o.putArray("all");
        var verdicts = p.autonatVerdicts();
        for (Multiaddr a : p.host().listenAddrs()) {
            list.add(a.withPeerId(p.host().peerId()).toString());
            var v = verdicts.get(a);
            all.addObject().put("addr", a.toString())
                    .put("verified", v != null && v.reachability() == io.ggen.p2p.core.Event.Reachability.PUBLIC).put("type", "transport");
        }
        return o;
    }

    private static ObjectNode peers(JavaPeer p) {
        ObjectNode r = p.json().createObjectNode();
        ArrayNode arr = r.putArray("peers");
        for (Connection conn : p.host().connections()) {
            ObjectNode o = arr.addObject();
            o.put("peer", conn.remotePeer().toString());
            o.put("addr", conn.remoteAddr().toString());
            o.put("direction", conn.direction().wireName());
            o.put("encryption", conn.security());
            o.put("muxer", conn.muxer());
            ArrayNode s = o.putArray("streams");
            conn.streams().forEach(st -> s.add(st.protocol()));
        }
        r.put("count", p.host().connectedPeers().size());
        return r;
    }

    private static ObjectNode ping(JavaPeer p, JsonNode c) throws Exception {
        int n = Math.max(1, Math.min(c.path("count").asInt(1), 1000));
        Connection conn = connect(p, c, JavaPeer.timeout(c, 30_000));
        // Like js-libp2p's ping(): each ping opens a new stream, and its time counts.
        List<Duration> rtts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            new io.ggen.p2p.protocol.ping.PingService(p.host()).ping(conn, 1);
            rtts.add(Duration.ofNanos(System.nanoTime() - t0));
        }
        ObjectNode r = p.json().createObjectNode();
        ArrayNode arr = r.putArray("rttMs");
        List<Double> ms = new ArrayList<>();
        for (Duration d : rtts) {
            double v = r3(d.toNanos() / 1e6);
            arr.add(v);
            ms.add(v);
        }
        num(r, "medianMs", r3(median(ms)));
        return r;
    }

    private static ObjectNode identify(JavaPeer p, JsonNode c) {
        PeerId peer = p.peerOf(c);
        var rec = p.host().peerStore().get(peer).orElseThrow(() -> new IllegalArgumentException("NotFoundError: peer " + peer + " is not in the peer store"));
        ObjectNode r = p.json().createObjectNode();
        r.put("peer", peer.toString());
        ArrayNode protos = r.putArray("protocols");
        rec.protocols().forEach(protos::add);
        ArrayNode addrs = r.putArray("addrs");
        rec.addrs().forEach(a -> addrs.add(a.toString()));
        rec.agentVersion().ifPresent(a -> r.put("agentVersion", a));
        return r;
    }

    // ------------------------------------------------------------------ bench protocols

    private static Stream open(JavaPeer p, JsonNode c, String protocol) throws Exception {
        Duration timeout = JavaPeer.timeout(c, 30_000);
        Connection conn = connect(p, c, timeout);
        return conn.newStream(List.of(protocol)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static long transferSize(JsonNode c) {
        long total = c.path("bytes").asLong(1 << 20);
        if (total < 0 || total > JavaPeer.MAX_TRANSFER) throw new IllegalArgumentException("bytes must be 0.." + JavaPeer.MAX_TRANSFER);
        return total;
    }

    private static ObjectNode sinkTo(JavaPeer p, JsonNode c) throws Exception {
        long total = transferSize(c);
        int chunk = Math.max(1, Math.min(c.path("chunk").asInt(65536), 16 << 20));
        boolean random = "random".equals(c.path("pattern").asText("fill"));
        double t0 = JavaPeer.nowMs();
        Stream s = open(p, c, JavaPeer.SINK_PROTOCOL);
        double tOpen = JavaPeer.nowMs();
        byte[] base = new byte[chunk];
        if (random) ThreadLocalRandom.current().nextBytes(base);
        else java.util.Arrays.fill(base, (byte) 0x61);
        MessageDigest sha = random ? JavaPeer.sha256() : null;
        long sent = 0;
        long i = 0;
        try {
            OutputStream out = s.out();
            while (sent < total) {
                int n = (int) Math.min(chunk, total - sent);
                if (random && n >= 8) ByteBuffer.wrap(base).putLong(0, i);
                if (sha != null) sha.update(base, 0, n);
                out.write(base, 0, n);
                sent += n;
                i++;
            }
            out.flush();
            s.closeWrite();
            byte[] ack = s.in().readNBytes(8);
            double t1 = JavaPeer.nowMs();
            long acked = ack.length >= 8 ? ByteBuffer.wrap(ack).getLong() : -1;
            s.close();
            ObjectNode r = p.json().createObjectNode();
            r.put("sent", sent);
            r.put("acked", acked);
            if (sha != null) r.put("sha256", HexFormat.of().formatHex(sha.digest()));
            r.put("openMs", tOpen - t0);
            r.put("ms", t1 - t0);
            r.put("MBps", (acked / 1e6) / ((t1 - t0) / 1000));
            r.put("MiBps", (acked / 1048576.0) / ((t1 - t0) / 1000));
            return r;
        } catch (IOException | RuntimeException e) {
            s.reset();
            throw e;
        }
    }

    private static ObjectNode sourceFrom(JavaPeer p, JsonNode c) throws Exception {
        long total = transferSize(c);
        boolean hash = c.path("hash").asBoolean(false);
        double t0 = JavaPeer.nowMs();
        Stream s = open(p, c, JavaPeer.SOURCE_PROTOCOL);
        MessageDigest sha = hash ? JavaPeer.sha256() : null;
        long n = 0;
        try {
            byte[] hdr = new byte[8];
            ByteBuffer.wrap(hdr).putLong(total);
            s.out().write(hdr);
            s.out().flush();
            s.closeWrite();
            InputStream in = s.in();
            byte[] buf = new byte[256 * 1024];
            int r;
            while ((r = in.read(buf)) >= 0) {
                n += r;
                if (sha != null) sha.update(buf, 0, r);
            }
            s.close();
        } catch (IOException | RuntimeException e) {
            s.reset();
            throw e;
        }
        double t1 = JavaPeer.nowMs();
        ObjectNode res = p.json().createObjectNode();
        res.put("received", n);
        if (sha != null) res.put("sha256", HexFormat.of().formatHex(sha.digest()));
        res.put("ms", t1 - t0);
        res.put("MBps", (n / 1e6) / ((t1 - t0) / 1000));
        res.put("MiBps", (n / 1048576.0) / ((t1 - t0) / 1000));
        return res;
    }

    // ------------------------------------------------------------------ benchmarks and stats

    private static ObjectNode dialBench(JavaPeer p, JsonNode c) throws Exception {
        int n = Math.max(1, Math.min(c.path("n").asInt(50), 1000));
        Multiaddr ma = Multiaddr.fromString(c.path("addr").asText());
        PeerId pid = ma.peerId().orElseThrow(() -> new IllegalArgumentException("need \"addr\" with /p2p/"));
        long pauseMs = c.path("pauseMs").asLong(0);
        long deadline = System.currentTimeMillis() + c.path("timeoutMs").asLong(300_000);
        List<Double> connectMs = new ArrayList<>();
        List<Double> identifyMs = new ArrayList<>();
        Host h = p.host();
        for (int i = 0; i < n && System.currentTimeMillis() < deadline; i++) {
            if (!h.connections(pid).isEmpty()) h.hangup(pid).get(30, TimeUnit.SECONDS);
            double t0 = JavaPeer.nowMs();
            Connection conn = h.dial(ma).get(30, TimeUnit.SECONDS);
            connectMs.add(JavaPeer.nowMs() - t0);
            ConnectionSetupEvent.mark("bench-dialed", conn);
            conn.identified().get(30, TimeUnit.SECONDS);
            identifyMs.add(JavaPeer.nowMs() - t0);
            ConnectionSetupEvent.mark("bench-identified", conn);
            h.hangup(pid).get(30, TimeUnit.SECONDS);
            if (pauseMs > 0) Thread.sleep(pauseMs);
        }
        ObjectNode r = p.json().createObjectNode();
        r.put("n", identifyMs.size());
        num(r, "connectMedianMs", r3(median(connectMs)));
        num(r, "identifyMedianMs", r3(median(identifyMs)));
        num(r, "identifyP90Ms", r3(pct(identifyMs, 0.9)));
        num(r, "identifyMinMs", r3(identifyMs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN)));
        num(r, "identifyMaxMs", r3(identifyMs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
        if (c.path("samples").asBoolean(false)) {
            ArrayNode s = r.putArray("samplesMs");
            identifyMs.forEach(v -> s.add(r3(v)));
        }
        return r;
    }

    private static ObjectNode stats(JavaPeer p, JsonNode c) {
        if (c.path("gc").asBoolean(false)) System.gc();
        Runtime rt = Runtime.getRuntime();
        ObjectNode r = p.json().createObjectNode();
        r.put("rssMiB", r3(JavaPeer.rssBytes() / 1048576.0));
        r.put("heapUsedMiB", r3((rt.totalMemory() - rt.freeMemory()) / 1048576.0));
        r.put("connections", p.host().connectionCount());
        r.put("peers", p.host().connectedPeers().size());
        ObjectNode recv = r.putObject("pubsubRecv");
        ObjectNode delivered = r.putObject("pubsubDelivered");
        p.pubsub().ifPresent(g -> {
            g.router().receivedByTopic().forEach(recv::put);
            g.router().deliveredByTopic().forEach(delivered::put);
            r.put("pubsubDroppedRpcs", g.droppedRpcs());
        });
        r.put("sinkBytes", p.sinkBytes());
        r.put("sinkStreams", p.sinkStreams());
        r.put("sourceBytes", p.sourceBytes());
        return r;
    }

    /** JSON has no NaN: an empty sample prints null. */
    static void num(ObjectNode o, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) o.putNull(key);
        else o.put(key, v);
    }

    static double median(List<Double> a) {
        if (a.isEmpty()) return Double.NaN;
        List<Double> s = a.stream().sorted().toList();
        int m = s.size() / 2;
        return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
    }

    static double pct(List<Double> a, double q) {
        if (a.isEmpty()) return Double.NaN;
        List<Double> s = a.stream().sorted().toList();
        return s.get(Math.min(s.size() - 1, (int) Math.floor(q * s.size())));
    }

    static double r3(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
