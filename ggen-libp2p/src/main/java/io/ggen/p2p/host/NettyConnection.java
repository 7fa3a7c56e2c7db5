package io.ggen.p2p.host;

import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.ConnectionLimit;
import io.ggen.p2p.core.Direction;
import io.ggen.p2p.core.HostException;
import io.ggen.p2p.core.IdentifyInfo;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.multistream.Multistream;
import io.ggen.p2p.multistream.MultistreamConfig;
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
        channel.closeFuture().addListener(f -> closed.complete(null));
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

    private Stream negotiateOutbound(MuxedStream muxed, List<String> protocols) {
        muxed.setReadDeadline(Instant.now().plus(host.config().negotiationTimeout()));
        muxed.setWriteDeadline(Instant.now().plus(host.config().negotiationTimeout()));
        try {
            String protocol = Multistream.select(muxed.in(), muxed.out(), protocols);
            muxed.setReadDeadline(null);
            muxed.setWriteDeadline(null);
            return track(new HostStream(muxed, this, protocol, Direction.OUTBOUND, host.bandwidth()));
        } catch (Exception e) {
            muxed.reset();
            throw new CompletionException(new HostException("no protocol of " + protocols + " agreed with " + remotePeer + ": " + e.getMessage(), e));
        }
    }

    /** Called from the muxer's event thread for each stream the remote opens. */
    void onInboundStream(MuxedStream muxed) {
        if (negotiating.incrementAndGet() > host.config().limits().maxNegotiatingStreams()) {
            negotiating.decrementAndGet();
            muxed.reset();
            return;
        }
        // The negotiation deadline counts from the stream's arrival, not from when a thread takes it.
        Instant deadline = Instant.now().plus(host.config().negotiationTimeout());
        muxed.setReadDeadline(deadline);
        muxed.setWriteDeadline(deadline);
        try {
            host.runStreamTask(() -> {
                String protocol;
                try {
                    protocol = Multistream.respond(muxed.in(), muxed.out(), host::handles, host.protocols(), MultistreamConfig.DEFAULT);
                    muxed.setReadDeadline(null);
                    muxed.setWriteDeadline(null);
                } catch (Exception e) {
                    muxed.reset();
                    return;
                } finally {
                    negotiating.decrementAndGet();
                }
                host.serveInbound(track(new HostStream(muxed, this, protocol, Direction.INBOUND, host.bandwidth())));
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
