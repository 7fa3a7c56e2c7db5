package io.ggen.p2p.crypto;

/**
 * A public key of another peer (or our own). Verification never throws on a bad signature or
 * a malformed one: it answers false.
 */
public interface PublicKey {
    KeyType type();

    /** The key's own encoding, the {@code Data} field of the libp2p protobuf. */
    byte[] raw();

    boolean verify(byte[] data, byte[] signature);

    /** The libp2p protobuf {@code PublicKey} encoding (deterministic). */
    default byte[] marshal() {
        return Keys.marshalPublic(this);
    }
}
