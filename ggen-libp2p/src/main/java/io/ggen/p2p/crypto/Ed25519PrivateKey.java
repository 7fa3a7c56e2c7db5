package io.ggen.p2p.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 private key. The libp2p protobuf stores 64 bytes (seed followed by public key); some
 * old encodings append the public key twice (96 bytes), which we accept on input.
 */
public final class Ed25519PrivateKey implements PrivateKey {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] seed;
    private final Ed25519PublicKey publicKey;

    private Ed25519PrivateKey(byte[] seed) {
        this.seed = seed.clone();
        byte[] pub = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(this.seed, 0, pub, 0);
        this.publicKey = new Ed25519PublicKey(pub);
    }

    public static Ed25519PrivateKey generate() {
        byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
        RANDOM.nextBytes(seed);
        return new Ed25519PrivateKey(seed);
    }

    /** The key whose RFC 8032 secret (seed) is these 32 bytes. */
    public static Ed25519PrivateKey fromSeed(byte[] seed) {
        if (seed.length != Ed25519.SECRET_KEY_SIZE) throw new InvalidKeyException("Ed25519 seed must be 32 bytes, got " + seed.length);
        return new Ed25519PrivateKey(seed);
    }

    /** Parses the protobuf {@code Data} field: 64 bytes seed||public, 96 (legacy) or 32 (seed). */
    public static Ed25519PrivateKey fromRaw(byte[] raw) {
        if (raw.length == 32) return fromSeed(raw);
        if (raw.length != 64 && raw.length != 96) throw new InvalidKeyException("Ed25519 private key must be 64 bytes, got " + raw.length);
        if (raw.length == 96 && !Arrays.equals(raw, 32, 64, raw, 64, 96)) {
            throw new InvalidKeyException("Ed25519 private key: the two public key copies of the legacy form differ");
        }
        Ed25519PrivateKey k = fromSeed(Arrays.copyOfRange(raw, 0, 32));
        if (!Arrays.equals(k.publicKey.raw(), Arrays.copyOfRange(raw, 32, 64))) {
            throw new InvalidKeyException("Ed25519 private key: stored public key does not match the seed");
        }
        return k;
    }

    public byte[] seed() {
        return seed.clone();
    }

    @Override
    public KeyType type() {
        return KeyType.ED25519;
    }

    @Override
    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, data, 0, data.length, sig, 0);
        return sig;
    }

    @Override
    public byte[] raw() {
        byte[] out = new byte[64];
        System.arraycopy(seed, 0, out, 0, 32);
        System.arraycopy(publicKey.raw(), 0, out, 32, 32);
        return out;
    }

    @Override
    public String toString() {
        return "Ed25519PrivateKey[public=" + publicKey + "]";
    }
}
