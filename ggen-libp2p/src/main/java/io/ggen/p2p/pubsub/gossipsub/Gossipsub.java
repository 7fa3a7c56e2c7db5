package io.ggen.p2p.pubsub.gossipsub;

import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Direction;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.core.Subscription;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.core.InlineReader;
import io.ggen.p2p.protocol.LengthPrefixed;
import io.ggen.p2p.core.IdentifyInfo;
import io.ggen.p2p.pubsub.MessageIdFunction;
import io.ggen.p2p.pubsub.MessageValidator;
import io.ggen.p2p.record.RecordException;
import io.ggen.p2p.record.SignedPeerRecord;
import io.ggen.p2p.pubsub.PubsubMessage;
import io.ggen.p2p.pubsub.RpcCodec;
import io.ggen.p2p.pubsub.pb.PubsubProto;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gossipsub v1.1 with v1.2's IDONTWANT on a libp2p host: {@code /meshsub/1.2.0},
 * {@code /meshsub/1.1.0} and {@code /meshsub/1.0.0} (the best the peer speaks, from identify), one
 * long-lived outbound stream per peer (opened when identify shows the peer speaks meshsub) fed
 * by a bounded queue, inbound streams handled RPC by RPC on the I/O thread by
 * {@link GossipRouter}, and the heartbeat. Delivery listeners of topics without a validator run
 * on the I/O thread too: they must be quick. StrictSign: every message we publish is signed, every message we accept verified.
 */
public final class Gossipsub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gossipsub.class);
    static final List<String> PROTOCOLS = List.of(GossipsubConfig.MESHSUB_1_2, GossipsubConfig.MESHSUB_1_1, GossipsubConfig.MESHSUB_1_0);

    private final Host host;
    private final GossipsubConfig config;
    private final GossipRouter router;
    private final ScheduledExecutorService timer;
    private final Map<PeerId, Sender> senders = new ConcurrentHashMap<>();
    private final List<BiConsumer<PubsubMessage, PeerId>> listeners = new CopyOnWriteArrayList<>();
    private volatile Subscription subscription;
    /** Bound on writing one RPC to a peer, and on setting up its stream: a peer that stops reading loses its stream. */
    static final java.time.Duration WRITE_TIMEOUT = java.time.Duration.ofSeconds(20);
    private final java.util.concurrent.ExecutorService validation = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean closed;
    /** PX dials under way, at most {@link #MAX_PX_DIALS}: a stream of PRUNEs cannot make us dial without bound. */
    private final java.util.concurrent.atomic.AtomicInteger pxDials = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong pxConnected = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong pxSkipped = new java.util.concurrent.atomic.AtomicLong();
    static final int MAX_PX_DIALS = 16;
    /** Outbound bytes one slow peer may have waiting, and all peers together. */
    static final long MAX_QUEUED_BYTES_PER_PEER = 8L << 20;
    static final long MAX_QUEUED_BYTES_TOTAL = 128L << 20;
    private final java.util.concurrent.atomic.AtomicLong queuedTotal = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong droppedRpcs = new java.util.concurrent.atomic.AtomicLong();

    /**
     * The outbound side to one peer: one stream, written straight from the caller's thread
     * (usually the I/O thread handling the RPC that caused this one) when that needs no waiting,
     * else through a bounded queue drained by a virtual thread. RPCs go out in the order given.
     */
    private final class Sender {
        final PeerId peer;
        private final java.util.ArrayDeque<PubsubProto.RPC> queue = new java.util.ArrayDeque<>();
        private long queuedBytes;
        private boolean busy;     // the thread holds an RPC it has not finished writing
        volatile Stream stream;
        volatile boolean done;

        Sender(PeerId peer) {
            this.peer = peer;
            Thread.ofVirtual().name("gossip-out").start(this::run);
        }

        synchronized void offer(PubsubProto.RPC rpc) {
            if (done) return; // ended: the router's next send opens a new sender
            Stream st = stream;
            if (st != null && !busy && queue.isEmpty()) {
                try {
                    if (st.tryWrite(LengthPrefixed.frame(rpc.toByteArray()))) return;
                } catch (IOException e) {
                    return; // the stream is gone; run() ends and the next send opens another
                }
            }
            // A slow peer's backlog is kept up to the per-peer bounds and within the budget all
            // peers share; beyond, a stuck peer loses its oldest RPCs rather than the node its memory.
            long size = rpc.getSerializedSize();
            while (!queue.isEmpty() && (queue.size() >= config.maxQueuedRpcsPerPeer() || queuedBytes + size > MAX_QUEUED_BYTES_PER_PEER
                    || queuedTotal.get() + size > MAX_QUEUED_BYTES_TOTAL)) {
                took(queue.poll());
                droppedRpcs.incrementAndGet();
            }
            queue.add(rpc);
            queuedBytes += size;
            queuedTotal.addAndGet(size);
            notifyAll();
        }

        private void took(PubsubProto.RPC rpc) {
            long size = rpc.getSerializedSize();
            queuedBytes -= size;
            queuedTotal.addAndGet(-size);
        }

        private synchronized PubsubProto.RPC next() throws InterruptedException {
            busy = false;
            while (queue.isEmpty()) {
                if (done || closed) return null;
                wait(1000);
            }
            busy = true;
            PubsubProto.RPC rpc = queue.poll();
            took(rpc);
            return rpc;
        }

        private synchronized void discard() {
            for (PubsubProto.RPC rpc; (rpc = queue.poll()) != null; ) took(rpc);
        }

        void run() {
            try {
                Stream st = host.newStream(peer, PROTOCOLS).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                stream = st;
                for (PubsubProto.RPC rpc; (rpc = next()) != null; ) {
                    st.setWriteDeadline(java.time.Instant.now().plus(WRITE_TIMEOUT));
                    LengthPrefixed.write(st.out(), rpc.toByteArray());
                }
            } catch (Exception e) {
                log.debug("gossip stream to {} ended: {}", peer, e.toString());
            } finally {
                done = true;
                discard();
                if (stream != null) stream.close();
                senders.remove(peer, this);
            }
        }

        void stop() {
            done = true;
            synchronized (this) {
                notifyAll();
            }
            if (stream != null) stream.close();
        }
    }

    private Gossipsub(Host host, GossipsubConfig config, PeerScoreParams scoreParams, PeerScoreThresholds thresholds, MessageIdFunction idFunction) {
        this.host = host;
        this.config = config;
        this.router = new GossipRouter(config, scoreParams, thresholds, host.peerId(), host.identity(), idFunction, new GossipRouter.Output() {
            @Override
            public void peerExchange(PeerId from, String topic, List<GossipRouter.ExchangedPeer> suggested) {
                for (GossipRouter.ExchangedPeer x : suggested) {
                    if (closed || pxDials.incrementAndGet() > MAX_PX_DIALS) {
                        pxDials.decrementAndGet();
                        return;
                    }
                    validation.execute(() -> {
                        try {
                            connectExchanged(x);
                        } finally {
                            pxDials.decrementAndGet();
                        }
                    });
                }
            }

            @Override
            public Optional<byte[]> signedPeerRecord(PeerId p) {
                return host.peerStore().signedRecord(p).map(SignedPeerRecord::encode);
            }

            @Override
            public void send(PeerId to, PubsubProto.RPC rpc) {
                Sender s = senders.get(to);
                if (s == null || s.done) {
                    if (closed || host.connection(to).isEmpty()) return;
                    s = senders.computeIfAbsent(to, Sender::new);
                }
                s.offer(rpc);
            }

            @Override
            public void deliver(PubsubMessage message, PeerId receivedFrom) {
                for (BiConsumer<PubsubMessage, PeerId> l : listeners) {
                    try {
                        l.accept(message, receivedFrom);
                    } catch (RuntimeException e) {
                        log.warn("pubsub listener failed", e);
                    }
                }
            }
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("gossip-heartbeat").unstarted(r));
    }

    /** From the host's bus: peers identified (or whose protocols changed) that speak meshsub join; lost peers leave. */
    private void onEvent(Event e) {
        if (closed) return;
        switch (e) {
            case Event.PeerIdentified p -> identified(p.connection(), p.info().protocols());
            case Event.PeerProtocolsChanged p -> {
                if (router.peers().contains(p.peer())) return;
                host.connection(p.peer()).ifPresent(c -> identified(c, p.protocols()));
            }
            case Event.ConnectionClosed c -> disconnected(c.connection());
            default -> { }
        }
    }

    private void identified(Connection c, List<String> protocols) {
        for (String p : PROTOCOLS) {
            if (protocols.contains(p)) {
                addPeer(c, p);
                return;
            }
        }
    }

    private void disconnected(Connection c) {
        if (host.connection(c.remotePeer()).isPresent()) return;
        router.removePeer(c.remotePeer(), System.currentTimeMillis());
        Sender s = senders.remove(c.remotePeer());
        if (s != null) s.stop();
    }

    public static Gossipsub start(Host host, GossipsubConfig config) {
        return start(host, config, PeerScoreParams.defaults(), PeerScoreThresholds.defaults());
    }

    public static Gossipsub start(Host host, GossipsubConfig config, PeerScoreParams scoreParams, PeerScoreThresholds thresholds) {
        return start(host, config, scoreParams, thresholds, MessageIdFunction.FROM_AND_SEQNO);
    }

    /** With message ids other than the default from+seqno: every node of the network must use the same function. */
    public static Gossipsub start(Host host, GossipsubConfig config, PeerScoreParams scoreParams, PeerScoreThresholds thresholds,
            MessageIdFunction idFunction) {
        Gossipsub g = new Gossipsub(host, config, scoreParams, thresholds, idFunction);
        g.subscription = host.events().subscribe("gossipsub", g::onEvent,
                java.util.Set.of(Event.PeerIdentified.class, Event.PeerProtocolsChanged.class, Event.ConnectionClosed.class));
        for (String p : PROTOCOLS) host.handle(p, g::handleStream);
        for (Connection c : host.connections()) c.identifyInfo().ifPresent(i -> g.identified(c, i.protocols()));
        long hb = config.heartbeat().toMillis();
        g.timer.scheduleWithFixedDelay(() -> {
            try {
                g.router.heartbeat(System.currentTimeMillis());
            } catch (RuntimeException e) {
                log.warn("gossipsub heartbeat failed", e);
            }
        }, hb, hb, TimeUnit.MILLISECONDS);
        return g;
    }

    private void addPeer(Connection c, String protocol) {
        java.net.InetAddress ip = c.remoteAddr().toTcpSocketAddress().map(InetSocketAddress::getAddress).orElse(null);
        router.addPeer(c.remotePeer(), protocol, c.direction() == Direction.OUTBOUND, ip);
    }

    /**
     * An inbound stream: its RPCs are cut, decoded and handled on the connection's I/O thread as
     * they arrive (no reader thread to wake per message, as in a single-threaded libp2p); this
     * handler's virtual thread only waits, parked, for the stream to end.
     */
    private void handleStream(Stream s) throws Exception {
        PeerId from = s.connection().remotePeer();
        if (!router.peers().contains(from)) addPeer(s.connection(), s.protocol());
        CompletableFuture<Void> ended = new CompletableFuture<>();
        LengthPrefixed.Decoder frames = new LengthPrefixed.Decoder(config.maxRpcSize());
        s.readInline(new InlineReader() {
            @Override
            public void data(ByteBuffer chunk) throws IOException {
                if (closed) throw new IOException("pubsub closed");
                try {
                    frames.feed(chunk, frame -> {
                        PubsubProto.RPC rpc;
                        try {
                            rpc = RpcCodec.decode(frame, config.maxRpcSize());
                        } catch (RpcCodec.RpcException e) {
                            throw new LengthPrefixed.FrameException("invalid RPC: " + e.getMessage());
                        }
                        router.handle(from, rpc, System.currentTimeMillis());
                    });
                } catch (LengthPrefixed.FrameException e) {
                    misbehaved(from, e.getMessage());
                    throw e;
                }
            }

            @Override
            public void end(IOException failure) {
                ended.complete(null);
            }
        });
        ended.get();
    }

    /**
     * A peer suggested in PX: its signed record, when it came with one that verifies and is the
     * peer's own, goes to the peer store; then we dial it if any address of it is known.
     */
    private void connectExchanged(GossipRouter.ExchangedPeer x) {
        if (closed || host.connection(x.peer()).isPresent()) return;
        if (x.signedPeerRecord().length > 0) {
            try {
                SignedPeerRecord r = SignedPeerRecord.open(x.signedPeerRecord());
                if (r.peerId().equals(x.peer())) host.peerStore().putSignedRecord(r);
            } catch (RecordException e) {
                log.debug("PX record of {} rejected: {}", x.peer(), e.getMessage());
            }
        }
        if (host.peerStore().addrs(x.peer()).isEmpty()) {
            pxSkipped.incrementAndGet(); // no address: nothing to dial
            return;
        }
        try {
            host.dial(x.peer()).get(20, TimeUnit.SECONDS);
            pxConnected.incrementAndGet();
        } catch (Exception e) {
            log.debug("PX dial of {} failed: {}", x.peer(), e.toString());
        }
    }

    /** Bytes of RPCs waiting in the outbound queues of all peers. */
    public long queuedBytes() {
        return queuedTotal.get();
    }

    /** RPCs dropped because a peer fell too far behind (per-peer or total bounds of the outbound queues). */
    public long droppedRpcs() {
        return droppedRpcs.get();
    }

    /** Connections opened to peers suggested in PX. */
    public long pxConnected() {
        return pxConnected.get();
    }

    /** Peers suggested in PX that were not dialled: no address known and no valid record of their own. */
    public long pxSkipped() {
        return pxSkipped.get();
    }

    /** An oversized or malformed RPC: the peer is penalised (P7); the caller resets the stream. */
    private void misbehaved(PeerId from, String why) {
        log.debug("pubsub peer {} sent an invalid RPC: {}", from, why);
        router.penalise(from, 10);
    }

    // ------------------------------------------------------------------ API

    public void subscribe(String topic) {
        router.subscribe(topic, System.currentTimeMillis());
    }

    public void unsubscribe(String topic) {
        router.unsubscribe(topic, System.currentTimeMillis());
    }

    /** Publishes on the topic; returns the number of peers it was sent to. */
    public int publish(String topic, byte[] data) {
        return router.publish(topic, data, System.currentTimeMillis());
    }

    public List<String> topics() {
        return router.topics();
    }

    public List<PeerId> topicPeers(String topic) {
        return router.topicPeers(topic);
    }

    public List<PeerId> meshPeers(String topic) {
        return router.meshPeers(topic);
    }

    /**
     * Application validators run on virtual threads: messages are handled on the I/O thread,
     * and a validator may well read a database (the router bounds how many run at once).
     */
    public void addValidator(String topic, MessageValidator v) {
        router.addValidator(topic, (from, m) -> CompletableFuture.supplyAsync(() -> v.validate(from, m), validation).thenCompose(f -> f));
    }

    /** Every message delivered on a subscribed topic, with the peer it came from. */
    public void addListener(BiConsumer<PubsubMessage, PeerId> l) {
        listeners.add(l);
    }

    /** The application's opinion of peers (P5), e.g. the marketplace's reputation. */
    public void setAppScore(ToDoubleFunction<PeerId> f) {
        router.setAppScore(f);
    }

    public Optional<Double> score(PeerId p) {
        return router.scoreOf(p, System.currentTimeMillis());
    }

    public GossipRouter.Stats stats() {
        return router.stats();
    }

    public GossipRouter router() {
        return router;
    }

    public GossipsubConfig config() {
        return config;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        timer.shutdownNow();
        validation.shutdownNow();
        Subscription sub = subscription;
        if (sub != null) sub.close();
        for (String p : PROTOCOLS) host.unhandle(p);
        senders.values().forEach(Sender::stop);
        senders.clear();
    }
}
