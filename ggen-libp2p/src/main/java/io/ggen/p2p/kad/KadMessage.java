package io.ggen.p2p.kad;

import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.util.List;
import java.util.Optional;

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
}
