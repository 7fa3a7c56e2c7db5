package io.ggen.p2p.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.ECPoint;

/**
 * secp256k1 public key. The libp2p {@code Data} is the 33-byte compressed SEC1 point; the
 * 65-byte uncompressed form is accepted on input and re-encoded compressed, as go and js do.
 *
 * <p>Signatures are DER ECDSA over SHA-256(data). High-S signatures verify: go-libp2p accepts
 * them and only js (noble) refuses them; we sign low-S so that every implementation accepts ours.
 */
public final class Secp256k1PublicKey implements PublicKey {
    private final ECPoint point;
    private final byte[] compressed;

    Secp256k1PublicKey(ECPoint point) {
        this.point = point;
        this.compressed = point.getEncoded(true);
    }

    /** Parses a 33-byte compressed or 65-byte uncompressed SEC1 point. */
    public static Secp256k1PublicKey fromRaw(byte[] raw) {
        return new Secp256k1PublicKey(EcSupport.decodePoint(EcSupport.SECP256K1, raw));
    }

    @Override
    public KeyType type() {
        return KeyType.SECP256K1;
    }

    @Override
    public byte[] raw() {
        return compressed.clone();
    }

    /** The 65-byte uncompressed SEC1 encoding. */
    public byte[] uncompressed() {
        return point.getEncoded(false);
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        return EcSupport.verify(EcSupport.SECP256K1, point, data, signature, false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secp256k1PublicKey other && Arrays.equals(compressed, other.compressed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(compressed);
    }

    @Override
    public String toString() {
        return "Secp256k1PublicKey[" + HexFormat.of().formatHex(compressed) + "]";
    }
}
