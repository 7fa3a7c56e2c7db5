package io.ggen.interop;


import io.ggen.p2p.host.NettyHost;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.KeyType;
import io.ggen.p2p.crypto.Keys;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.host.ResourceLimits;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.core.IdentifyInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java interop peer: a host of our own stack driven by JSON lines on stdin, answering on
 * stdout exactly as interop/jspeer/peer.mjs does (same flags, commands, fields and events), so
 * the same tests and benchmarks run java-java, js-js and mixed. Diagnostics go to stderr.
 */
public final class JavaPeer {
    static final String SINK_PROTOCOL = "/bench/sink/1.0.0";
    static final String SOURCE_PROTOCOL = "/bench/source/1.0.0";
    /** Same bound as the js peer on a single transfer request, to stop a typo filling memory. */
    static final long MAX_TRANSFER = 1L << 40;

    private final PeerOptions opt;
    private final Host host;
    private io.ggen.p2p.kad.KadDht dht;
    private io.ggen.p2p.pubsub.gossipsub.Gossipsub pubsub;
    private io.ggen.p2p.autonat.AutonatService autonat;
    private NettyHost autonatDialer;
    private io.ggen.p2p.discovery.mdns.MdnsService mdns;
    private final ObjectMapper json = new ObjectMapper();
    private final PrintStream stdout;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final AtomicLong sinkBytes = new AtomicLong();
    private final AtomicLong sinkStreams = new AtomicLong();
    private final AtomicLong sourceBytes = new AtomicLong();
    /** PEER_HASH=1: hash sink data for the event (off so benchmarks measure the transport). */
    private final boolean hashSink = "1".equals(System.getenv("PEER_HASH"));

    private JavaPeer(PeerOptions opt, Host host, PrintStream stdout) {
        this.opt = opt;
        this.host = host;
        this.stdout = stdout;
    }

    public static void main(String[] args) {
        PrintStream stdout = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        // Everything else a library might print goes to stderr: stdout carries only JSON.
        System.setOut(System.err);
        PeerOptions opt;
        try {
            opt = PeerOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("java-peer: " + e.getMessage());
            System.err.print(PeerOptions.USAGE);
            System.exit(2);
            return;
        }
        if (opt.help) {
            System.err.print(PeerOptions.USAGE);
            System.exit(0);
        }
        Host host;
        try {
            PrivateKey key = makeKey(opt);
            ResourceLimits d = ResourceLimits.defaults();
            ResourceLimits limits = new ResourceLimits(opt.maxConnections, d.maxConnectionsPerPeer(), Math.max(d.maxPendingInbound(), 1000),
                    d.maxPendingOutbound(), d.maxStreamsPerConnection(), d.maxNegotiatingStreams(), d.maxBufferedBytes());
            HostConfig config = HostConfig.defaults(key)
                    .withListenAddrs(List.of(Multiaddr.fromString((opt.host.contains(":") ? "/ip6/" : "/ip4/") + opt.host + "/tcp/" + opt.port)))
                    .withAgentVersion(opt.agentVersion)
                    .withLimits(limits);
            host = NettyHost.start(config);
        } catch (RuntimeException e) {
            System.err.println("java-peer: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        JavaPeer peer = new JavaPeer(opt, host, stdout);
        System.exit(peer.run());
    }

    static PrivateKey makeKey(PeerOptions opt) {
        if (opt.seedHex != null) {
            byte[] seed = HexFormat.of().parseHex(opt.seedHex);
            if (seed.length != 32) throw new IllegalArgumentException("--seed-hex must be 32 bytes");
            return Ed25519PrivateKey.fromSeed(seed);
        }
        if (opt.seed != null) return Ed25519PrivateKey.fromSeed(sha256(opt.seed.getBytes(StandardCharsets.UTF_8)));
        if (opt.keyPbHex != null) return Keys.unmarshalPrivate(HexFormat.of().parseHex(opt.keyPbHex));
        return switch (opt.keyType.toLowerCase(java.util.Locale.ROOT)) {
            case "ed25519" -> Ed25519PrivateKey.generate();
            case "secp256k1" -> Keys.generate(KeyType.SECP256K1);
            case "rsa" -> Keys.generate(KeyType.RSA);
            case "ecdsa" -> Keys.generate(KeyType.ECDSA);
            default -> throw new IllegalArgumentException("--key-type must be Ed25519, secp256k1, RSA or ECDSA");
        };
    }

    private int run() {
        registerProtocols();
        if (!opt.noDht) {
            io.ggen.p2p.kad.KadDht d = io.ggen.p2p.kad.KadDht.start(host, io.ggen.p2p.kad.KadConfig.defaults()
                    .withProtocol(opt.dhtProtocol)
                    .withMode(opt.dhtMode.equals("client") ? io.ggen.p2p.kad.KadConfig.Mode.CLIENT : io.ggen.p2p.kad.KadConfig.Mode.SERVER));
            // Like peer.mjs: each test namespace accepts any value up to 64 KiB, the greatest value wins.
            for (String ns : opt.dhtNamespaces) d.registerNamespace(ns, io.ggen.p2p.kad.RecordValidator.ACCEPT_ANY, io.ggen.p2p.kad.RecordSelector.GREATEST);
            dht = d;
        }
        if (!opt.noPubsub) {
            io.ggen.p2p.pubsub.gossipsub.GossipsubConfig gc = io.ggen.p2p.pubsub.gossipsub.GossipsubConfig.defaults();
            if (opt.gossipMesh != null) {
                try {
                    gc = gc.withMesh(opt.gossipMesh[0], opt.gossipMesh[1], opt.gossipMesh[2]);
                } catch (IllegalArgumentException e) {
                    System.err.println("java-peer: --gossip-mesh: " + e.getMessage());
                    System.exit(2);
                }
            }
            pubsub = io.ggen.p2p.pubsub.gossipsub.Gossipsub.start(host, gc);
            pubsub.addListener((m, from) -> {
                if (!opt.echo) return;
                ObjectNode o = event("message");
                o.put("t", nowMs());
                o.put("topic", m.topic());
                o.put("type", "signed");
                o.put("from", m.from().toString());
                o.put("seqno", m.seqnoText());
                o.put("size", m.size());
                byte[] d = m.data();
                if (!opt.noEchoData) o.put("data", java.util.Base64.getEncoder().encodeToString(d));
                else o.put("head", HexFormat.of().formatHex(d, 0, Math.min(8, d.length)));
                emit(o);
            });
            for (String t : opt.topics) pubsub.subscribe(t);
        }
        if (!opt.autonat.isEmpty() && host instanceof NettyHost nh) {
            autonatDialer = NettyHost.startDialer(nh.config());
            autonat = io.ggen.p2p.autonat.AutonatService.start(host, autonatDialer, io.ggen.p2p.autonat.AutonatConfig.defaults()
                    .withIntervals(java.time.Duration.ofSeconds(2), java.time.Duration.ofMinutes(10)));
        }
        if (opt.mdns) {
            host.events().subscribe(io.ggen.p2p.core.Event.PeerDiscovered.class, e -> {
                ObjectNode o = event("discovered").put("peer", e.peer().toString());
                var addrs = o.putArray("addrs");
                e.addrs().forEach(a -> addrs.add(a.toString()));
                emit(o);
            });
            try {
                mdns = io.ggen.p2p.discovery.mdns.MdnsService.start(host, io.ggen.p2p.multiaddr.AddressClassifier.DEFAULT,
                        io.ggen.p2p.discovery.mdns.MdnsService.Config.defaults().withServiceName(opt.mdnsServiceTag)
                                .withInterval(java.time.Duration.ofMillis(opt.mdnsIntervalMs))).orElse(null);
            } catch (java.io.IOException | IllegalArgumentException e) {
                System.err.println("java-peer: mDNS: " + e.getMessage());
            }
        }
        if (opt.events) registerEvents();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stopping.compareAndSet(false, true)) host.close();
        }));
        if (opt.lifetimeSeconds > 0) {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    exit.get(opt.lifetimeSeconds, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    System.err.println("java-peer: lifetime " + opt.lifetimeSeconds + "s reached, exiting");
                    exit.complete(0);
                } catch (Exception e) {
                    exit.complete(0);
                }
            });
        }
        // Like a ggen node, compile the gossip path before real traffic; "ready" comes after it.
        io.ggen.p2p.pubsub.gossipsub.GossipsubWarmup.Result warm = opt.noPubsub || opt.warmupMessages == 0 ? null
                : io.ggen.p2p.pubsub.gossipsub.GossipsubWarmup.run(opt.warmupMessages, java.time.Duration.ofSeconds(20));
        ObjectNode ready = json.createObjectNode().put("event", "ready");
        ready.setAll(selfInfo());
        if (warm != null) ready.putObject("warmup").put("messages", warm.published()).put("delivered", warm.delivered())
                .put("ms", warm.wall().toMillis()).put("cpuMs", warm.processCpu().toMillis());
        emit(ready);
        for (String b : opt.bootstrap) {
            Thread.ofVirtual().start(() -> bootstrap(b));
        }
        Thread.ofPlatform().daemon().name("stdin").start(this::readCommands);
        int code = exit.join();
        if (stopping.compareAndSet(false, true)) {
            if (mdns != null) mdns.close();
            if (autonat != null) autonat.close();
            if (autonatDialer != null) autonatDialer.close();
            if (pubsub != null) pubsub.close();
            if (dht != null) dht.close();
            host.close();
        }
        stdout.flush();
        return code;
    }

    private void bootstrap(String addr) {
        try {
            Connection c = host.dial(Multiaddr.fromString(addr)).get(15, TimeUnit.SECONDS);
            if (opt.events) emit(event("bootstrap").put("peer", c.remotePeer().toString()));
        } catch (Exception e) {
            emit(event("bootstrap").put("error", rootMessage(e)).put("addr", addr));
        }
    }

    private void readCommands() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                line = line.trim();
                if (line.isEmpty()) continue;
                if (line.length() > 1 << 20) {
                    emit(json.createObjectNode().put("ok", false).put("error", "line too long"));
                    continue;
                }
                JsonNode cmd;
                try {
                    cmd = json.readTree(line);
                } catch (IOException e) {
                    emit(json.createObjectNode().put("ok", false).put("error", "bad json"));
                    continue;
                }
                if (cmd == null || !cmd.isObject()) {
                    emit(json.createObjectNode().put("ok", false).put("error", "bad json"));
                    continue;
                }
                Thread.ofVirtual().name("cmd").start(() -> dispatch(cmd));
            }
        } catch (IOException e) {
            System.err.println("java-peer: stdin: " + e.getMessage());
        }
        if (opt.stdinEof.equals("stop")) exit.complete(0);
    }

    private void dispatch(JsonNode c) {
        String name = c.path("cmd").asText("");
        ObjectNode res = json.createObjectNode();
        if (c.has("id")) res.set("id", c.get("id"));
        res.put("cmd", name);
        try {
            ObjectNode body = Commands.run(this, name, c);
            res.put("ok", true);
            res.setAll(body);
        } catch (Exception e) {
            res.put("ok", false);
            res.put("error", errorName(e) + ": " + rootMessage(e));
        }
        emit(res);
        if (name.equals("stop") && res.path("ok").asBoolean()) exit.complete(0);
    }

    // ------------------------------------------------------------ used by Commands

    /** AutoNAT's verdicts on our addresses, when --autonat runs it. */
    java.util.Map<Multiaddr, io.ggen.p2p.autonat.ReachabilityTracker.Verdict> autonatVerdicts() {
        return autonat == null ? java.util.Map.of() : autonat.addresses();
    }

    Host host() {
        return host;
    }

    java.util.Optional<io.ggen.p2p.pubsub.gossipsub.Gossipsub> pubsub() {
        return java.util.Optional.ofNullable(pubsub);
    }

    java.util.Optional<io.ggen.p2p.kad.KadDht> dht() {
        return java.util.Optional.ofNullable(dht);
    }

    ObjectMapper json() {
        return json;
    }

    ObjectNode selfInfo() {
        ObjectNode o = json.createObjectNode();
        o.put("peerId", host.peerId().toString());
        o.put("keyType", keyTypeName(host.identity().type()));
        ArrayNode addrs = o.putArray("addrs");
        for (Multiaddr a : host.listenAddrs()) addrs.add(a.withPeerId(host.peerId()).toString());
        ArrayNode protos = o.putArray("protocols");
        host.protocols().forEach(protos::add);
        if (dht != null) {
            o.put("dhtProtocol", dht.config().protocol());
            o.put("dhtMode", dht.mode());
        } else {
            o.putNull("dhtProtocol");
            o.putNull("dhtMode");
        }
        o.put("pid", ProcessHandle.current().pid());
        return o;
    }

    static String keyTypeName(KeyType t) {
        return switch (t) {
            case ED25519 -> "Ed25519";
            case SECP256K1 -> "secp256k1";
            case RSA -> "RSA";
            case ECDSA -> "ECDSA";
        };
    }

    long sinkBytes() {
        return sinkBytes.get();
    }

    long sinkStreams() {
        return sinkStreams.get();
    }

    long sourceBytes() {
        return sourceBytes.get();
    }

    void resetStats() {
        if (pubsub != null) pubsub.router().resetCounters();
        sinkBytes.set(0);
        sinkStreams.set(0);
        sourceBytes.set(0);
    }

    ObjectNode event(String name) {
        ObjectNode o = json.createObjectNode();
        o.put("event", name);
        o.put("t", nowMs());
        return o;
    }

    static double nowMs() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1000.0 + i.getNano() / 1e6;
    }

    private final Object outLock = new Object();

    void emit(ObjectNode o) {
        String line;
        try {
            line = json.writeValueAsString(o);
        } catch (IOException e) {
            return;
        }
        synchronized (outLock) {
            stdout.print(line);
            stdout.print('\n');
            stdout.flush();
            if (stdout.checkError()) exit.complete(0); // reader went away (EPIPE)
        }
    }

    // ------------------------------------------------------------ protocols and events

    private void registerProtocols() {
        host.handle(SINK_PROTOCOL, this::serveSink);
        host.handle(SOURCE_PROTOCOL, this::serveSource);
    }

    private void serveSink(Stream s) throws IOException {
        double t0 = nowMs();
        MessageDigest sha = hashSink ? sha256() : null;
        byte[] buf = new byte[256 * 1024];
        long n = 0;
        int r;
        while ((r = s.in().read(buf)) >= 0) {
            n += r;
            if (sha != null) sha.update(buf, 0, r);
        }
        byte[] count = new byte[8];
        java.nio.ByteBuffer.wrap(count).putLong(n);
        s.out().write(count);
        s.out().flush();
        s.close();
        sinkBytes.addAndGet(n);
        sinkStreams.incrementAndGet();
        if (opt.events) {
            emit(event("sink").put("peer", s.connection().remotePeer().toString()).put("bytes", n).put("ms", nowMs() - t0)
                    .put("sha256", sha == null ? null : HexFormat.of().formatHex(sha.digest())));
        }
    }

    private void serveSource(Stream s) throws IOException {
        byte[] hdr = s.in().readNBytes(8);
        if (hdr.length < 8) throw new IOException("short header");
        long n = java.nio.ByteBuffer.wrap(hdr).getLong();
        if (n < 0 || n > MAX_TRANSFER) throw new IOException("requested size out of range: " + n);
        byte[] chunk = new byte[65536];
        java.util.Arrays.fill(chunk, (byte) 0x61);
        long left = n;
        while (left > 0) {
            int k = (int) Math.min(chunk.length, left);
            s.out().write(chunk, 0, k);
            left -= k;
        }
        s.out().flush();
        s.close();
        sourceBytes.addAndGet(n);
    }

    private void registerEvents() {
        host.events().subscribe("java-peer", e -> {
            switch (e) {
                // js emits peer:connect once per peer, on its first connection.
                case Event.ConnectionOpened o -> {
                    if (host.connections(o.connection().remotePeer()).size() <= 1) emit(event("connect").put("peer", o.connection().remotePeer().toString()));
                }
                case Event.ConnectionClosed c -> {
                    if (host.connections(c.connection().remotePeer()).isEmpty()) emit(event("disconnect").put("peer", c.connection().remotePeer().toString()));
                }
                case Event.PeerIdentified i -> emitIdentify(i.peer(), i.info().agentVersion(), i.info().protocols());
                case Event.PeerProtocolsChanged p -> emitIdentify(p.peer(),
                        host.peerStore().get(p.peer()).flatMap(r -> r.agentVersion()).orElse(""), p.protocols());
                default -> { }
            }
        }, java.util.Set.of(Event.ConnectionOpened.class, Event.ConnectionClosed.class, Event.PeerIdentified.class, Event.PeerProtocolsChanged.class));
    }

    private void emitIdentify(io.ggen.p2p.crypto.PeerId peer, String agentVersion, List<String> protocols) {
        ObjectNode o = event("identify").put("peer", peer.toString()).put("agentVersion", agentVersion);
        ArrayNode p = o.putArray("protocols");
        protocols.forEach(p::add);
        emit(o);
    }

    // ------------------------------------------------------------ helpers

    static byte[] sha256(byte[] b) {
        return sha256().digest(b);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    static String errorName(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof UnsupportedCommandException) return "Unsupported";
        if (t instanceof DhtCommands.NotFoundException) return "NotFound";
        if (t instanceof TimeoutException) return "TimeoutError";
        return t.getClass().getSimpleName();
    }

    static long rssBytes() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    static Duration timeout(JsonNode c, long defaultMs) {
        return Duration.ofMillis(c.path("timeoutMs").asLong(defaultMs));
    }

    static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return out;
    }

    PeerId peerOf(JsonNode c) {
        if (c.hasNonNull("peer")) return PeerId.fromString(c.get("peer").asText());
        if (c.hasNonNull("addr")) {
            return Multiaddr.fromString(c.get("addr").asText()).peerId()
                    .orElseThrow(() -> new IllegalArgumentException("need \"peer\" (or \"addr\" with /p2p/)"));
        }
        throw new IllegalArgumentException("need \"peer\" (or \"addr\" with /p2p/)");
    }
}
