package io.ggen.p2p.crypto;

/** A private key able to sign, with its public half. */
public interface PrivateKey {
    KeyType type();

    PublicKey publicKey();

    byte[] sign(byte[] data);

    /** The key's own encoding, the {@code Data} field of the libp2p protobuf. */
    byte[] raw();

    /** The libp2p protobuf {@code PrivateKey} encoding. */
    default byte[] marshal() {
        return Keys.marshalPrivate(this);
    }
}
