package io.ggen.p2p.crypto;

/** Decoders of the key types other than Ed25519 (which {@link Keys} handles inline, the fast path). */
final class KeyTypes {
    private KeyTypes() {}

    static PublicKey publicFromRaw(KeyType type, byte[] data) {
        return switch (type) {
            case ED25519 -> new Ed25519PublicKey(data);
            case SECP256K1 -> Secp256k1PublicKey.fromRaw(data);
            case ECDSA -> EcdsaPublicKey.fromRaw(data);
            case RSA -> RsaPublicKey.fromRaw(data);
        };
    }

    static PrivateKey privateFromRaw(KeyType type, byte[] data) {
        return switch (type) {
            case ED25519 -> Ed25519PrivateKey.fromRaw(data);
            case SECP256K1 -> Secp256k1PrivateKey.fromRaw(data);
            case ECDSA -> EcdsaPrivateKey.fromRaw(data);
            case RSA -> RsaPrivateKey.fromRaw(data);
        };
    }

    /** A new key of {@code type} (RSA: 2048 bits, ECDSA: P-256). */
    static PrivateKey generate(KeyType type) {
        return switch (type) {
            case ED25519 -> Ed25519PrivateKey.generate();
            case SECP256K1 -> Secp256k1PrivateKey.generate();
            case ECDSA -> EcdsaPrivateKey.generate();
            case RSA -> RsaPrivateKey.generate();
        };
    }
}
