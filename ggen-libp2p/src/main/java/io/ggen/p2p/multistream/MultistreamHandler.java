package io.ggen.p2p.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Negotiates a protocol for a whole connection (the security protocol, then the muxer) with
 * multistream-select, then steps aside.
 *
 * <p>It starts when the channel is active (at once if added to an active channel). On success it
 * fires {@link Selected} down the pipeline and removes itself; whoever handles that event adds the
 * selected protocol's handler there and then, synchronously, and bytes the peer sent after the
 * negotiation are then passed on to that handler as a normal read (they stay in this decoder's
 * buffer until its removal, which forwards them). On failure, including a timeout or the
 * connection closing early, it fires {@link Failed} and closes the channel.
 *
 * <p>An optimistic initiator ({@link #optimisticInitiator}) proposes one protocol and fires
 * {@link Selected} as soon as the proposal is written, so the protocol's handler can speak at
 * once instead of a round trip later (multistream-select's lazy negotiation); this handler stays
 * in front of it until the responder's header and echo have arrived and checked out, and only
 * then passes on what follows. A {@code na} fails the channel as usual: with one proposal there
 * is nothing else to try.
 */
public final class MultistreamHandler extends ByteToMessageDecoder {

    /** Fired when a protocol was agreed on; add its handler when this event arrives. */
    public record Selected(String protocol) {}

    /** Fired when negotiation failed; the channel is being closed. */
    public record Failed(Throwable cause) {}

    private final MultistreamNegotiator negotiator;
    private final MultistreamConfig config;
    private ScheduledFuture<?> timeout;
    /** The one protocol an optimistic initiator proposes; null otherwise. */
    private final String optimistic;
    private boolean started;
    private boolean finished;
    /** The answer that completed the negotiation was written but not flushed yet. */
    private boolean answerUnflushed;

    private MultistreamHandler(MultistreamNegotiator negotiator, MultistreamConfig config, String optimistic) {
        this.negotiator = negotiator;
        this.config = config;
        this.optimistic = optimistic;
    }

    private MultistreamHandler(MultistreamNegotiator negotiator, MultistreamConfig config) {
        this(negotiator, config, null);
    }

    /** An initiator that proposes {@code protocol} and reports it selected without waiting (see the class comment). */
    public static MultistreamHandler optimisticInitiator(String protocol) {
        return new MultistreamHandler(MultistreamNegotiator.initiator(List.of(protocol), MultistreamConfig.DEFAULT), MultistreamConfig.DEFAULT, protocol);
    }

    public static MultistreamHandler initiator(List<String> protocols) {
        return initiator(protocols, MultistreamConfig.DEFAULT);
    }

    public static MultistreamHandler initiator(List<String> protocols, MultistreamConfig config) {
        return new MultistreamHandler(MultistreamNegotiator.initiator(protocols, config), config);
    }

    public static MultistreamHandler responder(Collection<String> supported) {
        return responder(supported, MultistreamConfig.DEFAULT);
    }

    public static MultistreamHandler responder(Collection<String> supported, MultistreamConfig config) {
        return new MultistreamHandler(MultistreamNegotiator.responder(supported, config), config);
    }

    public static MultistreamHandler responder(Predicate<String> supported, List<String> advertised, MultistreamConfig config) {
        return new MultistreamHandler(MultistreamNegotiator.responder(supported, advertised, config), config);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) start(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) return;
        started = true;
        timeout = ctx.executor().schedule(
                () -> fail(ctx, new ProtocolNegotiationException("protocol negotiation timed out after " + config.timeout())),
                config.timeout().toNanos(), TimeUnit.NANOSECONDS);
        byte[] first = negotiator.start();
        if (optimistic != null) {
            // The proposal is on its way: the next handler goes in behind this one and may
            // write at once; one flush sends both (the Noise initiator's first message rides
            // with the proposal).
            if (first.length > 0) ctx.write(Unpooled.wrappedBuffer(first));
            ctx.fireUserEventTriggered(new Selected(optimistic));
            ctx.flush();
        } else if (first.length > 0) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(first));
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (finished) return;
        if (!started) start(ctx);
        int readable = in.readableBytes();
        if (readable == 0) return;
        byte[] chunk = new byte[readable];
        in.getBytes(in.readerIndex(), chunk);
        MultistreamNegotiator.Step step = negotiator.feed(chunk);
        switch (step.outcome()) {
            case MultistreamNegotiator.NeedMore ignored -> {
                in.skipBytes(readable);
                send(ctx, step.output());
            }
            case MultistreamNegotiator.Selected selected -> {
                // The leftover is a suffix of this chunk: leave it in the buffer, so that removing
                // this decoder hands it to the next handler.
                in.skipBytes(readable - selected.leftover().length);
                // Our last answer is flushed as this handler leaves (handlerRemoved0), after the
                // next handler has taken the leftover: what it answers at once (a Noise
                // responder's message 2) leaves in the same packet.
                if (step.output().length > 0) {
                    ctx.write(Unpooled.wrappedBuffer(step.output()));
                    answerUnflushed = true;
                }
                finished = true;
                cancelTimeout();
                if (optimistic == null) ctx.fireUserEventTriggered(new Selected(selected.protocol()));
                if (!ctx.isRemoved()) ctx.pipeline().remove(this);
            }
            case MultistreamNegotiator.Failed failed -> {
                in.skipBytes(readable);
                send(ctx, step.output());
                fail(ctx, failed.toException());
            }
        }
    }

    private static void send(ChannelHandlerContext ctx, byte[] bytes) {
        if (bytes.length > 0) ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!finished) fail(ctx, new ProtocolNegotiationException("connection closed during protocol negotiation"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!finished) {
            fail(ctx, new ProtocolNegotiationException("protocol negotiation failed: " + cause, cause));
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimeout();
        if (answerUnflushed) {
            answerUnflushed = false;
            ctx.flush();
        }
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (finished) return;
        finished = true;
        cancelTimeout();
        ctx.fireUserEventTriggered(new Failed(Objects.requireNonNull(cause)));
        ctx.close();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }
}
