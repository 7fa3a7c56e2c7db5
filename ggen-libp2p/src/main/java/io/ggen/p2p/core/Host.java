package io.ggen.p2p.core;

import io.ggen.p2p.core.EventBus;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A libp2p host: one identity, its connections, the protocols it serves, a peer store and an
 * event bus. This is the interface protocols and applications are written against (DHT,
 * gossipsub, identify, ping, the marketplace); {@code io.ggen.p2p.host.NettyHost} implements it
 * over TCP, Noise and Yamux, and a test may stand in its own.
 *
 * <p>What happens to connections and peers is published on {@link #events()}: connection opened
 * or closed, peer identified, a peer's protocols changed, our own protocols or addresses changed,
 * reachability. Components subscribe there instead of registering callbacks.
 */
public interface Host extends AutoCloseable {
    PeerId peerId();

    /** This host's key: identify sends its public half, pubsub and records are signed with it. */
    PrivateKey identity();

    PeerStore peerStore();

    /** Events of this host; see {@link io.ggen.p2p.core.Event} for what is published. */
    EventBus events();

    ConnManager connectionManager();

    /** Bytes moved on this host's streams, per peer and per protocol. */
    BandwidthMeter bandwidth();

    /** Addresses we listen on (wildcards expanded), without {@code /p2p/}. */
    List<Multiaddr> listenAddrs();

    /**
     * Addresses others may reach us at, as identify sends them: the listen addresses and, for a
     * node behind a NAT, its relayed addresses ({@code .../p2p-circuit}).
     */
    default List<Multiaddr> advertisedAddrs() {
        return listenAddrs();
    }

    /**
     * How this host tells public from private addresses, which decides what addresses it may
     * tell which peer (a private address never to a peer reached on a public one).
     */
    default io.ggen.p2p.multiaddr.AddressClassifier addressClassifier() {
        return io.ggen.p2p.multiaddr.AddressClassifier.DEFAULT;
    }

    // ------------------------------------------------------------------ protocols

    /**
     * Serves {@code protocol} on inbound streams; replaces an earlier handler. A protocol new to
     * the host publishes {@link io.ggen.p2p.core.Event.LocalProtocolsChanged}.
     */
    void handle(String protocol, StreamHandler handler);

    /** Stops serving {@code protocol}; publishes {@link io.ggen.p2p.core.Event.LocalProtocolsChanged}. */
    void unhandle(String protocol);

    boolean handles(String protocol);

    /** Protocols we serve, sorted. */
    List<String> protocols();

    // ------------------------------------------------------------------ connections

    /**
     * Connects to {@code addr}. With {@code /p2p/<id>} the remote must prove that identity, and an
     * open connection to that peer is returned instead of dialing again.
     */
    CompletableFuture<Connection> dial(Multiaddr addr);

    /** Connects to a peer through the addresses the peer store holds for it. */
    CompletableFuture<Connection> dial(PeerId peer);

    /**
     * Connects through exactly this address, to check that it works (a bootstrap address a user
     * gives, say): an open connection to the peer at this very remote address is returned,
     * otherwise a new connection is made through {@code addr}, even when the peer is already
     * connected through another address (go-libp2p's "force direct dial"). With {@code /p2p/<id>}
     * the remote must prove that identity.
     */
    CompletableFuture<Connection> dialAddress(Multiaddr addr);

    /** Opens a stream to {@code peer}, dialing it through the peer store if not connected. */
    default CompletableFuture<Stream> newStream(PeerId peer, List<String> protocols) {
        return dial(peer).thenCompose(c -> c.newStream(protocols));
    }

    /** The best open connection to {@code peer}. */
    Optional<Connection> connection(PeerId peer);

    List<Connection> connections(PeerId peer);

    List<Connection> connections();

    Set<PeerId> connectedPeers();

    int connectionCount();

    /** Closes every connection to {@code peer}. */
    CompletableFuture<Void> hangup(PeerId peer);

    @Override
    void close();
}
