package io.ggen.p2p.crypto;

import java.math.BigInteger;
import org.bouncycastle.util.BigIntegers;

/** secp256k1 private key: the libp2p {@code Data} is the 32-byte big-endian scalar. */
public final class Secp256k1PrivateKey implements PrivateKey {
    private final BigInteger d;
    private final Secp256k1PublicKey publicKey;

    private Secp256k1PrivateKey(BigInteger d) {
        this.d = EcSupport.checkScalar(EcSupport.SECP256K1, d);
        this.publicKey = new Secp256k1PublicKey(EcSupport.publicPoint(EcSupport.SECP256K1, d));
    }

    public static Secp256k1PrivateKey generate() {
        return new Secp256k1PrivateKey(EcSupport.generateScalar(EcSupport.SECP256K1));
    }

    public static Secp256k1PrivateKey fromRaw(byte[] raw) {
        if (raw.length != 32) throw new InvalidKeyException("secp256k1 private key must be 32 bytes, got " + raw.length);
        return new Secp256k1PrivateKey(new BigInteger(1, raw));
    }

    @Override
    public KeyType type() {
        return KeyType.SECP256K1;
    }

    @Override
    public Secp256k1PublicKey publicKey() {
        return publicKey;
    }

    /** DER ECDSA over SHA-256(data), deterministic (RFC 6979), low-S. */
    @Override
    public byte[] sign(byte[] data) {
        return EcSupport.signDer(EcSupport.SECP256K1, d, data, true);
    }

    @Override
    public byte[] raw() {
        return BigIntegers.asUnsignedByteArray(32, d);
    }

    @Override
    public String toString() {
        return "Secp256k1PrivateKey[public=" + publicKey + "]";
    }
}
