package io.ggen.p2p.security.noise;

import io.ggen.p2p.core.ConnectionSetupEvent;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the libp2p Noise handshake on a Netty pipeline, then hands over to a
 * {@link NoiseTransportHandler}.
 *
 * <p>Add it once multistream-select has agreed on {@value #PROTOCOL_ID}; the channel is then
 * usually active, so the initiator sends message 1 from {@link #handlerAdded} (or from
 * {@code channelActive} if it was added earlier). Handshake messages are framed with a 2-byte
 * big-endian length. On success the handler, in this order: writes the last handshake message (if
 * it is ours), puts a {@link NoiseTransportHandler} right after itself, passes to it any writes
 * made during the handshake, fires {@link Completed} (so a listener can add the muxer behind the
 * transport handler), and removes itself, which forwards to the transport handler any bytes that
 * arrived after the last handshake message, and then flushes. On any failure, including the handshake timeout and
 * the connection closing, it fires {@link Failed} and closes the channel; no exception leaves it.
 */
public final class NoiseHandshakeHandler extends ByteToMessageDecoder implements ChannelOutboundHandler {
    /** The multistream-select protocol id of libp2p Noise. */
    public static final String PROTOCOL_ID = "/noise";
    private static final Logger LOG = LoggerFactory.getLogger(NoiseHandshakeHandler.class);

    /** User event: the handshake succeeded and the transport handler is in place. */
    public record Completed(NoiseSession session) {}

    /** User event: the handshake failed; the channel is being closed. */
    public record Failed(Throwable cause) {}

    private enum State { NEW, RUNNING, DONE, FAILED }

    private record PendingWrite(Object msg, ChannelPromise promise) {}

    private final NoiseHandshake handshake;
    private final NoiseConfig config;
    private final ArrayDeque<PendingWrite> pendingWrites = new ArrayDeque<>();
    private State state = State.NEW;
    private int received;
    private ScheduledFuture<?> timeout;

    /**
     * @param identity our libp2p identity key
     * @param initiator true on the dialing side (the side that sent the multistream-select proposal)
     * @param expectedRemote the peer id the dialer expects (from a {@code /p2p/} address); the
     *     handshake fails if the remote authenticates as someone else
     */
    public NoiseHandshakeHandler(PrivateKey identity, boolean initiator, Optional<PeerId> expectedRemote, NoiseConfig config) {
        this(new NoiseHandshake(identity, initiator, expectedRemote, config.streamMuxers()), config);
    }

    /**
     * With the host's static key and signed payload, made once for all its handshakes
     * ({@code credentials} carry the stream muxers to offer; {@code config}'s are not used).
     */
    public NoiseHandshakeHandler(NoiseCredentials credentials, boolean initiator, Optional<PeerId> expectedRemote, NoiseConfig config) {
        this(new NoiseHandshake(credentials, initiator, expectedRemote), config);
    }

    /** With a prepared state machine (fixed keys in tests). */
    NoiseHandshakeHandler(NoiseHandshake handshake, NoiseConfig config) {
        this.handshake = Objects.requireNonNull(handshake, "handshake");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) begin(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        begin(ctx);
        super.channelActive(ctx);
    }

    private void begin(ChannelHandlerContext ctx) {
        if (state != State.NEW) return;
        state = State.RUNNING;
        long nanos = config.handshakeTimeout().toNanos();
        timeout = ctx.executor().schedule(
                () -> fail(ctx, new NoiseException("Noise handshake timed out after " + config.handshakeTimeout().toMillis() + " ms")),
                nanos, TimeUnit.NANOSECONDS);
        try {
            if (handshake.isInitiator()) {
                ConnectionSetupEvent step = ConnectionSetupEvent.begin("noise-msg1-out");
                writeMessage(ctx, handshake.start());
                ctx.flush();
                step.end(true, ctx.channel().localAddress(), ctx.channel().remoteAddress());
            }
            // Without auto-read nobody else asks for the handshake's bytes.
            if (!ctx.channel().config().isAutoRead()) ctx.read();
        } catch (NoiseException | RuntimeException e) {
            fail(ctx, e);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            decodeMessages(ctx, in);
        } catch (Throwable t) {
            fail(ctx, t);
        }
        if (state == State.FAILED) in.skipBytes(in.readableBytes());
    }

    private void decodeMessages(ChannelHandlerContext ctx, ByteBuf in) throws NoiseException {
        while (state == State.RUNNING && in.readableBytes() >= 2) {
            int len = in.getUnsignedShort(in.readerIndex());
            if (in.readableBytes() < 2 + len) return;
            // len <= 65535 by construction, so this allocation is bounded.
            byte[] message = new byte[len];
            in.skipBytes(2);
            in.readBytes(message);
            ConnectionSetupEvent trace = ConnectionSetupEvent.begin(handshake.isInitiator() ? "noise-msg2-in" : received++ == 0 ? "noise-msg1-in" : "noise-msg3-in");
            NoiseHandshake.Step step = handshake.receive(message);
            trace.end(handshake.isInitiator(), ctx.channel().localAddress(), ctx.channel().remoteAddress());
            switch (step) {
                case NoiseHandshake.Send send -> {
                    writeMessage(ctx, send.message());
                    ctx.flush();
                }
                case NoiseHandshake.Done done -> {
                    // Message 3 is written, not flushed: what the Completed listeners write at
                    // once (the muxer's first frames, a first stream, through the transport
                    // handler) joins it in one packet. A listener that tells anyone of the
                    // connection flushes first (the host does), so that nobody hears of it
                    // before the remote can; otherwise the flush as this handler leaves sends
                    // it (handlerRemoved0), after the bytes that followed the handshake in the
                    // same read have gone on to the transport handler, so that what they are
                    // answered with leaves in the same packet too.
                    done.finalMessage().ifPresent(m -> writeMessage(ctx, m));
                    complete(ctx, done.session());
                    return;
                }
            }
        }
        if (state == State.NEW) {
            // Bytes before channelActive cannot happen on a real channel; treat as a protocol error.
            throw new NoiseException("data received before the handshake started");
        }
    }

    private void complete(ChannelHandlerContext ctx, NoiseSession session) {
        state = State.DONE;
        cancelTimeout();
        NoiseTransportHandler transport = new NoiseTransportHandler(session);
        String name = ctx.pipeline().get(NoiseTransportHandler.NAME) == null ? NoiseTransportHandler.NAME : null;
        ctx.pipeline().addAfter(ctx.name(), name, transport);
        ChannelHandlerContext transportCtx = ctx.pipeline().context(transport);
        if (!pendingWrites.isEmpty()) {
            PendingWrite w;
            while ((w = pendingWrites.poll()) != null) transport.write(transportCtx, w.msg(), w.promise());
            transport.flush(transportCtx);
        }
        ctx.fireUserEventTriggered(new Completed(session));
        // Deferred by ByteToMessageDecoder until decode() returns; it then passes whatever is left
        // in the cumulation to the next handler, the transport handler.
        ctx.pipeline().remove(this);
    }

    private void writeMessage(ChannelHandlerContext ctx, byte[] message) {
        ByteBuf frame = ctx.alloc().buffer(2 + message.length);
        frame.writeShort(message.length);
        frame.writeBytes(message);
        ctx.write(frame).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) fail(ctx, f.cause());
        });
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (state == State.FAILED || state == State.DONE) return;
        state = State.FAILED;
        cancelTimeout();
        LOG.debug("Noise handshake failed on {}: {}", ctx.channel(), cause.toString());
        failPendingWrites(cause);
        ctx.fireUserEventTriggered(new Failed(cause));
        ctx.close();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private void failPendingWrites(Throwable cause) {
        PendingWrite w;
        while ((w = pendingWrites.poll()) != null) {
            ReferenceCountUtil.release(w.msg());
            w.promise().tryFailure(cause);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state == State.NEW || state == State.RUNNING) {
            fail(ctx, cause);
        } else if (state == State.DONE) {
            ctx.fireExceptionCaught(cause);
        }
        // FAILED: already reported and closing; swallow.
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        fail(ctx, new NoiseException("connection closed during the Noise handshake"));
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimeout();
        if (state == State.DONE) {
            ctx.channel().flush();
        } else {
            // Removed by someone else mid-handshake: nothing can be sent safely any more.
            failPendingWrites(new NoiseException("Noise handshake handler removed before the handshake completed"));
            if (state != State.FAILED) state = State.FAILED;
        }
    }

    // ---------------------------------------------------------------- outbound

    /**
     * Writes during the handshake must not reach the socket in clear: they are held and handed
     * to the transport handler once it exists (or failed with the handshake).
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        switch (state) {
            case NEW, RUNNING -> pendingWrites.add(new PendingWrite(msg, promise));
            case DONE -> ctx.write(msg, promise); // already encrypted by the transport handler
            case FAILED -> {
                ReferenceCountUtil.release(msg);
                promise.tryFailure(new ClosedChannelException());
            }
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
        ctx.bind(localAddress, promise);
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
        ctx.connect(remoteAddress, localAddress, promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.disconnect(promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.close(promise);
    }

    @Override
    public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.deregister(promise);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        ctx.read();
    }
}
