package io.ggen.p2p.core;

import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.util.List;
import java.util.Objects;

/**
 * What a host publishes on its {@link EventBus}. Each variant is a record; subscribe by type.
 *
 * <p>Order: for one connection, {@link ConnectionOpened} comes before its {@link PeerIdentified}
 * (or {@link PeerIdentificationFailed}) and before {@link ConnectionClosed}, as seen by any one
 * subscriber.
 */
public sealed interface Event {

    /** A connection finished its upgrade (security and muxer) and is registered with the host. */
    record ConnectionOpened(Connection connection) implements Event {
        public ConnectionOpened {
            Objects.requireNonNull(connection, "connection");
        }
    }

    /** A connection is gone, for whatever reason. */
    record ConnectionClosed(Connection connection) implements Event {
        public ConnectionClosed {
            Objects.requireNonNull(connection, "connection");
        }
    }

    /**
     * Identify of a connection completed: what the remote says of itself, already checked (its
     * key is the connection's peer) and recorded in the peer store. Once per connection; later
     * changes arrive as {@link PeerProtocolsChanged}.
     */
    record PeerIdentified(Connection connection, IdentifyInfo info) implements Event {
        public PeerIdentified {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(info, "info");
        }

        public PeerId peer() {
            return connection.remotePeer();
        }
    }

    /** Identify of a connection failed (timeout, malformed answer, connection lost first). */
    record PeerIdentificationFailed(Connection connection, Throwable cause) implements Event {}

    /**
     * A peer's protocols changed after it was identified (an identify push, or identify on a
     * further connection), with the full list now known and what was added and removed.
     */
    record PeerProtocolsChanged(PeerId peer, List<String> protocols, List<String> added, List<String> removed) implements Event {
        public PeerProtocolsChanged {
            Objects.requireNonNull(peer, "peer");
            protocols = List.copyOf(protocols);
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }
    }

    /** The addresses this host listens on changed (and once at start). */
    record LocalAddressesChanged(List<Multiaddr> addrs) implements Event {
        public LocalAddressesChanged {
            addrs = List.copyOf(addrs);
        }
    }

    /** This host started or stopped serving protocols. */
    record LocalProtocolsChanged(List<String> added, List<String> removed) implements Event {
        public LocalProtocolsChanged {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }
    }

    /**
     * Whether others can dial this host, as AutoNAT concluded it (or as configured, when
     * reachability is forced). {@link io.ggen.p2p.host.NettyHost} publishes {@link Reachability#UNKNOWN}
     * once at start; AutoNAT publishes every change after that.
     *
     * @param confidence how many recent, distinct AutoNAT servers agree with it (0 when unknown
     *     or forced)
     * @param forced true when set by configuration rather than measured
     */
    record ReachabilityChanged(Reachability reachability, int confidence, boolean forced) implements Event {
        public ReachabilityChanged {
            Objects.requireNonNull(reachability, "reachability");
            if (confidence < 0) throw new IllegalArgumentException("confidence must be >= 0");
        }

        public ReachabilityChanged(Reachability reachability) {
            this(reachability, 0, false);
        }
    }

    /**
     * AutoNAT's verdict on one of our addresses changed: {@link Reachability#PUBLIC} once enough
     * servers dialed it back, {@link Reachability#PRIVATE} once enough failed to. Identify
     * advertises an address observed by peers once it is confirmed public here.
     */
    record AddressReachabilityChanged(Multiaddr addr, Reachability reachability) implements Event {
        public AddressReachabilityChanged {
            Objects.requireNonNull(addr, "addr");
            Objects.requireNonNull(reachability, "reachability");
        }
    }

    /**
     * A discovery mechanism (mDNS on the local network, say) found a peer and where it listens.
     * The addresses are in the peer store already; dialing is up to the mechanism or whoever listens.
     */
    record PeerDiscovered(PeerId peer, List<Multiaddr> addrs, String source) implements Event {
        public PeerDiscovered {
            Objects.requireNonNull(peer, "peer");
            addrs = List.copyOf(addrs);
            Objects.requireNonNull(source, "source");
        }
    }

    /** Reachability of this host (or one of its addresses) from the network. */
    enum Reachability {
        PUBLIC,
        PRIVATE,
        UNKNOWN
    }
}
