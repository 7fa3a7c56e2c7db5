package io.ggen.p2p.host;

import io.ggen.p2p.core.AnsweringHandler;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.ConnectionLimit;
import io.ggen.p2p.core.ConnectionSetupEvent;
import io.ggen.p2p.core.Direction;
import io.ggen.p2p.core.HostException;
import io.ggen.p2p.core.IdentifyInfo;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.multistream.Multistream;
import io.ggen.p2p.multistream.MultistreamConfig;
import io.ggen.p2p.multistream.MultistreamNegotiator;
import io.ggen.p2p.mux.MuxedSession;
import io.ggen.p2p.mux.MuxedStream;
import io.netty.channel.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A connection whose bytes flow through a Netty channel: TCP, Noise, Yamux. */
final class NettyConnection implements Connection {
    private final long id;
    private final NettyHost host;
    private final Channel channel;
    private final PeerId remotePeer;
    private final Multiaddr remoteAddr;
    private final Multiaddr localAddr;
    private final Direction direction;
    private final String security;
    private final String muxer;
    private final Instant openedAt = Instant.now();
    private final Duration upgradeTime;
    private final Set<HostStream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicInteger negotiating = new AtomicInteger();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Optional<ConnectionLimit> relayLimit;
    private volatile MuxedSession session;

    /** @param relayLimit present (possibly {@link ConnectionLimit#NONE}) exactly when the connection runs through a relay */
    NettyConnection(long id, NettyHost host, Channel channel, PeerId remotePeer, Multiaddr remoteAddr, Multiaddr localAddr,
            Direction direction, String security, String muxer, Duration upgradeTime, Optional<ConnectionLimit> relayLimit) {
        this.relayLimit = relayLimit;
        this.id = id;
        this.host = host;
        this.channel = channel;
        this.remotePeer = remotePeer;
        this.remoteAddr = remoteAddr;
        this.localAddr = localAddr;
        this.direction = direction;
        this.security = security;
        this.muxer = muxer;
        this.upgradeTime = upgradeTime;
    }

    /**
     * Completes {@link #closed()}. The host calls it from the channel's close listener after it
     * has taken the connection out of its table, so whoever waits on closed() (hangup, close)
     * sees a host that no longer lists it.
     */
    void markClosed() {
        closed.complete(null);
    }

    void attach(MuxedSession session) {
        this.session = session;
    }

    Channel channel() {
        return channel;
    }

    /** The muxer session, for tests that need to act below protocol negotiation. */
    MuxedSession session() {
        return session;
    }

    /** Inbound streams still negotiating their protocol. */
    int negotiatingStreams() {
        return negotiating.get();
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public PeerId remotePeer() {
        return remotePeer;
    }

    @Override
    public Multiaddr remoteAddr() {
        return remoteAddr;
    }

    @Override
    public Multiaddr localAddr() {
        return localAddr;
    }

    @Override
    public Direction direction() {
        return direction;
    }

    @Override
    public String security() {
        return security;
    }

    @Override
    public String muxer() {
        return muxer;
    }

    @Override
    public Instant openedAt() {
        return openedAt;
    }

    @Override
    public Duration upgradeTime() {
        return upgradeTime;
    }

    @Override
    public CompletableFuture<Stream> newStream(List<String> protocols) {
        if (protocols.isEmpty()) return CompletableFuture.failedFuture(new IllegalArgumentException("no protocols to negotiate"));
        MuxedSession s = session;
        if (s == null || !isOpen()) return CompletableFuture.failedFuture(new HostException("connection to " + remotePeer + " is closed"));
        return s.openStream().thenApplyAsync(muxed -> negotiateOutbound(muxed, protocols), host.streamExecutor());
    }

    @Override
    public CompletableFuture<Stream> newStreamLazy(String protocol) {
        MuxedSession s = session;
        if (s == null || !isOpen()) return CompletableFuture.failedFuture(new HostException("connection to " + remotePeer + " is closed"));
        // The stream opens on the I/O thread; the proposal is written there too when the
        // connection has room (a new stream always has its window), else by a stream thread.
        return s.openStream().thenCompose(muxed -> {
            MultistreamNegotiator proposer = MultistreamNegotiator.initiator(List.of(protocol), MultistreamConfig.DEFAULT);
            byte[] proposal = proposer.start();
            HostStream stream = track(new HostStream(muxed, this, protocol, Direction.OUTBOUND, host.bandwidth(), proposer, muxed.in()));
            try {
                if (muxed.tryWrite(proposal)) return CompletableFuture.completedFuture(stream);
            } catch (java.io.IOException e) {
                muxed.reset();
                return CompletableFuture.failedFuture(new HostException("cannot propose " + protocol + " to " + remotePeer + ": " + e.getMessage(), e));
            }
            return CompletableFuture.supplyAsync(() -> {
                muxed.setWriteDeadline(Instant.now().plus(host.config().negotiationTimeout()));
                try {
                    muxed.out().write(proposal);
                    muxed.out().flush();
                    muxed.setWriteDeadline(null);
                    return stream;
                } catch (java.io.IOException e) {
                    muxed.reset();
                    throw new CompletionException(new HostException("cannot propose " + protocol + " to " + remotePeer + ": " + e.getMessage(), e));
                }
            }, host.streamExecutor());
        });
    }

    private Stream negotiateOutbound(MuxedStream muxed, List<String> protocols) {
        muxed.setReadDeadline(Instant.now().plus(host.config().negotiationTimeout()));
        muxed.setWriteDeadline(Instant.now().plus(host.config().negotiationTimeout()));
        try {
            ConnectionSetupEvent step = ConnectionSetupEvent.begin("stream-select");
            String protocol = Multistream.select(muxed.in(), muxed.out(), protocols);
            step.end(this);
            muxed.setReadDeadline(null);
            muxed.setWriteDeadline(null);
            return track(new HostStream(muxed, this, protocol, Direction.OUTBOUND, host.bandwidth()));
        } catch (Exception e) {
            muxed.reset();
            throw new CompletionException(new HostException("no protocol of " + protocols + " agreed with " + remotePeer + ": " + e.getMessage(), e));
        }
    }

    /**
     * Called on the I/O thread for each stream the remote opens, at the end of the read that
     * opened it (see {@link io.ggen.p2p.mux.yamux.YamuxSession}): its first data, when it came in the same read, is
     * queued in it.
     */
    void onInboundStream(MuxedStream muxed) {
        if (negotiating.incrementAndGet() > host.config().limits().maxNegotiatingStreams()) {
            negotiating.decrementAndGet();
            muxed.reset();
            return;
        }
        // The negotiation deadline counts from the stream's arrival, not from when a thread takes it.
        Instant deadline = Instant.now().plus(host.config().negotiationTimeout());
        ConnectionSetupEvent.mark("stream-inbound", this);
        muxed.setReadDeadline(deadline);
        muxed.setWriteDeadline(deadline);
        // A complete proposal of an answering protocol is served right here (see
        // answerInline), and anything else goes to a stream thread.
        dispatchInbound(muxed);
    }

    /** Longest first data of a stream that is looked at on the I/O thread. */
    private static final int MAX_INLINE_PROPOSAL = 1024;

    /** On the I/O thread: answers inline if it can, else hands the stream to a stream thread. */
    private void dispatchInbound(MuxedStream muxed) {
        byte[] head = new byte[0];
        try {
            int n = muxed.in().available();
            if (n > 0 && n <= MAX_INLINE_PROPOSAL) {
                head = new byte[n];
                // what is already queued is taken without waiting
                n = muxed.in().read(head);
                if (n < head.length) head = java.util.Arrays.copyOf(head, Math.max(n, 0));
                if (answerInline(muxed, head)) return;
            }
        } catch (java.io.IOException | RuntimeException e) {
            negotiating.decrementAndGet();
            muxed.reset();
            return;
        }
        negotiateOnThread(muxed, head);
    }

    /**
     * Serves the stream on the I/O thread when {@code head} holds a whole proposal (header and
     * one protocol, nothing after) of a protocol whose handler is an {@link AnsweringHandler}:
     * the negotiation's answer and the handler's answer leave in one frame, and our side is
     * closed. False, with nothing sent, when that is not the case.
     */
    private boolean answerInline(MuxedStream muxed, byte[] head) {
        MultistreamNegotiator responder = MultistreamNegotiator.responder(host::handles, List.of(), MultistreamConfig.DEFAULT);
        MultistreamNegotiator.Step step = responder.feed(head);
        if (!(step.outcome() instanceof MultistreamNegotiator.Selected selected) || selected.leftover().length > 0) return false;
        if (!(host.handler(selected.protocol()) instanceof AnsweringHandler answering)) return false;
        ConnectionSetupEvent serve = ConnectionSetupEvent.begin("stream-answer");
        byte[] answer = answering.answer(this);
        byte[] out = java.util.Arrays.copyOf(step.output(), step.output().length + answer.length);
        System.arraycopy(answer, 0, out, step.output().length, answer.length);
        negotiating.decrementAndGet();
        muxed.setReadDeadline(null);
        muxed.setWriteDeadline(null);
        HostStream stream = track(new HostStream(muxed, this, selected.protocol(), Direction.INBOUND, host.bandwidth()));
        // From here on the stream no longer counts as negotiating, so a failure ends it here and
        // reports it served: the caller's clean-up would count the stream down a second time.
        try {
            if (stream.tryWrite(out)) {
                stream.close();
                serve.end(this);
                return true;
            }
        } catch (java.io.IOException | RuntimeException e) {
            stream.reset(); // the stream is gone already (reset by the remote, session closed)
            return true;
        }
        // No room right now (a congested connection): a stream thread writes it, waiting.
        try {
            host.runStreamTask(() -> {
                try {
                    stream.setWriteDeadline(Instant.now().plus(host.config().negotiationTimeout()));
                    stream.out().write(out);
                    stream.out().flush();
                    stream.close();
                } catch (java.io.IOException e) {
                    stream.reset();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            stream.reset(); // the host is closing
        }
        return true;
    }

    /** Negotiates on a stream thread, {@code head} (bytes already taken from the stream) first, then serves. */
    private void negotiateOnThread(MuxedStream muxed, byte[] head) {
        try {
            host.runStreamTask(() -> {
                java.io.InputStream in = head.length == 0 ? muxed.in() : new ReplayInput(head, muxed.in());
                String protocol;
                try {
                    ConnectionSetupEvent step = ConnectionSetupEvent.begin("stream-respond");
                    protocol = Multistream.respond(in, muxed.out(), host::handles, host.protocols(), MultistreamConfig.DEFAULT);
                    muxed.setReadDeadline(null);
                    muxed.setWriteDeadline(null);
                    step.end(this);
                } catch (Exception e) {
                    muxed.reset();
                    return;
                } finally {
                    negotiating.decrementAndGet();
                }
                host.serveInbound(track(new HostStream(muxed, this, protocol, Direction.INBOUND, host.bandwidth(), null, in)));
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            negotiating.decrementAndGet();
            muxed.reset();
        }
    }

    private HostStream track(HostStream s) {
        streams.add(s);
        s.closed().whenComplete((v, e) -> streams.remove(s));
        return s;
    }

    @Override
    public List<Stream> streams() {
        return List.copyOf(streams);
    }

    @Override
    public CompletableFuture<IdentifyInfo> identified() {
        return host.identify().identified(this);
    }

    @Override
    public Optional<IdentifyInfo> identifyInfo() {
        return host.identify().info(this);
    }

    @Override
    public boolean relayed() {
        return relayLimit.isPresent();
    }

    @Override
    public Optional<ConnectionLimit> limit() {
        return relayLimit.filter(l -> !l.unlimited());
    }

    @Override
    public boolean isOpen() {
        return channel.isActive() && !closed.isDone();
    }

    @Override
    public void close() {
        MuxedSession s = session;
        if (s == null) {
            channel.close();
            return;
        }
        // The session resets its streams on the wire, flushes, then closes the channel; closing
        // the channel here too would drop those unflushed frames. The fallback bounds the wait.
        s.close();
        try {
            channel.eventLoop().schedule(() -> channel.close(), 5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            channel.close(); // the event loop is shutting down
        }
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public String toString() {
        return "Connection[" + id + " " + direction.wireName() + " " + remotePeer + " " + remoteAddr + (relayed() ? " relayed" : "") + "]";
    }
}
