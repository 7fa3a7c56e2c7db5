package io.ggen.p2p.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The input layout of the fuzz targets that drive a state machine with several messages: a
 * sequence of {@code [tag byte][length, 2 bytes big-endian][body]} (a length past the end takes
 * what is left). The tag picks the sender or the action; the body is the message. Seed inputs are
 * written in the same layout by {@link #frame}.
 */
public final class FuzzInput {
    private final byte[] data;
    private int pos;

    public FuzzInput(byte[] data) {
        this.data = data;
    }

    public boolean hasMore() {
        return pos < data.length;
    }

    /** The next tag, or -1 at the end. */
    public int tag() {
        return pos < data.length ? data[pos++] & 0xff : -1;
    }

    /** The next body (maybe empty). */
    public byte[] body() {
        if (pos + 2 > data.length) {
            pos = data.length;
            return new byte[0];
        }
        int len = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
        pos += 2;
        int end = Math.min(data.length, pos + len);
        byte[] b = Arrays.copyOfRange(data, pos, end);
        pos = end;
        return b;
    }

    /** A small unsigned number from the next byte (0 at the end). */
    public int u8() {
        return pos < data.length ? data[pos++] & 0xff : 0;
    }

    /** Writes one record of this layout (for seed inputs). */
    public static byte[] frame(int tag, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        out.write(body.length >>> 8);
        out.write(body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }
}
