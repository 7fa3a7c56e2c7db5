package io.ggen.p2p.security.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CoalescingBufferQueue;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.UnsupportedMessageTypeException;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Noise transport phase on a Netty pipeline: installed by {@link NoiseHandshakeHandler} in
 * its own place once the handshake succeeds.
 *
 * <p>Inbound, it reads 2-byte big-endian length-prefixed Noise transport messages and passes on
 * their plaintext as heap {@link ByteBuf}s (one per message; empty messages are authenticated and
 * dropped). Outbound, it queues written {@link ByteBuf}s and, on flush, coalesces them into
 * frames of at most {@value #MAX_PLAINTEXT} plaintext bytes, each encrypted into one buffer
 * holding the length prefix and the ciphertext. Coalescing per flush means a muxer that writes a
 * 12-byte header and its data separately still costs one frame and one AEAD tag.
 *
 * <p>Performance: the JDK's ChaCha20-Poly1305 intrinsics need heap arrays, so ciphertext is
 * decrypted straight from the cumulation's array into a new heap buffer (via one copy into a
 * reusable scratch array when the cumulation is a direct buffer, as socket reads usually are), and
 * plaintext straight from the written buffers into the outgoing frame.
 *
 * <p>A decryption failure, a malformed frame or nonce exhaustion closes the connection: the
 * Noise session cannot recover from either, and no exception is propagated.
 */
public final class NoiseTransportHandler extends ByteToMessageDecoder implements ChannelOutboundHandler {
    /** Suggested pipeline name. */
    public static final String NAME = "noise-transport";
    /** Largest Noise message, hence largest frame body (libp2p noise spec, Wire Format). */
    public static final int MAX_FRAME = 65535;
    /** Largest plaintext per transport message: the frame minus the Poly1305 tag. */
    public static final int MAX_PLAINTEXT = MAX_FRAME - CipherState.TAG_LENGTH;
    private static final Logger LOG = LoggerFactory.getLogger(NoiseTransportHandler.class);

    private final CipherState sendCipher;
    private final CipherState recvCipher;
    private CoalescingBufferQueue pending;
    private byte[] scratch;
    private boolean broken;

    public NoiseTransportHandler(CipherState sendCipher, CipherState recvCipher) {
        this.sendCipher = sendCipher;
        this.recvCipher = recvCipher;
    }

    public NoiseTransportHandler(NoiseSession session) {
        this(session.sendCipher(), session.recvCipher());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Queued bytes count against the channel's writability, so back-pressure still works
        // for writes that are waiting for a flush.
        pending = new CoalescingBufferQueue(ctx.channel(), 4, true);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releasePending(new ClosedChannelException());
    }

    // ---------------------------------------------------------------- inbound

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 2) {
            int start = in.readerIndex();
            int len = in.getUnsignedShort(start);
            if (in.readableBytes() < 2 + len) return; // wait for the rest of the frame
            if (len < CipherState.TAG_LENGTH) {
                fail(ctx, new NoiseException("transport message of " + len + " bytes is shorter than its tag"));
                in.skipBytes(in.readableBytes());
                return;
            }
            int plainLen = len - CipherState.TAG_LENGTH;
            ByteBuf plain = ctx.alloc().heapBuffer(plainLen, plainLen);
            try {
                byte[] src;
                int srcOff;
                if (in.hasArray()) {
                    src = in.array();
                    srcOff = in.arrayOffset() + start + 2;
                } else {
                    src = scratch();
                    srcOff = 0;
                    in.getBytes(start + 2, src, 0, len);
                }
                if (plain.hasArray()) {
                    recvCipher.decrypt(src, srcOff, len, plain.array(), plain.arrayOffset() + plain.writerIndex());
                    plain.writerIndex(plainLen);
                } else {
                    byte[] tmp = new byte[plainLen];
                    recvCipher.decrypt(src, srcOff, len, tmp, 0);
                    plain.writeBytes(tmp);
                }
            } catch (NoiseException | RuntimeException e) {
                plain.release();
                fail(ctx, e);
                in.skipBytes(in.readableBytes());
                return;
            }
            in.skipBytes(2 + len);
            if (plainLen == 0) {
                plain.release();
            } else {
                out.add(plain);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releasePending(new ClosedChannelException());
        super.channelInactive(ctx);
    }

    private byte[] plaintextScratch;

    /** Reused gather buffer for one frame of plaintext (event loop only). */
    private byte[] plaintextScratch() {
        if (plaintextScratch == null) plaintextScratch = new byte[MAX_PLAINTEXT];
        return plaintextScratch;
    }

    private byte[] scratch() {
        if (scratch == null) scratch = new byte[MAX_FRAME];
        return scratch;
    }

    // ---------------------------------------------------------------- outbound

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new UnsupportedMessageTypeException(msg, ByteBuf.class));
            return;
        }
        if (broken || pending == null) {
            buf.release();
            promise.setFailure(new ClosedChannelException());
            return;
        }
        pending.add(buf, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        while (!broken && !pending.isEmpty()) {
            ChannelPromise aggregate = ctx.newPromise();
            ByteBuf chunk = pending.remove(ctx.alloc(), MAX_PLAINTEXT, aggregate);
            ByteBuf frame = null;
            try {
                int n = chunk.readableBytes();
                if (n == 0) {
                    // Only empty writes were queued: nothing to send, but their promises must complete.
                    ctx.write(Unpooled.EMPTY_BUFFER, aggregate);
                    continue;
                }
                frame = encryptFrame(ctx, chunk, n);
                ctx.write(frame, aggregate);
                frame = null;
            } catch (NoiseException | RuntimeException e) {
                if (frame != null) frame.release();
                aggregate.setFailure(e);
                fail(ctx, e);
            } finally {
                chunk.release();
            }
        }
        ctx.flush();
    }

    private ByteBuf encryptFrame(ChannelHandlerContext ctx, ByteBuf chunk, int n) throws NoiseException {
        int frameLen = 2 + n + CipherState.TAG_LENGTH;
        ByteBuf frame = ctx.alloc().heapBuffer(frameLen, frameLen);
        try {
            frame.writeShort(n + CipherState.TAG_LENGTH);
            byte[] dst;
            int dstOff;
            boolean direct = !frame.hasArray();
            if (direct) {
                dst = new byte[n + CipherState.TAG_LENGTH];
                dstOff = 0;
            } else {
                dst = frame.array();
                dstOff = frame.arrayOffset() + frame.writerIndex();
            }
            int written;
            if (chunk.hasArray()) {
                written = sendCipher.encrypt(chunk.array(), chunk.arrayOffset() + chunk.readerIndex(), n, dst, dstOff);
            } else {
                // Coalesced writes arrive as many small parts (yamux header + data each). Handing
                // them to the cipher one by one keeps it on its slow partial-block path; one copy
                // into a contiguous array (cheap next to the cipher) keeps it on the fast one.
                byte[] plain = plaintextScratch();
                chunk.getBytes(chunk.readerIndex(), plain, 0, n);
                written = sendCipher.encrypt(plain, 0, n, dst, dstOff);
            }
            if (written != n + CipherState.TAG_LENGTH) throw new IllegalStateException("ciphertext length mismatch");
            if (direct) frame.writeBytes(dst);
            else frame.writerIndex(frameLen);
            return frame;
        } catch (NoiseException | RuntimeException e) {
            frame.release();
            throw e;
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        // Writes still queued were never flushed; like an unflushed write on a plain channel,
        // they are failed rather than sent.
        releasePending(new ClosedChannelException());
        ctx.close(promise);
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
    public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.deregister(promise);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        ctx.read();
    }

    // ---------------------------------------------------------------- failure

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (broken) return;
        broken = true;
        LOG.debug("Noise transport failure on {}, closing: {}", ctx.channel(), cause.toString());
        releasePending(cause);
        sendCipher.destroy();
        recvCipher.destroy();
        ctx.close();
    }

    private void releasePending(Throwable cause) {
        if (pending != null && !pending.isEmpty()) pending.releaseAndFailAll(cause);
    }
}
