package io.ggen.marketplace.release;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the canonical encoding of our records: protobuf wire format restricted so that one
 * value has exactly one encoding. Fields strictly in ascending number order (a repeated field's
 * elements consecutive, in the record's order), wire types varint (0) and length-delimited (2)
 * only, minimal varints, and a field holding its default (0, empty string or bytes, false) is
 * left out. {@link CanonicalReader} refuses anything else.
 */
public final class CanonicalWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private int last;

    private void tag(int field, int wire) {
        if (field < last) throw new IllegalStateException("fields out of order: " + field + " after " + last);
        last = field;
        varint(((long) field << 3) | wire);
    }

    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    public CanonicalWriter uint(int field, long v) {
        if (v < 0) throw new IllegalArgumentException("negative value for field " + field);
        if (v != 0) {
            tag(field, 0);
            varint(v);
        }
        return this;
    }

    public CanonicalWriter bool(int field, boolean v) {
        return uint(field, v ? 1 : 0);
    }

    public CanonicalWriter bytes(int field, byte[] v) {
        if (v != null && v.length > 0) {
            tag(field, 2);
            varint(v.length);
            out.writeBytes(v);
        }
        return this;
    }

    public CanonicalWriter string(int field, String v) {
        return v == null ? this : bytes(field, v.getBytes(StandardCharsets.UTF_8));
    }

    public CanonicalWriter strings(int field, List<String> v) {
        for (String s : v) {
            // an empty element must still be written, or the list would change
            tag(field, 2);
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length);
            out.writeBytes(b);
        }
        return this;
    }

    public CanonicalWriter messages(int field, List<byte[]> v) {
        for (byte[] m : v) {
            tag(field, 2);
            varint(m.length);
            out.writeBytes(m);
        }
        return this;
    }

    public byte[] toBytes() {
        return out.toByteArray();
    }
}
