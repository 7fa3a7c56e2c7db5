package io.ggen.marketplace.release;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the canonical encoding and refuses every other encoding of the same value: unknown or
 * out-of-order fields, a non-repeated field twice, other wire types, non-minimal varints,
 * explicit defaults, invalid UTF-8, lengths beyond the input or beyond the limits.
 */
public final class CanonicalReader {
    private final byte[] buf;
    private int pos;
    private int lastField;
    private final String what;
    private static final long MAX_TAG = 0xFFFF_FFFFL;

    public CanonicalReader(byte[] buf, String what) {
        this.buf = buf;
        this.what = what;
    }

    private RecordException bad(String msg) {
        return new RecordException(what + ": " + msg);
    }

    public boolean atEnd() {
        return pos >= buf.length;
    }

    /** The next field number, checked for order; 0 at the end. */
    public int peekField() {
        if (atEnd()) return 0;
        int save = pos;
        long tag = varint();
        pos = save;
        // Protobuf tags are 32-bit: a longer one matches no field (truncating it could alias one).
        if (tag < 0 || tag > MAX_TAG) return -1;
        return (int) (tag >>> 3);
    }

    private long varint() {
        long result = 0;
        int shift = 0;
        int start = pos;
        while (true) {
            if (pos >= buf.length) throw bad("truncated varint");
            int b = buf[pos++] & 0xff;
            if (shift == 63 && b > 1) throw bad("varint overflows 64 bits");
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && pos - start > 1) throw bad("non-minimal varint");
                return result;
            }
            shift += 7;
            if (shift > 63) throw bad("varint too long");
        }
    }

    private void tag(int field, int wire, boolean repeated) {
        long t = varint();
        if (t < 0 || t > MAX_TAG) throw bad("field tag out of range");
        int f = (int) (t >>> 3);
        int w = (int) (t & 7);
        if (f != field) throw bad("expected field " + field + ", found " + f);
        if (w != wire) throw bad("field " + field + " has wire type " + w + ", expected " + wire);
        if (f < lastField || (f == lastField && !repeated)) throw bad("field " + f + " out of order or repeated");
        lastField = f;
    }

    public long uint(int field) {
        if (peekField() != field) return 0;
        tag(field, 0, false);
        long v = varint();
        if (v == 0) throw bad("field " + field + " encodes its default value");
        if (v < 0) throw bad("field " + field + " is out of range");
        return v;
    }

    public boolean bool(int field) {
        long v = uint(field);
        if (v > 1) throw bad("field " + field + " is not a boolean");
        return v == 1;
    }

    public byte[] bytes(int field, int maxLength) {
        if (peekField() != field) return new byte[0];
        tag(field, 2, false);
        byte[] b = lengthDelimited(field, maxLength);
        if (b.length == 0) throw bad("field " + field + " encodes its default value");
        return b;
    }

    private byte[] lengthDelimited(int field, int maxLength) {
        long len = varint();
        // A varint of ten bytes reads as a negative long: as a length it is just too long.
        if (len < 0 || len > maxLength) throw bad("field " + field + " is longer than " + maxLength + " bytes");
        if (len > buf.length - pos) throw bad("field " + field + " runs past the end");
        byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + (int) len);
        pos += (int) len;
        return b;
    }

    public String string(int field, int maxLength) {
        return utf8(field, bytes(field, maxLength));
    }

    public List<String> strings(int field, int maxLength, int maxCount) {
        List<String> out = new ArrayList<>();
        for (byte[] b : repeated(field, maxLength, maxCount)) out.add(utf8(field, b));
        return out;
    }

    public List<byte[]> repeated(int field, int maxLength, int maxCount) {
        List<byte[]> out = new ArrayList<>();
        while (peekField() == field) {
            if (out.size() >= maxCount) throw bad("field " + field + " has more than " + maxCount + " entries");
            tag(field, 2, true);
            out.add(lengthDelimited(field, maxLength));
        }
        return out;
    }

    private String utf8(int field, byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw bad("field " + field + " is not valid UTF-8");
        }
    }

    public void end() {
        if (!atEnd()) throw bad("unknown or out-of-order field " + peekField());
    }
}
