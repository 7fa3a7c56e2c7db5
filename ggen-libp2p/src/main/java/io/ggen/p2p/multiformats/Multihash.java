package io.ggen.p2p.multiformats;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A multihash (multiformats/multihash): {@code <varint code><varint length><digest>}.
 *
 * <p>identity, sha2-256 and sha2-512 are known: their digests may be truncated (the spec allows
 * a length shorter than the function's output) but never longer. Other codes are kept opaquely.
 * Every digest is capped at {@link #MAX_DIGEST_LENGTH} bytes, checked before allocation.
 */
public final class Multihash {
    public static final long IDENTITY = 0x00;
    public static final long SHA2_256 = 0x12;
    public static final long SHA2_512 = 0x13;
    /** Largest digest accepted for any code, identity included. */
    public static final int MAX_DIGEST_LENGTH = 128;

    private final long code;
    private final byte[] digest;

    private Multihash(long code, byte[] digest) {
        this.code = code;
        this.digest = digest;
    }

    /** A multihash of {@code code} with an already computed {@code digest}. */
    public static Multihash of(long code, byte[] digest) {
        if (code < 0) throw new MultiformatException("multihash: negative code");
        checkLength(code, digest.length);
        return new Multihash(code, digest.clone());
    }

    public static Multihash sha256(byte[] data) {
        return new Multihash(SHA2_256, digest("SHA-256", data));
    }

    public static Multihash sha512(byte[] data) {
        return new Multihash(SHA2_512, digest("SHA-512", data));
    }

    /** The identity multihash: the data itself, at most {@link #MAX_DIGEST_LENGTH} bytes. */
    public static Multihash identity(byte[] data) {
        return of(IDENTITY, data);
    }

    /** Parses a multihash that fills {@code bytes} exactly. */
    public static Multihash fromBytes(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        Multihash mh = read(buf);
        if (buf.hasRemaining()) throw new MultiformatException("multihash: " + buf.remaining() + " trailing bytes");
        return mh;
    }

    /** Reads one multihash at the buffer's position and advances past it. */
    public static Multihash read(ByteBuffer buf) {
        long code = Varint.read(buf);
        long length = Varint.read(buf);
        if (length > MAX_DIGEST_LENGTH) throw new MultiformatException("multihash: digest length " + length + " exceeds " + MAX_DIGEST_LENGTH);
        checkLength(code, (int) length);
        if (buf.remaining() < length) throw new MultiformatException("multihash: truncated digest (" + buf.remaining() + " of " + length + " bytes)");
        byte[] digest = new byte[(int) length];
        buf.get(digest);
        return new Multihash(code, digest);
    }

    private static void checkLength(long code, int length) {
        if (length > MAX_DIGEST_LENGTH) throw new MultiformatException("multihash: digest length " + length + " exceeds " + MAX_DIGEST_LENGTH);
        int natural = naturalLength(code);
        if (natural > 0 && length > natural) {
            throw new MultiformatException("multihash: digest of " + length + " bytes is longer than the function's " + natural);
        }
    }

    /** Output length of a known hash function, or -1 (identity, unknown). */
    private static int naturalLength(long code) {
        if (code == SHA2_256) return 32;
        if (code == SHA2_512) return 64;
        return -1;
    }

    public long code() {
        return code;
    }

    public byte[] digest() {
        return digest.clone();
    }

    public int digestLength() {
        return digest.length;
    }

    /** The name in the multicodec table, or hex of the code when not one we know. */
    public String name() {
        if (code == IDENTITY) return "identity";
        if (code == SHA2_256) return "sha2-256";
        if (code == SHA2_512) return "sha2-512";
        return "0x" + Long.toHexString(code);
    }

    /**
     * True when {@code data} hashes to this multihash (truncated digests compared on their
     * length). False for hash functions we do not implement.
     */
    public boolean matches(byte[] data) {
        byte[] full;
        if (code == IDENTITY) full = data;
        else if (code == SHA2_256) full = digest("SHA-256", data);
        else if (code == SHA2_512) full = digest("SHA-512", data);
        else return false;
        if (code == IDENTITY && full.length != digest.length) return false;
        return full.length >= digest.length && MessageDigest.isEqual(Arrays.copyOf(full, digest.length), digest);
    }

    public byte[] toBytes() {
        byte[] out = new byte[encodedLength()];
        int o = Varint.write(code, out, 0);
        o += Varint.write(digest.length, out, o);
        System.arraycopy(digest, 0, out, o, digest.length);
        return out;
    }

    public int encodedLength() {
        return Varint.encodedLength(code) + Varint.encodedLength(digest.length) + digest.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multihash other && code == other.code && Arrays.equals(digest, other.digest);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(code) * 31 + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return name() + ":" + HexFormat.of().formatHex(digest);
    }

    static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}
