package io.ggen.p2p.multiformats;

import java.nio.ByteBuffer;

/**
 * Unsigned varint of the multiformats spec: 7 bits per byte, least significant group first,
 * high bit set on every byte but the last. The spec caps a varint at 9 bytes (63 bits) and
 * requires the minimal encoding; both are enforced on decode.
 */
public final class Varint {
    /** Longest encoding the multiformats spec allows (values up to 2^63 - 1). */
    public static final int MAX_BYTES = 9;

    private Varint() {}

    public static int encodedLength(long value) {
        if (value < 0) throw new IllegalArgumentException("varint must be non-negative: " + value);
        int n = 1;
        while ((value >>>= 7) != 0) n++;
        return n;
    }

    public static byte[] encode(long value) {
        byte[] out = new byte[encodedLength(value)];
        write(value, out, 0);
        return out;
    }

    /** Writes {@code value} at {@code off}; returns the number of bytes written. */
    public static int write(long value, byte[] dst, int off) {
        int n = encodedLength(value);
        for (int i = 0; i < n - 1; i++) {
            dst[off + i] = (byte) ((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        dst[off + n - 1] = (byte) value;
        return n;
    }

    public static void write(long value, ByteBuffer dst) {
        while ((value & ~0x7fL) != 0) {
            dst.put((byte) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        dst.put((byte) value);
    }

    /**
     * Reads a varint from {@code src} at its position and advances it.
     *
     * @throws MultiformatException if the input ends inside the varint, is longer than 9 bytes,
     *     or is not minimally encoded
     */
    public static long read(ByteBuffer src) {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            if (!src.hasRemaining()) throw new MultiformatException("varint: input ends inside a varint");
            int b = src.get() & 0xff;
            value |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) throw new MultiformatException("varint: not minimally encoded");
                return value;
            }
        }
        throw new MultiformatException("varint: longer than " + MAX_BYTES + " bytes");
    }

    /** Decodes a varint that must fill {@code bytes} exactly. */
    public static long decode(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long v = read(buf);
        if (buf.hasRemaining()) throw new MultiformatException("varint: trailing bytes after varint");
        return v;
    }

    /**
     * Incremental decode for framing: returns the value and its length packed, or a negative
     * result when more bytes are needed. Never throws on short input; throws on malformed input.
     *
     * @return {@code -1} if {@code src[off..off+len)} holds only a prefix of a varint; otherwise
     *     use {@link #peekValue} and {@link #peekLength} on the returned token
     */
    public static long peek(byte[] src, int off, int len, long maxValue) {
        long value = 0;
        int limit = Math.min(len, MAX_BYTES);
        for (int i = 0; i < limit; i++) {
            int b = src[off + i] & 0xff;
            value |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) throw new MultiformatException("varint: not minimally encoded");
                if (value > maxValue) throw new MultiformatException("varint: value " + value + " exceeds limit " + maxValue);
                return value;
            }
            if (value > maxValue) throw new MultiformatException("varint: value exceeds limit " + maxValue);
        }
        if (len >= MAX_BYTES) throw new MultiformatException("varint: longer than " + MAX_BYTES + " bytes");
        return -1;
    }
}
