package io.ggen.p2p.mux.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

import java.util.function.Consumer;

/**
 * Pure yamux framing: header encoding, and a streaming decoder that never buffers payload.
 *
 * <p>The decoder keeps at most the 12 header bytes between calls. A DATA payload that arrives
 * in several pieces is handed on piece by piece, each as a DATA frame of its own (retained
 * slices of the input, no copy): splitting one data frame into several consecutive ones is
 * equivalent on the wire, provided SYN/ACK go with the first piece and FIN/RST with the last,
 * which is what the decoder does. So no payload is ever allocated on the strength of a length
 * field, and the receive window is checked as the bytes arrive.
 */
public final class YamuxCodec {
    private YamuxCodec() {
    }

    /** Writes the 12 header bytes at {@code index} of {@code out} (which must have room). */
    public static void setHeader(ByteBuf out, int index, YamuxFrame.Type type, int flags, int streamId, long length) {
        // version(8) type(8) flags(16) as one int, then stream id and length.
        out.setInt(index, (YamuxFrame.VERSION << 24) | (type.code() << 16) | (flags & 0xFFFF));
        out.setInt(index + 4, streamId);
        out.setInt(index + 8, (int) length);
    }

    /** Appends the header of {@code f} to {@code out}. */
    public static void writeHeader(ByteBuf out, YamuxFrame f) {
        out.ensureWritable(YamuxFrame.HEADER_LENGTH);
        setHeader(out, out.writerIndex(), f.type(), f.flags(), f.streamId(), f.length());
        out.writerIndex(out.writerIndex() + YamuxFrame.HEADER_LENGTH);
    }

    /**
     * Encodes a frame as one buffer, consuming the frame's reference to its payload.
     *
     * @param payloadHasHeadroom true when the payload buffer is exclusively ours and has at least
     *                           12 writable bytes before its reader index (our writers allocate
     *                           it so): the header is then written in place, with no copy and
     *                           no second buffer (a second buffer would cost a separate
     *                           encrypted message in the security layer below).
     */
    public static ByteBuf encode(YamuxFrame f, ByteBufAllocator alloc, boolean payloadHasHeadroom) {
        ByteBuf data = f.data();
        if (f.type() != YamuxFrame.Type.DATA || !data.isReadable()) {
            ByteBuf out = alloc.buffer(YamuxFrame.HEADER_LENGTH);
            writeHeader(out, f);
            data.release();
            return out;
        }
        if (payloadHasHeadroom && data.readerIndex() >= YamuxFrame.HEADER_LENGTH) {
            int at = data.readerIndex() - YamuxFrame.HEADER_LENGTH;
            setHeader(data, at, f.type(), f.flags(), f.streamId(), f.length());
            data.readerIndex(at);
            return data;
        }
        if (data.readableBytes() <= 1024) {
            ByteBuf out = alloc.buffer(YamuxFrame.HEADER_LENGTH + data.readableBytes());
            writeHeader(out, f);
            out.writeBytes(data);
            data.release();
            return out;
        }
        ByteBuf header = alloc.buffer(YamuxFrame.HEADER_LENGTH);
        writeHeader(header, f);
        CompositeByteBuf out = alloc.compositeBuffer(2);
        out.addComponents(true, header, data);
        return out;
    }

    /**
     * Streaming decoder (one per connection, not thread-safe). Input may split or coalesce
     * frames arbitrarily.
     */
    public static final class Decoder {
        private final long maxDataLength;
        private final byte[] headerBytes = new byte[YamuxFrame.HEADER_LENGTH];
        private int headerFill;
        // the DATA frame whose payload is being received
        private boolean inData;
        private int dataFlags;
        private int dataStream;
        private long dataRemaining;
        private boolean failed;

        /** @param maxDataLength largest DATA payload accepted; more is a protocol error. */
        public Decoder(long maxDataLength) {
            if (maxDataLength < 0 || maxDataLength > YamuxFrame.MAX_UINT32) {
                throw new IllegalArgumentException("maxDataLength " + maxDataLength);
            }
            this.maxDataLength = maxDataLength;
        }

        /**
         * Decodes what {@code in} holds, handing each frame (or piece of a DATA frame) to
         * {@code out}, which takes ownership of it. Does not release {@code in}; consumes all
         * of it unless an exception is thrown. After an exception the decoder stays failed.
         */
        public void decode(ByteBuf in, Consumer<YamuxFrame> out) throws YamuxProtocolException {
            if (failed) throw new YamuxProtocolException("decoder failed earlier");
            while (in.isReadable()) {
                if (inData) {
                    int n = (int) Math.min(dataRemaining, in.readableBytes());
                    dataRemaining -= n;
                    boolean last = dataRemaining == 0;
                    int flags = last ? dataFlags : dataFlags & ~(YamuxFrame.FIN | YamuxFrame.RST);
                    // later pieces must not repeat SYN/ACK
                    dataFlags &= ~(YamuxFrame.SYN | YamuxFrame.ACK);
                    if (last) inData = false;
                    out.accept(YamuxFrame.data(flags, dataStream, in.readRetainedSlice(n)));
                    continue;
                }
                int version, typeCode, flags, streamId;
                long length;
                if (headerFill == 0 && in.readableBytes() >= YamuxFrame.HEADER_LENGTH) {
                    int i = in.readerIndex();
                    int first = in.getInt(i);
                    version = first >>> 24;
                    typeCode = (first >>> 16) & 0xFF;
                    flags = first & 0xFFFF;
                    streamId = in.getInt(i + 4);
                    length = in.getUnsignedInt(i + 8);
                    in.skipBytes(YamuxFrame.HEADER_LENGTH);
                } else {
                    int n = Math.min(YamuxFrame.HEADER_LENGTH - headerFill, in.readableBytes());
                    in.readBytes(headerBytes, headerFill, n);
                    headerFill += n;
                    if (headerFill < YamuxFrame.HEADER_LENGTH) return;
                    headerFill = 0;
                    byte[] h = headerBytes;
                    version = h[0] & 0xFF;
                    typeCode = h[1] & 0xFF;
                    flags = ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
                    streamId = ((h[4] & 0xFF) << 24) | ((h[5] & 0xFF) << 16) | ((h[6] & 0xFF) << 8) | (h[7] & 0xFF);
                    length = ((long) (h[8] & 0xFF) << 24) | ((h[9] & 0xFF) << 16) | ((h[10] & 0xFF) << 8) | (h[11] & 0xFF);
                }
                YamuxFrame.Type type = YamuxFrame.Type.of(typeCode);
                if (version != YamuxFrame.VERSION) throw fail("unsupported version " + version);
                if (type == null) throw fail("unknown frame type " + typeCode);
                boolean session = type == YamuxFrame.Type.PING || type == YamuxFrame.Type.GO_AWAY;
                if (session != (streamId == 0)) throw fail(type + " frame on stream " + Integer.toUnsignedLong(streamId));
                if (type == YamuxFrame.Type.DATA) {
                    if (length > maxDataLength) throw fail("data frame of " + length + " bytes exceeds limit " + maxDataLength);
                    if (length > 0) {
                        inData = true;
                        dataFlags = flags;
                        dataStream = streamId;
                        dataRemaining = length;
                        continue;
                    }
                    out.accept(YamuxFrame.data(flags, streamId, Unpooled.EMPTY_BUFFER));
                } else {
                    out.accept(new YamuxFrame(type, flags, streamId, length, null));
                }
            }
            // A data header whose payload has not started yet: its frame is emitted when bytes come.
        }

        private YamuxProtocolException fail(String message) {
            failed = true;
            return new YamuxProtocolException(message);
        }
    }
}
