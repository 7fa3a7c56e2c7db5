package io.ggen.p2p.record;

import io.ggen.p2p.multiformats.MultiformatException;
import io.ggen.p2p.multiformats.Varint;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * A multiaddr in its binary form, checked for structure only. It stands in for
 * {@code io.ggen.p2p.multiformats.Multiaddr}, which is written on another branch, and will be
 * replaced by it when the branches merge; until then this keeps identify and peer records
 * independent of it.
 *
 * <p>{@link #parse} accepts a sequence of (protocol code, value) pairs for the protocols of the
 * multiaddr table that libp2p peers announce, with each value of its protocol's size; that is
 * enough to drop garbage the way js drops addresses its multiaddr parser refuses.
 */
public final class MultiaddrBytes {
    /** Longest multiaddr we hold; real ones are well under 200 bytes. */
    public static final int MAX_LENGTH = 1024;
    /** Value size in bytes per protocol code; -1 means a varint length prefix precedes the value. */
    private static final Map<Integer, Integer> SIZES = Map.ofEntries(
            Map.entry(0x04, 4), Map.entry(0x06, 2), Map.entry(0x21, 2), Map.entry(0x29, 16),
            Map.entry(0x2a, -1), Map.entry(0x2b, 1), Map.entry(0x35, -1), Map.entry(0x36, -1),
            Map.entry(0x37, -1), Map.entry(0x38, -1), Map.entry(0x84, 2), Map.entry(0x0111, 2),
            Map.entry(0x0113, 0), Map.entry(0x0114, 0), Map.entry(0x0115, 0), Map.entry(0x0118, 0),
            Map.entry(0x0119, 0), Map.entry(0x0122, 0), Map.entry(0x012d, 0), Map.entry(0x012e, 0),
            Map.entry(0x0190, -1), Map.entry(0x01a5, -1), Map.entry(0x01bb, 0), Map.entry(0x01bc, 12),
            Map.entry(0x01bd, 37), Map.entry(0x01be, -1), Map.entry(0x01bf, -1), Map.entry(0x01c0, 0),
            Map.entry(0x01c1, -1), Map.entry(0x01c6, 0), Map.entry(0x01cc, 0), Map.entry(0x01cd, 0),
            Map.entry(0x01d1, 0), Map.entry(0x01d2, -1), Map.entry(0x01dd, 0), Map.entry(0x01de, 0),
            Map.entry(0x01df, 0), Map.entry(0x01e0, 0), Map.entry(0x01e1, -1), Map.entry(0x0309, 8));

    private final byte[] bytes;

    private MultiaddrBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Checks the structure of {@code bytes}; empty when it is not a multiaddr we understand. */
    public static Optional<MultiaddrBytes> parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0 || bytes.length > MAX_LENGTH) return Optional.empty();
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            while (buf.hasRemaining()) {
                long code = Varint.read(buf);
                Integer size = code > Integer.MAX_VALUE ? null : SIZES.get((int) code);
                if (size == null) return Optional.empty();
                long length = size >= 0 ? size : Varint.read(buf);
                if (length > buf.remaining()) return Optional.empty();
                buf.position(buf.position() + (int) length);
            }
        } catch (MultiformatException e) {
            return Optional.empty();
        }
        return Optional.of(new MultiaddrBytes(bytes.clone()));
    }

    /** Like {@link #parse} but throws {@link IllegalArgumentException} when malformed. */
    public static MultiaddrBytes of(byte[] bytes) {
        return parse(bytes).orElseThrow(() -> new IllegalArgumentException("not a well-formed multiaddr"));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiaddrBytes m && Arrays.equals(bytes, m.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "multiaddr:" + HexFormat.of().formatHex(bytes);
    }
}
