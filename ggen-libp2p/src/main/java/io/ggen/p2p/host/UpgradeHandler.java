package io.ggen.p2p.host;


import io.ggen.p2p.core.ConnectionSetupEvent;
import io.ggen.p2p.core.HostException;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multistream.MultistreamHandler;
import io.ggen.p2p.security.noise.NoiseConfig;
import io.ggen.p2p.security.noise.NoiseCredentials;
import io.ggen.p2p.security.noise.NoiseHandshakeHandler;
import io.ggen.p2p.security.noise.NoiseSession;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drives the connection upgrade of one channel: multistream-select picks {@code /noise}, the
 * Noise XX handshake authenticates the remote, multistream-select picks {@code /yamux/1.0.0}.
 * When both sides listed stream muxers in their Noise handshake payloads (libp2p's inlined muxer
 * negotiation, connections/inlined-muxer-negotiation.md), the muxer is taken from those lists
 * and the last multistream-select round trip is skipped: the initiator's first muxer that the
 * responder also lists, which both sides compute alike.
 * It sits at the tail of the pipeline and reacts to the events the stage handlers fire, adding
 * the next stage before itself. When the muxer is chosen it completes {@link #result} and
 * leaves the pipeline; the host then installs the muxer. The whole upgrade has one deadline.
 */
final class UpgradeHandler extends ChannelInboundHandlerAdapter {
    static final String NOISE = "/noise";
    static final String YAMUX = "/yamux/1.0.0";

    /**
     * The secured, muxer-negotiated {@code channel}; {@code initiator}: we led the upgrade, so we
     * are the muxer's client. {@link #result} completes with it on the channel's I/O thread, after
     * this handler has left the pipeline: bytes that follow reach the tail and are lost until the
     * muxer goes in, so whoever installs the muxer must have subscribed to {@link #result} before
     * this handler joined the pipeline (then it runs inside that completion, before the next read).
     */
    record Upgraded(NoiseSession security, String muxer, boolean initiator, Channel channel) {}

    private enum Stage { SECURITY, HANDSHAKE, MUXER, DONE }

    private final boolean initiator;
    private final NoiseCredentials credentials;
    private final Optional<PeerId> expectedRemote;
    private final NoiseConfig noiseConfig;
    private final Duration timeout;
    final CompletableFuture<Upgraded> result = new CompletableFuture<>();
    private Stage stage = Stage.SECURITY;
    private NoiseSession session;
    private ScheduledFuture<?> deadline;

    UpgradeHandler(boolean initiator, NoiseCredentials credentials, Optional<PeerId> expectedRemote, NoiseConfig noiseConfig, Duration timeout) {
        this.initiator = initiator;
        this.credentials = credentials;
        this.expectedRemote = expectedRemote;
        this.noiseConfig = noiseConfig;
        this.timeout = timeout;
    }

    private ChannelHandler negotiator(List<String> protocols) {
        return initiator ? MultistreamHandler.initiator(protocols) : MultistreamHandler.responder(protocols);
    }

    private boolean started;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // The deadline covers the TCP connect too when this is added before the channel is active.
        deadline = ctx.executor().schedule(
                () -> fail(ctx, new HostException("connection upgrade timed out after " + timeout.toMillis() + " ms in stage " + stage)),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (ctx.channel().isActive()) start(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) return;
        started = true;
        ConnectionSetupEvent.mark("channel-active", initiator, ctx.channel().localAddress(), ctx.channel().remoteAddress());
        try {
            // The initiator proposes only /noise, so it can send the handshake's first message
            // with the proposal instead of a round trip later (lazy multistream-select).
            ctx.pipeline().addBefore(ctx.name(), "security-select",
                    initiator ? MultistreamHandler.optimisticInitiator(NOISE) : MultistreamHandler.responder(List.of(NOISE)));
        } catch (RuntimeException e) {
            fail(ctx, e);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        try {
            if (evt instanceof MultistreamHandler.Selected sel) {
                onSelected(ctx, sel.protocol());
            } else if (evt instanceof MultistreamHandler.Failed f) {
                fail(ctx, new HostException("protocol negotiation failed in stage " + stage + ": " + f.cause().getMessage(), f.cause()));
            } else if (evt instanceof NoiseHandshakeHandler.Completed c) {
                if (stage != Stage.HANDSHAKE) throw new HostException("unexpected Noise completion in stage " + stage);
                session = c.session();
                stage = Stage.MUXER;
                ConnectionSetupEvent.mark("noise-done", initiator, ctx.channel().localAddress(), ctx.channel().remoteAddress());
                Optional<String> inlined = inlinedMuxer(noiseConfig.streamMuxers(), session.remoteStreamMuxers(), initiator);
                if (inlined.isPresent()) {
                    onSelected(ctx, inlined.get());
                } else {
                    ctx.pipeline().addBefore(ctx.name(), "muxer-select", negotiator(List.of(YAMUX)));
                }
            } else if (evt instanceof NoiseHandshakeHandler.Failed f) {
                fail(ctx, new HostException("Noise handshake failed: " + f.cause().getMessage(), f.cause()));
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        } catch (RuntimeException e) {
            fail(ctx, e);
        }
    }

    /**
     * The muxer agreed in the Noise handshake, or empty when either side listed none (then
     * multistream-select decides). Both lists non-empty with nothing in common fails the
     * connection, as the spec asks: the remote would not fall back to multistream-select either.
     */
    static Optional<String> inlinedMuxer(List<String> ours, List<String> theirs, boolean weInitiated) {
        if (ours.isEmpty() || theirs.isEmpty()) return Optional.empty();
        List<String> initiators = weInitiated ? ours : theirs;
        List<String> responders = weInitiated ? theirs : ours;
        for (String m : initiators) {
            if (responders.contains(m)) return Optional.of(m);
        }
        throw new HostException("no common stream muxer in the Noise handshake: ours " + ours + ", theirs " + theirs);
    }

    private void onSelected(ChannelHandlerContext ctx, String protocol) {
        switch (stage) {
            case SECURITY -> {
                if (!NOISE.equals(protocol)) throw new HostException("unsupported security protocol " + protocol);
                stage = Stage.HANDSHAKE;
                ConnectionSetupEvent step = ConnectionSetupEvent.begin("noise-init");
                NoiseHandshakeHandler noise = new NoiseHandshakeHandler(credentials, initiator, expectedRemote, noiseConfig);
                step.end(initiator, ctx.channel().localAddress(), ctx.channel().remoteAddress());
                ctx.pipeline().addBefore(ctx.name(), "noise", noise);
            }
            case MUXER -> {
                if (!YAMUX.equals(protocol)) throw new HostException("unsupported muxer " + protocol);
                stage = Stage.DONE;
                deadline.cancel(false);
                // Leave before the muxer goes in, so bytes that follow the negotiation reach it.
                ctx.pipeline().remove(this);
                result.complete(new Upgraded(session, protocol, initiator, ctx.channel()));
            }
            default -> throw new HostException("unexpected protocol selection in stage " + stage);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Every stage consumes its own bytes; data reaching the tail during the upgrade means a
        // peer sent application data before the upgrade finished.
        ReferenceCountUtil.release(msg);
        if (msg instanceof ByteBuf) fail(ctx, new HostException("unexpected data during connection upgrade in stage " + stage));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, new HostException("connection closed by the remote during upgrade (stage " + stage + ")"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, new HostException("connection failed during upgrade: " + cause.getMessage(), cause));
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (deadline != null) deadline.cancel(false);
        if (result.completeExceptionally(cause)) ctx.channel().close();
    }
}
