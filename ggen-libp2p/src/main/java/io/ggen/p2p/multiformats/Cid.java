package io.ggen.p2p.multiformats;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A content identifier (multiformats/cid). CIDv0 is a bare sha2-256 multihash of dag-pb data,
 * printed base58btc without a multibase prefix ({@code Qm...}); CIDv1 is
 * {@code <varint 1><varint codec><multihash>}, printed in a multibase, base32 lower by default
 * ({@code bafk...} for raw content).
 */
public final class Cid {
    public static final long RAW = 0x55;
    public static final long DAG_PB = 0x70;
    public static final long DAG_CBOR = 0x71;
    public static final long LIBP2P_KEY = 0x72;
    /** Largest binary CID accepted: version, codec and the largest multihash we accept. */
    public static final int MAX_BYTES = 1 + 3 * Varint.MAX_BYTES + Multihash.MAX_DIGEST_LENGTH;
    /** Largest CID text accepted (a {@link #MAX_BYTES} CID is about 320 characters in base16). */
    public static final int MAX_TEXT_LENGTH = 512;

    private static final int CIDV0_LENGTH = 34;
    private static final int CIDV0_TEXT_LENGTH = 46;

    private final int version;
    private final long codec;
    private final Multihash multihash;
    private final byte[] bytes;

    private Cid(int version, long codec, Multihash multihash) {
        this.version = version;
        this.codec = codec;
        this.multihash = multihash;
        this.bytes = version == 0 ? multihash.toBytes() : encodeV1(codec, multihash);
    }

    /** CIDv0: dag-pb content addressed by a full sha2-256 multihash. */
    public static Cid v0(Multihash multihash) {
        if (multihash.code() != Multihash.SHA2_256 || multihash.digestLength() != 32) {
            throw new MultiformatException("cid: a CIDv0 multihash must be a full sha2-256");
        }
        return new Cid(0, DAG_PB, multihash);
    }

    public static Cid v1(long codec, Multihash multihash) {
        if (codec < 0) throw new MultiformatException("cid: negative codec");
        return new Cid(1, codec, multihash);
    }

    /** The address of {@code content} as the marketplace uses it: CIDv1, raw, sha2-256. */
    public static Cid rawSha256(byte[] content) {
        return v1(RAW, Multihash.sha256(content));
    }

    public static Cid fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length == 0) throw new MultiformatException("cid: empty");
        if (bytes.length > MAX_BYTES) throw new MultiformatException("cid: longer than " + MAX_BYTES + " bytes");
        if (bytes.length == CIDV0_LENGTH && bytes[0] == 0x12 && bytes[1] == 0x20) {
            return new Cid(0, DAG_PB, Multihash.fromBytes(bytes));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long version = Varint.read(buf);
        if (version != 1) throw new MultiformatException("cid: unsupported version " + version);
        long codec = Varint.read(buf);
        Multihash mh = Multihash.read(buf);
        if (buf.hasRemaining()) throw new MultiformatException("cid: " + buf.remaining() + " trailing bytes");
        return new Cid(1, codec, mh);
    }

    /** Parses CID text: a CIDv0 ({@code Qm...}, 46 characters) or a CIDv1 in any supported multibase. */
    public static Cid fromString(String text) {
        if (text == null || text.isEmpty()) throw new MultiformatException("cid: empty");
        if (text.length() > MAX_TEXT_LENGTH) throw new MultiformatException("cid: text longer than " + MAX_TEXT_LENGTH + " characters");
        if (text.length() == CIDV0_TEXT_LENGTH && text.startsWith("Qm")) {
            byte[] b = Base58.decode(text);
            if (b.length != CIDV0_LENGTH || b[0] != 0x12 || b[1] != 0x20) throw new MultiformatException("cid: malformed CIDv0");
            return new Cid(0, DAG_PB, Multihash.fromBytes(b));
        }
        byte[] b = Multibase.decode(text);
        // The spec forbids multibase-encoded CIDv0 (a first byte 0x12 would read as CIDv18).
        if (b.length > 0 && b[0] == 0x12) throw new MultiformatException("cid: a CIDv0 may not be multibase-encoded");
        return fromBytes(b);
    }

    /**
     * Parses a content id as the marketplace accepts it on input: CID text, or
     * {@code sha256:<64 hex digits>}, which means the CIDv1 raw sha2-256 of that digest.
     */
    public static Cid parseContentId(String text) {
        if (text == null) throw new MultiformatException("content id: empty");
        if (text.length() > 7 && text.regionMatches(true, 0, "sha256:", 0, 7)) {
            String hex = text.substring(7);
            if (hex.length() != 64) throw new MultiformatException("content id: sha256 needs 64 hex digits, got " + hex.length());
            return v1(RAW, Multihash.of(Multihash.SHA2_256, Multibase.hexDecode(hex)));
        }
        return fromString(text);
    }

    private static byte[] encodeV1(long codec, Multihash mh) {
        byte[] out = new byte[1 + Varint.encodedLength(codec) + mh.encodedLength()];
        int o = Varint.write(1, out, 0);
        o += Varint.write(codec, out, o);
        byte[] m = mh.toBytes();
        System.arraycopy(m, 0, out, o, m.length);
        return out;
    }

    public int version() {
        return version;
    }

    public long codec() {
        return codec;
    }

    public Multihash multihash() {
        return multihash;
    }

    /** The same content as a CIDv1 (v0 becomes v1 dag-pb). */
    public Cid toV1() {
        return version == 1 ? this : new Cid(1, codec, multihash);
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    /** CIDv0 as base58btc ({@code Qm...}); CIDv1 as base32 lower ({@code b...}). */
    @Override
    public String toString() {
        return version == 0 ? Base58.encode(bytes) : Multibase.encode(Multibase.Encoding.BASE32, bytes);
    }

    /**
     * CIDv1 text in the given multibase.
     *
     * @throws IllegalStateException for a CIDv0, which has exactly one text form; use {@link #toV1()}
     */
    public String toString(Multibase.Encoding encoding) {
        if (version == 0) throw new IllegalStateException("a CIDv0 is only written in base58btc; convert with toV1()");
        return Multibase.encode(encoding, bytes);
    }

    /** The lower-case hex of the sha2-256 digest, for the {@code sha256:<hex>} form, if it is one. */
    public java.util.Optional<String> sha256Hex() {
        if (multihash.code() != Multihash.SHA2_256 || multihash.digestLength() != 32) return java.util.Optional.empty();
        return java.util.Optional.of(Multibase.hexEncode(multihash.digest()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cid other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
