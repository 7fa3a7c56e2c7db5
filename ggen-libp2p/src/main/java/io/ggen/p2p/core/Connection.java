package io.ggen.p2p.core;

import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** An upgraded connection (secured and multiplexed) to one remote peer. */
public interface Connection {
    /** Host-unique id, for logs and de-duplication. */
    long id();

    PeerId remotePeer();

    Multiaddr remoteAddr();

    Multiaddr localAddr();

    Direction direction();

    /** Security protocol negotiated, e.g. {@code /noise}. */
    String security();

    /** Muxer negotiated, e.g. {@code /yamux/1.0.0}. */
    String muxer();

    Instant openedAt();

    /** Time from the start of the dial or accept to the end of the upgrade. */
    Duration upgradeTime();

    /** Opens a stream and negotiates the first protocol of {@code protocols} the remote supports. */
    CompletableFuture<Stream> newStream(List<String> protocols);

    /**
     * Opens a stream proposing {@code protocol} alone, and hands it over as soon as the proposal
     * is on its way, without waiting for the remote's answer (multistream-select's lazy
     * negotiation): the answer is checked as the stream's first bytes are read, and a refusal
     * fails that read (or ends an inline reader with the failure). It saves the round trip and
     * the thread hand-off of {@link #newStream} for protocols whose initiator reads first, or
     * whose first write may be lost to a refusal. The returned future may complete on the
     * connection's I/O thread: continuations must not block.
     */
    default CompletableFuture<Stream> newStreamLazy(String protocol) {
        return newStream(List.of(protocol));
    }

    /** Streams open now, with their protocols. */
    List<Stream> streams();

    /**
     * What the remote said in identify; completes when identify is done, or fails (identify
     * failed, or the connection closed first). Identify runs on every new connection.
     */
    CompletableFuture<IdentifyInfo> identified();

    /** What the remote said in identify, updated by its pushes; empty until identify is done. */
    Optional<IdentifyInfo> identifyInfo();

    boolean isOpen();

    /**
     * True when the connection runs through a relay (a Circuit Relay v2 circuit) rather than
     * directly between the two peers. Such a connection is limited: see {@link #limit()}.
     */
    default boolean relayed() {
        return false;
    }

    /**
     * What the relay allows on this connection; empty for a direct connection. Protocols that
     * move much data (content fetches) check it before they use the connection.
     */
    default java.util.Optional<ConnectionLimit> limit() {
        return java.util.Optional.empty();
    }

    /** Closes the connection; open streams are reset. */
    void close();

    /** Completes when the connection is closed, for any reason. */
    CompletableFuture<Void> closed();
}
