package io.ggen.p2p.security.noise;

import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PublicKey;
import java.util.List;

/**
 * The outcome of a successful handshake: who the remote peer is (its identity key and the peer
 * id derived from it, both authenticated by the signature over its Noise static key), the stream
 * muxers it advertised in the Noise extensions (empty if none; in its order of preference), and
 * the transport cipher states.
 *
 * <p>The cipher states belong to the transport handler once it is installed; other code must
 * not use them (each use advances a nonce).
 */
public record NoiseSession(PeerId remotePeer, PublicKey remoteIdentityKey, List<String> remoteStreamMuxers, CipherState sendCipher, CipherState recvCipher) {
    public NoiseSession {
        remoteStreamMuxers = List.copyOf(remoteStreamMuxers);
    }

    @Override
    public String toString() {
        return "NoiseSession[remotePeer=" + remotePeer + ", remoteStreamMuxers=" + remoteStreamMuxers + "]";
    }
}
