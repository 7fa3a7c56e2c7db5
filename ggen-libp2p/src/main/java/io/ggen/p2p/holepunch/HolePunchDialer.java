package io.ggen.p2p.holepunch;

import io.ggen.p2p.core.Connection;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.util.concurrent.CompletableFuture;

/** Dials from the listening port for a simultaneous open; {@code NettyHost::dialForHolePunch}. */
@FunctionalInterface
public interface HolePunchDialer {
    /** @param asClient lead the connection upgrade (the spec's A) or answer it (B) */
    CompletableFuture<Connection> dial(Multiaddr addr, PeerId peer, boolean asClient);
}
