package io.ggen.p2p.protocol.identify;

import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PublicKey;
import io.ggen.p2p.multiformats.Multiaddr;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One identify message. {@code publicKey} and {@code peerId} are null only in a push that left
 * the key out (allowed: the connection already authenticated the peer).
 *
 * @param signedPeerRecord the signed envelope bytes, when the peer sent one (not interpreted here)
 */
public record IdentifyInfo(
        PublicKey publicKey,
        PeerId peerId,
        String protocolVersion,
        String agentVersion,
        List<Multiaddr> listenAddrs,
        Optional<Multiaddr> observedAddr,
        List<String> protocols,
        Optional<byte[]> signedPeerRecord) {

    public IdentifyInfo {
        protocolVersion = Objects.requireNonNullElse(protocolVersion, "");
        agentVersion = Objects.requireNonNullElse(agentVersion, "");
        listenAddrs = List.copyOf(listenAddrs);
        protocols = List.copyOf(protocols);
        Objects.requireNonNull(observedAddr, "observedAddr");
        Objects.requireNonNull(signedPeerRecord, "signedPeerRecord");
        if (publicKey != null && peerId == null) peerId = PeerId.fromPublicKey(publicKey);
    }
}
