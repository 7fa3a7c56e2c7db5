package io.ggen.p2p.core;

import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PublicKey;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.record.SignedPeerRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the host knows of other peers: addresses, protocols, agent, key, latency. Bounded: the
 * least recently touched peer is forgotten beyond {@code maxPeers}, and each peer keeps at most
 * {@link #MAX_ADDRS} addresses and {@link #MAX_PROTOCOLS} protocols, so a peer that lies in
 * identify cannot grow it.
 */
public final class PeerStore {
    public static final int MAX_ADDRS = 32;
    public static final int MAX_PROTOCOLS = 128;

    /** A snapshot of one peer's record. */
    public record PeerRecord(
            PeerId peerId,
            List<Multiaddr> addrs,
            List<String> protocols,
            Optional<String> agentVersion,
            Optional<String> protocolVersion,
            Optional<PublicKey> publicKey,
            Optional<Duration> latency,
            Instant lastSeen) {}

    private static final class PeerEntry {
        final LinkedHashSet<Multiaddr> addrs = new LinkedHashSet<>();
        List<String> protocols = List.of();
        String agentVersion;
        String protocolVersion;
        PublicKey publicKey;
        Duration latency;
        SignedPeerRecord signedRecord;
        Instant lastSeen = Instant.now();
    }

    private final int maxPeers;
    private final LinkedHashMap<PeerId, PeerEntry> peers;

    public PeerStore(int maxPeers) {
        if (maxPeers <= 0) throw new IllegalArgumentException("maxPeers must be positive");
        this.maxPeers = maxPeers;
        this.peers = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<PeerId, PeerEntry> eldest) {
                return size() > PeerStore.this.maxPeers;
            }
        };
    }

    private PeerEntry entry(PeerId peer) {
        PeerEntry e = peers.computeIfAbsent(peer, p -> new PeerEntry());
        e.lastSeen = Instant.now();
        return e;
    }

    public synchronized void addAddrs(PeerId peer, Collection<Multiaddr> addrs) {
        PeerEntry e = entry(peer);
        for (Multiaddr a : addrs) {
            Multiaddr bare = a.withoutPeerId();
            e.addrs.remove(bare); // re-insert as most recent
            e.addrs.add(bare);
            while (e.addrs.size() > MAX_ADDRS) {
                Multiaddr oldest = e.addrs.iterator().next();
                e.addrs.remove(oldest);
            }
        }
    }

    /** Replaces the addresses a peer announced about itself (identify). */
    public synchronized void setAddrs(PeerId peer, Collection<Multiaddr> addrs) {
        entry(peer).addrs.clear();
        addAddrs(peer, addrs.stream().limit(MAX_ADDRS).toList());
    }

    public synchronized void setProtocols(PeerId peer, Collection<String> protocols) {
        entry(peer).protocols = protocols.stream().distinct().limit(MAX_PROTOCOLS).toList();
    }

    public synchronized void setAgent(PeerId peer, String agentVersion, String protocolVersion) {
        PeerEntry e = entry(peer);
        e.agentVersion = agentVersion;
        e.protocolVersion = protocolVersion;
    }

    public synchronized void setPublicKey(PeerId peer, PublicKey key) {
        if (!peer.matches(key)) throw new IllegalArgumentException("public key does not belong to " + peer);
        entry(peer).publicKey = key;
    }

    /**
     * Keeps a peer's signed record (from identify or gossipsub PX) unless the one held is as new
     * (by sequence number), and adds its addresses. The caller has verified the envelope.
     * Returns whether it was kept.
     */
    public synchronized boolean putSignedRecord(SignedPeerRecord r) {
        PeerEntry e = entry(r.peerId());
        if (e.signedRecord != null && Long.compareUnsigned(e.signedRecord.record().seq(), r.record().seq()) >= 0) return false;
        e.signedRecord = r;
        addAddrs(r.peerId(), r.record().addresses().stream().limit(MAX_ADDRS).toList());
        return true;
    }

    /** The newest signed record seen of the peer, to pass on (gossipsub PX). */
    public synchronized Optional<SignedPeerRecord> signedRecord(PeerId peer) {
        PeerEntry e = peers.get(peer);
        return e == null ? Optional.empty() : Optional.ofNullable(e.signedRecord);
    }

    public synchronized void setLatency(PeerId peer, Duration rtt) {
        entry(peer).latency = rtt;
    }

    public synchronized Optional<PeerRecord> get(PeerId peer) {
        PeerEntry e = peers.get(peer);
        if (e == null) return Optional.empty();
        return Optional.of(snapshot(peer, e));
    }

    public synchronized List<Multiaddr> addrs(PeerId peer) {
        PeerEntry e = peers.get(peer);
        return e == null ? List.of() : List.copyOf(e.addrs);
    }

    public synchronized Set<PeerId> peers() {
        return Set.copyOf(peers.keySet());
    }

    public synchronized List<PeerRecord> all() {
        List<PeerRecord> out = new ArrayList<>(peers.size());
        peers.forEach((p, e) -> out.add(snapshot(p, e)));
        return out;
    }

    public synchronized int size() {
        return peers.size();
    }

    private static PeerRecord snapshot(PeerId p, PeerEntry e) {
        return new PeerRecord(p, List.copyOf(e.addrs), e.protocols, Optional.ofNullable(e.agentVersion),
                Optional.ofNullable(e.protocolVersion), Optional.ofNullable(e.publicKey), Optional.ofNullable(e.latency), e.lastSeen);
    }
}
