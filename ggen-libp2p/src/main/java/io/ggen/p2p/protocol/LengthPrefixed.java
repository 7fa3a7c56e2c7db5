package io.ggen.p2p.protocol;

import io.ggen.p2p.multiformats.Varint;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Unsigned-varint length-prefixed frames on a blocking stream, as kad-dht, pubsub and our
 * marketplace protocols use them. The length is checked against the caller's limit before
 * anything is allocated, and the varint itself is at most 9 bytes.
 */
public final class LengthPrefixed {
    private LengthPrefixed() {}

    /** A frame longer than the limit, or a malformed length. */
    public static final class FrameException extends IOException {
        private static final long serialVersionUID = 1L;

        public FrameException(String message) {
            super(message);
        }
    }

    /** The next frame, or empty at a clean end of stream (EOF before the first length byte). */
    public static Optional<byte[]> read(InputStream in, int maxLength) throws IOException {
        long len = 0;
        int shift = 0;
        for (int i = 0; ; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0) return Optional.empty();
                throw new EOFException("stream ended inside a frame length");
            }
            if (i >= Varint.MAX_BYTES) throw new FrameException("frame length varint longer than " + Varint.MAX_BYTES + " bytes");
            len |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (i > 0 && b == 0) throw new FrameException("frame length varint is not minimal");
                break;
            }
            shift += 7;
        }
        if (len > maxLength) throw new FrameException("frame of " + len + " bytes exceeds the limit of " + maxLength);
        byte[] data = in.readNBytes((int) len);
        if (data.length < len) throw new EOFException("stream ended inside a frame (" + data.length + " of " + len + " bytes)");
        return Optional.of(data);
    }

    /**
     * The same frames cut from chunks as they arrive (for {@link io.ggen.p2p.core.InlineReader}):
     * the same limits as {@link #read}, checked before a frame's buffer is allocated.
     */
    public static final class Decoder {
        /** Takes one whole frame. */
        public interface FrameSink {
            void frame(byte[] frame) throws IOException;
        }

        private final int maxLength;
        private long length;
        private int lengthBytes;
        private byte[] frame;   // null while reading a length
        private int filled;

        public Decoder(int maxLength) {
            this.maxLength = maxLength;
        }

        /** Consumes all of {@code chunk}, handing each completed frame to {@code sink}. */
        public void feed(java.nio.ByteBuffer chunk, FrameSink sink) throws IOException {
            while (chunk.hasRemaining()) {
                if (frame == null) {
                    int b = chunk.get() & 0xff;
                    if (lengthBytes >= Varint.MAX_BYTES) throw new FrameException("frame length varint longer than " + Varint.MAX_BYTES + " bytes");
                    length |= (long) (b & 0x7f) << (7 * lengthBytes);
                    lengthBytes++;
                    if ((b & 0x80) != 0) continue;
                    if (lengthBytes > 1 && b == 0) throw new FrameException("frame length varint is not minimal");
                    if (length > maxLength) throw new FrameException("frame of " + length + " bytes exceeds the limit of " + maxLength);
                    frame = new byte[(int) length];
                    filled = 0;
                } else {
                    int k = Math.min(chunk.remaining(), frame.length - filled);
                    chunk.get(frame, filled, k);
                    filled += k;
                }
                if (frame != null && filled == frame.length) {
                    byte[] done = frame;
                    frame = null;
                    length = 0;
                    lengthBytes = 0;
                    sink.frame(done);
                }
            }
        }

        /** True between frames: an end of stream here is clean. */
        public boolean atBoundary() {
            return frame == null && lengthBytes == 0;
        }
    }

    public static void write(OutputStream out, byte[] frame) throws IOException {
        out.write(frame(frame));
        out.flush();
    }

    /** The frame with its length in front, as {@link #write} sends it. */
    public static byte[] frame(byte[] frame) {
        byte[] len = Varint.encode(frame.length);
        byte[] all = new byte[len.length + frame.length];
        System.arraycopy(len, 0, all, 0, len.length);
        System.arraycopy(frame, 0, all, len.length, frame.length);
        return all;
    }
}
