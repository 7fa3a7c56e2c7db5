package io.ggen.p2p.kad;

import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A kad-dht message, decoded and checked: what the spec's protobuf carries, with peer ids and
 * addresses parsed (malformed entries are dropped by the codec, not passed on).
 */
public record KadMessage(Type type, byte[] key, Optional<ValueRecord> record, List<PeerInfo> closerPeers, List<PeerInfo> providerPeers) {
    public enum Type { PUT_VALUE, GET_VALUE, ADD_PROVIDER, GET_PROVIDERS, FIND_NODE, PING }

    /** A peer in a message: id, addresses, and whether the sender is connected to it. */
    public record PeerInfo(PeerId id, List<Multiaddr> addrs, boolean connected) {
        public PeerInfo {
            addrs = List.copyOf(addrs);
        }
    }

    public KadMessage {
        key = key.clone();
        closerPeers = List.copyOf(closerPeers);
        providerPeers = List.copyOf(providerPeers);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    public static KadMessage request(Type type, byte[] key) {
        return new KadMessage(type, key, Optional.empty(), List.of(), List.of());
    }

    /**
     * This message as one recipient may hear it: every peer's addresses narrowed to those
     * {@code tellable} accepts (a private address is no use to, and not for, a peer on the
     * public internet). A closer peer left with no address is dropped, since nobody could dial
     * it from what we say; a provider stays, as the fact that it provides is still true and its
     * addresses can be looked up.
     */
    public KadMessage scopedTo(Predicate<Multiaddr> tellable) {
        List<PeerInfo> closer = new ArrayList<>(closerPeers.size());
        for (PeerInfo p : closerPeers) {
            PeerInfo scoped = scoped(p, tellable);
            if (!scoped.addrs().isEmpty() || p.addrs().isEmpty()) closer.add(scoped);
        }
        List<PeerInfo> providers = new ArrayList<>(providerPeers.size());
        for (PeerInfo p : providerPeers) providers.add(scoped(p, tellable));
        return new KadMessage(type, key, record, closer, providers);
    }

    private static PeerInfo scoped(PeerInfo p, Predicate<Multiaddr> tellable) {
        return new PeerInfo(p.id(), p.addrs().stream().filter(tellable).toList(), p.connected());
    }
}
