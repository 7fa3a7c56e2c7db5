package io.ggen.p2p.relay;

import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.ConnectionLimit;
import io.ggen.p2p.core.Direction;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a circuit (a hop or stop stream through a relay that now carries the two peers' bytes)
 * into a connection of the host: secured and multiplexed like a TCP connection, marked relayed.
 * The host implements it; the relay client knows nothing of how.
 */
public interface CircuitUpgrader {
    /**
     * @param circuit the stream whose bytes are the relayed connection; owned by the connection from now on
     * @param direction {@code OUTBOUND}: we dialed and lead the security handshake
     * @param remote the peer at the other end, which the handshake must prove
     * @param remoteAddr the relayed address of the remote ({@code .../p2p-circuit})
     * @param limit what the relay allows on it
     */
    CompletableFuture<Connection> upgradeCircuit(Stream circuit, Direction direction, PeerId remote, Multiaddr remoteAddr,
            Optional<ConnectionLimit> limit);
}
