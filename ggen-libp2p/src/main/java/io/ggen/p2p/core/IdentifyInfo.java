package io.ggen.p2p.core;

import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PublicKey;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.record.SignedPeerRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a peer says about itself in an identify or identify-push message.
 *
 * <p>Absent is expressed as: {@code null} public key and peer id (allowed only in push messages,
 * which may carry just what changed), empty strings for the versions, empty lists, empty
 * optionals. A push updates a field only if it is present, hence {@link #updatedBy}.
 *
 * @param publicKey the peer's key; {@code null} only in a push message that left it out
 * @param peerId derived from {@code publicKey}; {@code null} exactly when it is
 * @param listenAddrs addresses the peer listens on (unsigned: prefer {@code signedPeerRecord}'s)
 * @param observedAddr the address the peer sees us at
 * @param signedPeerRecord the peer's signed record, already verified and matching {@code peerId}
 */
public record IdentifyInfo(
        PublicKey publicKey,
        PeerId peerId,
        String protocolVersion,
        String agentVersion,
        List<Multiaddr> listenAddrs,
        Optional<Multiaddr> observedAddr,
        List<String> protocols,
        Optional<SignedPeerRecord> signedPeerRecord) {

    /** Most listen addresses kept from one peer's identify messages together. */
    public static final int MAX_LISTEN_ADDRS = 128;
    /** Most protocols kept from one peer's identify messages together. */
    public static final int MAX_PROTOCOLS = 256;

    public IdentifyInfo {
        if (publicKey != null) {
            PeerId derived = PeerId.fromPublicKey(publicKey);
            if (peerId == null) peerId = derived;
            else if (!peerId.equals(derived)) throw new IllegalArgumentException("peer id does not match the public key");
        } else if (peerId != null) {
            throw new IllegalArgumentException("a peer id needs its public key");
        }
        protocolVersion = protocolVersion == null ? "" : protocolVersion;
        agentVersion = agentVersion == null ? "" : agentVersion;
        listenAddrs = List.copyOf(listenAddrs);
        observedAddr = Objects.requireNonNull(observedAddr, "observedAddr");
        protocols = List.copyOf(protocols);
        signedPeerRecord = Objects.requireNonNull(signedPeerRecord, "signedPeerRecord");
        if (signedPeerRecord.isPresent() && peerId != null && !signedPeerRecord.get().peerId().equals(peerId)) {
            throw new IllegalArgumentException("signed peer record is of another peer");
        }
    }

    /** What we send about ourselves in answer to identify. */
    public static IdentifyInfo of(PublicKey publicKey, String protocolVersion, String agentVersion,
                                  List<Multiaddr> listenAddrs, Optional<Multiaddr> observedAddr,
                                  List<String> protocols, Optional<SignedPeerRecord> signedPeerRecord) {
        return new IdentifyInfo(Objects.requireNonNull(publicKey, "publicKey"), null, protocolVersion, agentVersion,
                listenAddrs, observedAddr, protocols, signedPeerRecord);
    }

    public Optional<PeerId> peerIdIfKnown() {
        return Optional.ofNullable(peerId);
    }

    /**
     * This information updated by a later message (a further message on the same stream, or a
     * push): fields present in {@code later} replace ours, listen addresses are concatenated and
     * protocols united, as js-libp2p merges several messages read from one stream.
     */
    public IdentifyInfo updatedBy(IdentifyInfo later) {
        List<Multiaddr> addrs = new ArrayList<>(listenAddrs);
        for (Multiaddr a : later.listenAddrs) {
            if (addrs.size() < MAX_LISTEN_ADDRS && !addrs.contains(a)) addrs.add(a);
        }
        LinkedHashSet<String> protos = new LinkedHashSet<>(protocols);
        for (String p : later.protocols) if (protos.size() < MAX_PROTOCOLS) protos.add(p);
        PublicKey key = later.publicKey != null ? later.publicKey : publicKey;
        Optional<SignedPeerRecord> record = later.signedPeerRecord.isPresent() ? later.signedPeerRecord : signedPeerRecord;
        if (key != null && record.isPresent() && !record.get().peerId().matches(key)) record = Optional.empty();
        return new IdentifyInfo(key, null,
                later.protocolVersion.isEmpty() ? protocolVersion : later.protocolVersion,
                later.agentVersion.isEmpty() ? agentVersion : later.agentVersion,
                addrs,
                later.observedAddr.isPresent() ? later.observedAddr : observedAddr,
                List.copyOf(protos),
                record);
    }
}
