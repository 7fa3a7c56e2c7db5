package io.ggen.p2p.holepunch;

import io.ggen.p2p.core.Connection;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The host's side of a simultaneous open: {@code NettyHost.holePunchDialer()}. */
public interface HolePunchDialer {
    /**
     * Dials {@code addr} from the listening port.
     *
     * @param asClient lead the connection upgrade (the spec's A) or answer it (B)
     */
    CompletableFuture<Connection> dial(Multiaddr addr, PeerId peer, boolean asClient);

    /**
     * Tells the host that, for {@code within}, a connection accepted from one of {@code from}
     * is {@code peer}'s half of the simultaneous open and must be upgraded in the role the round
     * gave us. Needed because either side's SYN can reach the other's listener before the
     * other's own SYN leaves; that side's listener would otherwise answer as a server even when
     * the round made it the client, and two servers wait on each other until the dial times out.
     */
    void expect(List<Multiaddr> from, PeerId peer, boolean asClient, Duration within);
}
