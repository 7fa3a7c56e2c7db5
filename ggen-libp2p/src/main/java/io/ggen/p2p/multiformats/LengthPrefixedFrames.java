package io.ggen.p2p.multiformats;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Messages preceded by their length as an unsigned varint, the framing of most libp2p protocols.
 * The length is checked against the caller's limit before anything is allocated.
 */
public final class LengthPrefixedFrames {
    private LengthPrefixedFrames() {}

    /**
     * Reads one frame and nothing beyond it.
     *
     * @return the body, or {@code null} when the stream ended cleanly before the first byte
     * @throws MultiformatException when the prefix is malformed or announces more than {@code maxLength}
     * @throws EOFException when the stream ends inside the frame
     */
    public static byte[] read(InputStream in, int maxLength) throws IOException {
        byte[] prefix = new byte[Varint.MAX_BYTES];
        int n = 0;
        long length;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (n == 0) return null;
                throw new EOFException("stream ended inside a length prefix");
            }
            prefix[n++] = (byte) b;
            length = Varint.peek(prefix, 0, n, maxLength);
            if (length >= 0) break;
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) throw new EOFException("stream ended inside a message of " + length + " bytes");
        return body;
    }

    /** The body preceded by its length. */
    public static byte[] frame(byte[] body) {
        byte[] prefix = Varint.encode(body.length);
        byte[] out = Arrays.copyOf(prefix, prefix.length + body.length);
        System.arraycopy(body, 0, out, prefix.length, body.length);
        return out;
    }

    /** Writes one frame and flushes. */
    public static void write(OutputStream out, byte[] body) throws IOException {
        out.write(frame(body));
        out.flush();
    }
}
