package io.ggen.p2p.security.noise;

import io.ggen.p2p.crypto.PrivateKey;
import java.util.List;
import java.util.Objects;

/**
 * What a host proves itself with in every Noise handshake: its Noise static key pair and the
 * handshake payload binding that key to its libp2p identity (identity key, signature over
 * {@code "noise-libp2p-static-key:" || static key}, the stream muxers it offers). Made once per
 * host, as js-libp2p does, so that a handshake costs neither a static key generation nor a
 * signature; kept in memory only.
 */
public final class NoiseCredentials {
    private final PrivateKey identity;
    private final byte[] staticPrivate;
    private final byte[] staticPublic;
    private final byte[] payload;

    private NoiseCredentials(PrivateKey identity, byte[] staticPrivate, List<String> streamMuxers) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.staticPrivate = staticPrivate.clone();
        this.staticPublic = HandshakeState.publicKeyOf(this.staticPrivate);
        byte[] signature = identity.sign(NoiseHandshake.concat(NoiseHandshake.SIGNATURE_PREFIX, staticPublic));
        this.payload = NoisePayloadCodec.encode(new NoisePayload(identity.publicKey().marshal(), signature, List.copyOf(streamMuxers)));
    }

    /** A fresh static key for {@code identity}, offering {@code streamMuxers} (may be empty). */
    public static NoiseCredentials generate(PrivateKey identity, List<String> streamMuxers) {
        return new NoiseCredentials(identity, HandshakeState.generatePrivateKey(), streamMuxers);
    }

    /** With a given static private key: for test vectors. */
    static NoiseCredentials of(PrivateKey identity, byte[] staticPrivate, List<String> streamMuxers) {
        return new NoiseCredentials(identity, staticPrivate, streamMuxers);
    }

    public PrivateKey identity() {
        return identity;
    }

    /** The static public key (X25519, 32 bytes). */
    public byte[] staticPublicKey() {
        return staticPublic.clone();
    }

    byte[] staticPrivate() {
        return staticPrivate;
    }

    byte[] staticPublic() {
        return staticPublic;
    }

    /** The encoded {@code NoiseHandshakePayload} sent in message 2 or 3. */
    byte[] payload() {
        return payload;
    }
}
