package io.ggen.p2p.kad;

import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.core.Subscription;
import io.ggen.p2p.protocol.ping.PingService;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.protocol.LengthPrefixed;
import io.ggen.p2p.core.IdentifyInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kademlia DHT on a libp2p host: serves the protocol (server mode), learns DHT peers from
 * identify, runs {@link KadNode}'s queries over streams, refreshes and persists the routing
 * table, and republishes what this node put or provides. One request per stream from our side;
 * inbound streams may carry several requests, as the spec allows.
 */
public final class KadDht implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KadDht.class);
    /** Most records and provided keys this node republishes as their author. */
    static final int MAX_AUTHORED = 10_000;

    private final Host host;
    private final KadConfig config;
    private final KadNode node;
    private final ScheduledExecutorService timer;
    private final Map<String, byte[][]> authored = new LinkedHashMap<>();
    private final Set<String> provided = new LinkedHashSet<>();
    /**
     * One save of the routing table at a time: a bootstrap, a refresh and close each save it
     * when they finish, and two saves through the same temp file would move each other's file
     * away (the soak logged "cannot save the DHT routing table ... NoSuchFileException").
     */
    private final Object tableSave = new Object();
    private final PingService ping;
    private volatile Subscription subscription;
    /** How long an inbound stream may wait for its next request (as go-libp2p-kad-dht's idle timeout). */
    static final java.time.Duration STREAM_IDLE = java.time.Duration.ofMinutes(1);
    private volatile boolean closed;

    private KadDht(Host host, KadConfig config, Namespaces namespaces) {
        this.host = host;
        this.config = config;
        java.util.concurrent.ScheduledThreadPoolExecutor timer = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().daemon().name("kad-timer").unstarted(r));
        // Every request and lookup has a timeout that is cancelled when it completes first: out
        // of the queue at once, or the queue keeps each finished query and its answer until the
        // timeout would have fired (10-60 s of a busy node's queries).
        timer.setRemoveOnCancelPolicy(true);
        this.timer = timer;
        KadScheduler scheduler = new KadScheduler() {
            @Override
            public long nowMillis() {
                return System.currentTimeMillis();
            }

            @Override
            public Timer schedule(Runnable task, long delayMillis) {
                if (timer.isShutdown()) return () -> {};
                try {
                    java.util.concurrent.ScheduledFuture<?> f = timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
                    return () -> f.cancel(false);
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    return () -> {};
                }
            }
        };
        KadNode.AddressBook book = new KadNode.AddressBook() {
            @Override
            public List<Multiaddr> addrs(PeerId peer) {
                return host.peerStore().addrs(peer);
            }

            @Override
            public void learn(PeerId peer, List<Multiaddr> addrs) {
                if (!peer.equals(host.peerId())) host.peerStore().addAddrs(peer, addrs.stream().map(Multiaddr::withoutPeerId).toList());
            }
        };
        this.node = new KadNode(host.peerId(), config, new StreamTransport(), scheduler, namespaces,
                () -> host.advertisedAddrs().stream().filter(a -> !a.toTcpSocketAddress().map(s -> s.getAddress() != null && s.getAddress().isAnyLocalAddress()).orElse(false)).toList(),
                book, this::alive);
        this.ping = new PingService(host, config.requestTimeout());
    }

    /** From the host's bus: a peer identified, or its protocols changed. */
    private void onEvent(Event e) {
        switch (e) {
            case Event.PeerIdentified p -> peerProtocols(p.peer(), p.info().protocols(), p.info().listenAddrs());
            case Event.PeerProtocolsChanged p -> peerProtocols(p.peer(), p.protocols(), host.peerStore().addrs(p.peer()));
            case Event.ReachabilityChanged r -> {
                reachability = r.reachability();
                if (config.mode() == KadConfig.Mode.AUTO && !closed) updateAutoMode();
            }
            default -> { }
        }
    }

    private void peerProtocols(PeerId peer, List<String> protocols, List<Multiaddr> addrs) {
        if (closed) return;
        if (protocols.contains(config.protocol())) {
            node.addPeer(peer, addrs);
            joinSoon();
        } else if (node.table().contains(peer)) {
            node.removePeer(peer);
        }
        if (config.mode() == KadConfig.Mode.AUTO) updateAutoMode();
    }

    private final java.util.concurrent.atomic.AtomicBoolean joined = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * The first DHT peer this node meets (however it was dialled) triggers a lookup of its own id
     * and a bucket refresh a moment later, as the spec's bootstrap does: the node then knows its
     * neighbourhood and the neighbours learn of it, without waiting for the 10-minute refresh.
     */
    private void joinSoon() {
        if (joined.get() || node.table().size() == 0 || !joined.compareAndSet(false, true)) return;
        if (!timer.isShutdown()) {
            timer.schedule(() -> bootstrap().whenComplete((n, e) -> {
                if (e != null) log.debug("first DHT self-lookup failed: {}", e.toString());
            }), JOIN_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    static final long JOIN_DELAY_MILLIS = 500;

    /** Starts the DHT on the host with the built-in namespaces (/pk/). */
    public static KadDht start(Host host, KadConfig config) {
        return start(host, config, new Namespaces());
    }

    public static KadDht start(Host host, KadConfig config, Namespaces namespaces) {
        KadDht dht = new KadDht(host, config, namespaces);
        dht.begin();
        return dht;
    }

    private void begin() {
        subscription = host.events().subscribe("kad-dht", this::onEvent,
                Set.of(Event.PeerIdentified.class, Event.PeerProtocolsChanged.class, Event.ReachabilityChanged.class));
        if (config.mode() == KadConfig.Mode.SERVER) serve(true);
        else if (config.mode() == KadConfig.Mode.AUTO) updateAutoMode();
        for (Connection c : host.connections()) c.identifyInfo().ifPresent(i -> peerProtocols(c.remotePeer(), i.protocols(), i.listenAddrs()));
        loadTable();
        joinSoon();
        long refresh = config.refreshInterval().toMillis();
        timer.scheduleWithFixedDelay(this::housekeeping, refresh, refresh, TimeUnit.MILLISECONDS);
        long republish = config.republishInterval().toMillis();
        timer.scheduleWithFixedDelay(this::republish, republish, republish, TimeUnit.MILLISECONDS);
    }

    private void serve(boolean on) {
        if (on == node.serving() && on == host.handles(config.protocol())) return;
        node.setServing(on);
        if (on) host.handle(config.protocol(), this::handleStream);
        else host.unhandle(config.protocol());
        log.info("DHT {} on {}", on ? "serving" : "client only", config.protocol());
    }

    /** AutoNAT's latest verdict, from the bus. */
    private volatile Event.Reachability reachability = Event.Reachability.UNKNOWN;

    /**
     * Auto mode: serve when AutoNAT says we are public, not when it says private; before it
     * has a verdict, serve once the node has a public address (its own or as observed by peers).
     */
    private void updateAutoMode() {
        if (reachability != Event.Reachability.UNKNOWN) {
            serve(reachability == Event.Reachability.PUBLIC);
            return;
        }
        boolean reachable = host.listenAddrs().stream().anyMatch(Multiaddr::isPublic)
                || host.connections().stream().anyMatch(c -> c.identifyInfo().flatMap(IdentifyInfo::observedAddr).map(Multiaddr::isPublic).orElse(false));
        serve(reachable);
    }

    public KadNode node() {
        return node;
    }

    public KadConfig config() {
        return config;
    }

    /** server or client, as the node runs now (auto resolves to one of them). */
    public String mode() {
        return node.serving() ? "server" : "client";
    }

    public void registerNamespace(String namespace, RecordValidator validator, RecordSelector selector) {
        node.namespaces().register(namespace, validator, selector);
    }

    public List<RoutingTable.Entry> routingTable() {
        return node.table().all();
    }

    public KadMetrics.Snapshot metrics() {
        return node.metrics().snapshot();
    }

    // ------------------------------------------------------------------ API

    public CompletableFuture<KadNode.PutResult> put(byte[] key, byte[] value) {
        synchronized (authored) {
            authored.remove(RecordStore.id(key));
            authored.put(RecordStore.id(key), new byte[][] {key.clone(), value.clone()});
            while (authored.size() > MAX_AUTHORED) authored.remove(authored.keySet().iterator().next());
        }
        return node.put(key, value);
    }

    public CompletableFuture<Optional<KadNode.GetResult>> get(byte[] key) {
        return node.get(key);
    }

    public CompletableFuture<KadNode.ProvideResult> provide(byte[] key) {
        synchronized (provided) {
            provided.add(RecordStore.id(key));
            while (provided.size() > MAX_AUTHORED) provided.remove(provided.iterator().next());
        }
        return node.provide(key);
    }

    public CompletableFuture<List<KadMessage.PeerInfo>> findProviders(byte[] key, int max, Consumer<KadMessage.PeerInfo> onEach) {
        return node.findProviders(key, max, onEach);
    }

    public CompletableFuture<Optional<KadMessage.PeerInfo>> findPeer(PeerId peer) {
        Optional<Connection> c = host.connection(peer);
        if (c.isPresent()) return CompletableFuture.completedFuture(Optional.of(new KadMessage.PeerInfo(peer, host.peerStore().addrs(peer), true)));
        return node.findPeer(peer);
    }

    public CompletableFuture<KadNode.LookupResult> closestPeers(byte[] key) {
        return node.closestPeers(key);
    }

    /** Dials the given peers (when not connected), waits for identify, then a self lookup and bucket refresh. */
    public CompletableFuture<Integer> bootstrap() {
        // Peers identified a moment ago may not have reached the table yet (host events are
        // delivered asynchronously); a bootstrap right after dialing must see them.
        for (Connection c : host.connections()) {
            c.identifyInfo().ifPresent(i -> {
                if (i.protocols().contains(config.protocol())) node.addPeer(c.remotePeer(), i.listenAddrs());
            });
        }
        return node.bootstrap().whenComplete((n, e) -> saveTable());
    }

    // ------------------------------------------------------------------ serving

    private void handleStream(Stream s) throws IOException {
        PeerId from = s.connection().remotePeer();
        while (!closed) {
            s.setReadDeadline(java.time.Instant.now().plus(STREAM_IDLE));
            Optional<byte[]> frame;
            try {
                frame = LengthPrefixed.read(s.in(), KadCodec.MAX_MESSAGE);
            } catch (LengthPrefixed.FrameException e) {
                misbehaved(s, from, e.getMessage());
                return;
            }
            if (frame.isEmpty()) return;
            KadMessage req;
            Optional<KadMessage> resp;
            try {
                req = KadCodec.decode(frame.get());
                resp = node.handle(from, origin(s), req);
            } catch (KadException e) {
                misbehaved(s, from, e.getMessage());
                return;
            }
            if (resp.isPresent()) {
                s.setWriteDeadline(java.time.Instant.now().plus(config.requestTimeout()));
                LengthPrefixed.write(s.out(), KadCodec.encode(forRecipient(resp.get(), s)));
            }
        }
    }

    /**
     * What we write on {@code s}, with only the addresses its peer may be told (by the host's
     * classifier, against the address the peer is connected from): our provider records, the
     * providers and closer peers we answer with. A public peer never hears a private address,
     * ours or another peer's; a peer in the same private network hears them all.
     */
    private KadMessage forRecipient(KadMessage m, Stream s) {
        Multiaddr to = s.connection().remoteAddr();
        io.ggen.p2p.multiaddr.AddressClassifier classifier = host.addressClassifier();
        return m.scopedTo(a -> classifier.advertisableTo(a, to));
    }

    /**
     * Where a request came from, for the providers each origin may add: the IP address of the
     * connection (an IPv6 one by its /64), none for loopback (peers and tests on one machine).
     */
    private static String origin(Stream s) {
        return s.connection().remoteAddr().toTcpSocketAddress()
                .filter(a -> !a.isUnresolved() && !a.getAddress().isLoopbackAddress())
                .map(a -> {
                    byte[] b = a.getAddress().getAddress();
                    return b.length == 16 ? java.util.HexFormat.of().formatHex(b, 0, 8) : a.getAddress().getHostAddress();
                }).orElse(null);
    }

    private void misbehaved(Stream s, PeerId from, String why) {
        node.metrics().malformedReceived.incrementAndGet();
        log.debug("DHT peer {} sent an invalid request: {}", from, why);
        node.removePeer(from);
        s.reset();
    }

    /** Requests over libp2p streams; each runs on its own virtual thread. */
    private final class StreamTransport implements KadTransport {
        @Override
        public CompletableFuture<KadMessage> request(KadMessage.PeerInfo peer, KadMessage request) {
            CompletableFuture<KadMessage> f = new CompletableFuture<>();
            if (closed) return CompletableFuture.failedFuture(new IOException("DHT closed"));
            Thread.ofVirtual().name("kad-req").start(() -> {
                // One deadline for the whole request: stream set-up, writing and the answer. A
                // request past it resets its stream, which ends this reader too.
                java.time.Instant deadline = java.time.Instant.now().plus(config.requestTimeout());
                Stream s = null;
                try {
                    s = open(peer);
                    s.setDeadline(deadline);
                    LengthPrefixed.write(s.out(), KadCodec.encode(forRecipient(request, s)));
                    Optional<byte[]> frame = LengthPrefixed.read(s.in(), KadCodec.MAX_MESSAGE);
                    if (frame.isEmpty()) throw new IOException("stream closed without an answer");
                    KadMessage answer = KadCodec.decode(frame.get());
                    s.close();
                    f.complete(answer);
                } catch (Exception e) {
                    if (s != null) s.reset();
                    f.completeExceptionally(e);
                }
            });
            return f;
        }

        @Override
        public CompletableFuture<Void> send(KadMessage.PeerInfo peer, KadMessage message) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            if (closed) return CompletableFuture.failedFuture(new IOException("DHT closed"));
            Thread.ofVirtual().name("kad-send").start(() -> {
                Stream s = null;
                try {
                    s = open(peer);
                    s.setWriteDeadline(java.time.Instant.now().plus(config.requestTimeout()));
                    LengthPrefixed.write(s.out(), KadCodec.encode(forRecipient(message, s)));
                    s.close();
                    f.complete(null);
                } catch (Exception e) {
                    if (s != null) s.reset();
                    f.completeExceptionally(e);
                }
            });
            return f;
        }

        private Stream open(KadMessage.PeerInfo peer) throws Exception {
            if (!peer.addrs().isEmpty()) host.peerStore().addAddrs(peer.id(), peer.addrs().stream().map(Multiaddr::withoutPeerId).toList());
            return host.newStream(peer.id(), List.of(config.protocol())).get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private CompletableFuture<Boolean> alive(PeerId peer) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        Thread.ofVirtual().name("kad-ping").start(() -> {
            try {
                Connection c = host.dial(peer).get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
                f.complete(!ping.ping(c, 1).isEmpty());
            } catch (Exception e) {
                f.complete(false);
            }
        });
        return f;
    }

    // ------------------------------------------------------------------ housekeeping

    private void housekeeping() {
        try {
            node.sweep();
            long staleBefore = System.currentTimeMillis() - config.refreshInterval().toMillis();
            for (PeerId p : node.table().staleSince(staleBefore)) {
                alive(p).thenAccept(ok -> {
                    if (ok) node.table().seen(p, System.currentTimeMillis());
                    else node.removePeer(p);
                });
            }
            node.refresh().whenComplete((v, e) -> saveTable());
        } catch (RuntimeException e) {
            log.warn("DHT housekeeping failed", e);
        }
    }

    private void republish() {
        List<byte[][]> records;
        List<String> keys;
        synchronized (authored) {
            records = new ArrayList<>(authored.values());
        }
        synchronized (provided) {
            keys = new ArrayList<>(provided);
        }
        for (byte[][] r : records) node.put(r[0], r[1]);
        for (String k : keys) node.provide(java.util.HexFormat.of().parseHex(k));
    }

    /** Writes the table (peer id and addresses per line) atomically, so a restart rejoins without bootstrap nodes. */
    void saveTable() {
        if (config.routingTableFile().isEmpty()) return;
        Path file = config.routingTableFile().get();
        StringBuilder sb = new StringBuilder("# ggen kad routing table v1\n");
        for (RoutingTable.Entry e : node.table().all()) {
            sb.append(e.peer());
            for (Multiaddr a : host.peerStore().addrs(e.peer())) sb.append(' ').append(a);
            sb.append('\n');
        }
        synchronized (tableSave) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Path tmp = tempOf(file);
                Files.writeString(tmp, sb, StandardCharsets.UTF_8);
                try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                log.warn("cannot save the DHT routing table to {}: {}", file, e.toString());
            }
        }
    }

    private static Path tempOf(Path tableFile) {
        return tableFile.resolveSibling(tableFile.getFileName() + ".tmp");
    }

    /**
     * Reads the saved table; lines that do not parse are skipped (the file is a cache, not a source
     * of truth). A temp file beside it is what a process killed while saving left (only this
     * node writes its table, and it has not started saving yet): removed.
     */
    private void loadTable() {
        if (config.routingTableFile().isEmpty()) return;
        try {
            Files.deleteIfExists(tempOf(config.routingTableFile().get()));
        } catch (IOException e) {
            log.warn("cannot remove the half-written routing table {}: {}", tempOf(config.routingTableFile().get()), e.toString());
        }
        if (!Files.isRegularFile(config.routingTableFile().get())) return;
        try {
            Path file = config.routingTableFile().get();
            if (Files.size(file) > 4 << 20) return;
            int n = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] parts = line.trim().split(" ");
                try {
                    PeerId p = PeerId.fromString(parts[0]);
                    List<Multiaddr> addrs = new ArrayList<>();
                    for (int i = 1; i < parts.length && i <= KadCodec.MAX_ADDRS_PER_PEER; i++) addrs.add(Multiaddr.fromString(parts[i]));
                    if (addrs.isEmpty() || p.equals(host.peerId())) continue;
                    host.peerStore().addAddrs(p, addrs);
                    node.addPeer(p, addrs);
                    if (++n >= 4 * config.k() * 16) break;
                } catch (RuntimeException e) {
                    // a damaged line: skip it
                }
            }
            log.info("DHT routing table: {} peers from {}", n, file);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read the DHT routing table: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (closed) return;
        saveTable();
        closed = true;
        Subscription sub = subscription;
        if (sub != null) sub.close();
        if (host.handles(config.protocol())) host.unhandle(config.protocol());
        timer.shutdownNow();
    }
}
