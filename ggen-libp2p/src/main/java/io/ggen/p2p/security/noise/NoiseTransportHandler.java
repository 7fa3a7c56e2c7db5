package io.ggen.p2p.security.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CoalescingBufferQueue;
import io.netty.handler.codec.UnsupportedMessageTypeException;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
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
 * <p>Performance: the bytes are copied as few times as the cipher allows. With OpenSSL's
 * ChaCha20-Poly1305, which reads and writes any memory, an inbound message is decrypted piece by
 * piece as it arrives, straight from the socket's buffers into a heap buffer of exactly its
 * plaintext's length (the decryption is the only copy, and the buffer goes up the pipeline once
 * its tag checks), and an outbound frame is encrypted from the coalesced parts, wherever they
 * are, straight into the direct buffer the socket writes. The JDK's cipher works on heap arrays
 * only (its ByteBuffer paths copy into new arrays), so with it each inbound message is first
 * copied into a heap buffer of exactly its length and decrypted there in place, and each frame
 * is a heap buffer, encrypted from the parts' own arrays, that Netty copies for the socket.
 *
 * <p>A decryption failure, a malformed frame or nonce exhaustion closes the connection: the
 * Noise session cannot recover from either, and no exception is propagated.
 */
public final class NoiseTransportHandler extends ChannelDuplexHandler {
    /** Suggested pipeline name. */
    public static final String NAME = "noise-transport";
    /** Largest Noise message, hence largest frame body (libp2p noise spec, Wire Format). */
    public static final int MAX_FRAME = 65535;
    /** Largest plaintext per transport message: the frame minus the Poly1305 tag. */
    public static final int MAX_PLAINTEXT = MAX_FRAME - CipherState.TAG_LENGTH;
    private static final Logger LOG = LoggerFactory.getLogger(NoiseTransportHandler.class);

    private final CipherState sendCipher;
    private final CipherState recvCipher;
    /** Inbound messages are decrypted straight from the socket's buffers, piece by piece. */
    private final boolean decryptPieces;
    /** Outbound frames are encrypted straight into direct buffers, which the socket writes as they are. */
    private final boolean directFrames;
    private CoalescingBufferQueue pending;
    private boolean broken;

    // inbound framing (event loop only)
    /** First byte of a length prefix split across reads, or -1. */
    private int lengthHigh = -1;
    /**
     * The message being received: its ciphertext so far, {@code messageLength} bytes when whole;
     * or, decrypting in pieces, its plaintext so far (not usable before the tag is checked).
     */
    private ByteBuf message;
    /** Length of the message being received: ciphertext and tag. */
    private int messageLength;
    /** Decrypting in pieces: bytes of the message (ciphertext, then tag) consumed so far, and its tag. */
    private int consumed;
    private final byte[] tag = new byte[CipherState.TAG_LENGTH];

    public NoiseTransportHandler(CipherState sendCipher, CipherState recvCipher) {
        this.sendCipher = sendCipher;
        this.recvCipher = recvCipher;
        this.decryptPieces = recvCipher.worksOnNativeMemory();
        this.directFrames = sendCipher.worksOnNativeMemory();
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
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePending(new ClosedChannelException());
        releaseMessage();
    }

    // ---------------------------------------------------------------- inbound

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            while (!broken && in.isReadable()) {
                if (message == null && !startMessage(ctx, in)) return;
                if (message == null) continue; // the failure was handled; broken is set
                if (decryptPieces) {
                    readPiece(ctx, in);
                } else {
                    int n = Math.min(messageLength - message.writerIndex(), in.readableBytes());
                    message.writeBytes(in, n);
                    if (message.writerIndex() == messageLength) openMessage(ctx);
                }
            }
        } finally {
            in.release();
        }
    }

    /**
     * Reads a length prefix from {@code in} (possibly split across reads) and allocates the
     * message's buffer; false when the prefix is not complete yet.
     */
    private boolean startMessage(ChannelHandlerContext ctx, ByteBuf in) {
        int len;
        if (lengthHigh < 0 && in.readableBytes() >= 2) {
            len = in.readUnsignedShort();
        } else if (lengthHigh < 0) {
            lengthHigh = in.readUnsignedByte();
            return false;
        } else {
            len = (lengthHigh << 8) | in.readUnsignedByte();
            lengthHigh = -1;
        }
        if (len < CipherState.TAG_LENGTH) {
            fail(ctx, new NoiseException("transport message of " + len + " bytes is shorter than its tag"));
            return true;
        }
        messageLength = len;
        if (decryptPieces) {
            // The plaintext only: at most 65519 bytes, known to the byte.
            int plainLen = len - CipherState.TAG_LENGTH;
            ByteBuf m = ctx.alloc().heapBuffer(plainLen, plainLen);
            if (!m.hasArray()) {
                m.release();
                m = Unpooled.buffer(plainLen, plainLen);
            }
            message = m;
            consumed = 0;
            try {
                recvCipher.beginDecrypt();
            } catch (NoiseException | RuntimeException e) {
                fail(ctx, e); // releases the message
            }
            return true;
        }
        // At most 65535 bytes, known to the byte: what the length field allows, never more.
        message = ctx.alloc().heapBuffer(len, len);
        return true;
    }

    /**
     * Decrypts what {@code in} holds of the current message's ciphertext straight into its
     * plaintext buffer (the decryption is the only copy), collects its tag, and once the tag is
     * whole checks it and passes the plaintext on.
     */
    private void readPiece(ChannelHandlerContext ctx, ByteBuf in) {
        ByteBuf m = message;
        int plainLen = messageLength - CipherState.TAG_LENGTH;
        try {
            if (consumed < plainLen) {
                int n = Math.min(plainLen - consumed, in.readableBytes());
                int at = m.arrayOffset() + consumed;
                for (ByteBuffer piece : in.nioBuffers(in.readerIndex(), n)) {
                    int k = piece.remaining();
                    recvCipher.decryptPiece(piece, m.array(), at);
                    at += k;
                }
                in.skipBytes(n);
                consumed += n;
            }
            if (consumed >= plainLen && in.isReadable()) {
                int n = Math.min(messageLength - consumed, in.readableBytes());
                in.readBytes(tag, consumed - plainLen, n);
                consumed += n;
            }
            if (consumed < messageLength) return;
            message = null;
            recvCipher.finishDecrypt(tag, m.array(), m.arrayOffset(), plainLen);
        } catch (NoiseException | RuntimeException e) {
            if (message != m) m.release(); // already taken from the field for the tag check
            fail(ctx, e); // releases the message if it is still in the field
            return;
        }
        passOn(ctx, m, plainLen);
    }

    /** Decrypts the whole message in place and passes its plaintext on. */
    private void openMessage(ChannelHandlerContext ctx) {
        ByteBuf m = message;
        message = null;
        int plainLen = messageLength - CipherState.TAG_LENGTH;
        try {
            if (m.hasArray()) {
                int off = m.arrayOffset();
                recvCipher.decrypt(m.array(), off, messageLength, m.array(), off);
            } else {
                byte[] tmp = new byte[messageLength];
                m.getBytes(0, tmp);
                recvCipher.decrypt(tmp, 0, messageLength, tmp, 0);
                m.setBytes(0, tmp, 0, plainLen);
            }
        } catch (NoiseException | RuntimeException e) {
            m.release();
            fail(ctx, e);
            return;
        }
        passOn(ctx, m, plainLen);
    }

    /** Passes an authenticated plaintext of {@code plainLen} bytes up; an empty one is dropped. */
    private static void passOn(ChannelHandlerContext ctx, ByteBuf m, int plainLen) {
        m.writerIndex(plainLen);
        if (plainLen == 0) {
            m.release();
        } else {
            ctx.fireChannelRead(m);
        }
    }

    private void releaseMessage() {
        if (message != null) {
            message.release();
            message = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releasePending(new ClosedChannelException());
        releaseMessage(); // a message cut short by the end of the connection is dropped
        // Frees OpenSSL's contexts now rather than when the connection is collected; a write
        // after this fails, as any write to a closed channel does.
        broken = true;
        sendCipher.destroy();
        recvCipher.destroy();
        ctx.fireChannelInactive();
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
        if (directFrames) return encryptDirectFrame(ctx, chunk, n, frameLen);
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
                // Coalesced writes: a few large parts (a 64 KiB write is a DATA frame of 65,507
                // bytes and one of 29, so frames straddle messages) go to the cipher from their
                // own arrays; direct parts (small control frames) from their native memory.
                written = sendCipher.encrypt(chunk.nioBuffers(), dst, dstOff, n + CipherState.TAG_LENGTH);
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

    /**
     * Encrypts the chunk's parts, wherever they are, straight into a direct buffer: the socket
     * writes it as it is, where a heap frame would first be copied into a direct one.
     */
    private ByteBuf encryptDirectFrame(ChannelHandlerContext ctx, ByteBuf chunk, int n, int frameLen) throws NoiseException {
        ByteBuf frame = ctx.alloc().directBuffer(frameLen, frameLen);
        try {
            frame.writeShort(n + CipherState.TAG_LENGTH);
            int written = sendCipher.encrypt(chunk.nioBuffers(), frame.nioBuffer(2, n + CipherState.TAG_LENGTH));
            if (written != n + CipherState.TAG_LENGTH) throw new IllegalStateException("ciphertext length mismatch");
            frame.writerIndex(frameLen);
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

    // ---------------------------------------------------------------- failure

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (broken) return;
        broken = true;
        LOG.debug("Noise transport failure on {}, closing: {}", ctx.channel(), cause.toString());
        releasePending(cause);
        releaseMessage();
        sendCipher.destroy();
        recvCipher.destroy();
        ctx.close();
    }

    private void releasePending(Throwable cause) {
        if (pending != null && !pending.isEmpty()) pending.releaseAndFailAll(cause);
    }
}
