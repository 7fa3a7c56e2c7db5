package io.ggen.p2p.crypto;

import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 public key (32 bytes). BouncyCastle's Ed25519 is much faster than the JDK's. The point
 * is decoded once, when the key is made, and kept: decoding takes a square root, a fifth of the
 * cost of a verification, which would otherwise be paid again by every signature checked.
 */
public final class Ed25519PublicKey implements PublicKey {
    private final byte[] key;
    private final Ed25519.PublicPoint point;
    /** Odd multiples of the point for {@link Ed25519Batch}, made on first use (a key signs many records). */
    private volatile Edwards25519.Cached[] multiples;

    public Ed25519PublicKey(byte[] key) {
        if (key.length != Ed25519.PUBLIC_KEY_SIZE) throw new InvalidKeyException("Ed25519 public key must be 32 bytes, got " + key.length);
        this.key = key.clone();
        this.point = Ed25519.validatePublicKeyPartialExport(this.key, 0);
        if (point == null) throw new InvalidKeyException("Ed25519 public key is not a valid point");
    }

    @Override
    public KeyType type() {
        return KeyType.ED25519;
    }

    @Override
    public byte[] raw() {
        return key.clone();
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        if (signature == null || signature.length != Ed25519.SIGNATURE_SIZE) return false;
        try {
            return Ed25519.verify(signature, 0, point, data, 0, data.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The 32 bytes, not copied: for this package's hashing only. */
    byte[] encoded() {
        return key;
    }

    /** The odd multiples of this key's point for signed windows of {@code width}, or null if it does not decode. */
    Edwards25519.Cached[] multiples(int width, Edwards25519.Work w) {
        Edwards25519.Cached[] m = multiples;
        if (m != null && m.length == 1 << (width - 2)) return m;
        Edwards25519.Point p = Edwards25519.decode(key, 0);
        if (p == null) return null;
        m = Edwards25519.oddMultiples(p, width, w);
        multiples = m;
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519PublicKey other && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "Ed25519PublicKey[" + java.util.HexFormat.of().formatHex(key) + "]";
    }
}
