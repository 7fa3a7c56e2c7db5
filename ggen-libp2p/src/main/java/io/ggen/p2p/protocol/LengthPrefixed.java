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

    public static void write(OutputStream out, byte[] frame) throws IOException {
        byte[] len = Varint.encode(frame.length);
        byte[] all = new byte[len.length + frame.length];
        System.arraycopy(len, 0, all, 0, len.length);
        System.arraycopy(frame, 0, all, len.length, frame.length);
        out.write(all);
        out.flush();
    }
}
