package io.ggen.p2p.kad;

import java.util.concurrent.CompletableFuture;

/**
 * How a {@link KadNode} reaches other nodes: over libp2p streams in a real node
 * ({@link KadDht}), in memory with a latency model in the simulation.
 */
public interface KadTransport {
    /** Sends a request and completes with the answer, or exceptionally (unreachable, reset, malformed). */
    CompletableFuture<KadMessage> request(KadMessage.PeerInfo peer, KadMessage request);

    /** Sends a message that has no answer (ADD_PROVIDER); completes once it is written. */
    CompletableFuture<Void> send(KadMessage.PeerInfo peer, KadMessage message);
}
