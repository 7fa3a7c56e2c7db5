package io.ggen.p2p.holepunch;

import io.ggen.p2p.multiaddr.Multiaddr;
import java.util.List;

/** The two messages of DCUtR. */
public sealed interface HolePunchMessage {
    /** The sender's addresses to dial (observed, possibly predicted). */
    record Connect(List<Multiaddr> addrs) implements HolePunchMessage {
        public Connect {
            addrs = List.copyOf(addrs);
        }
    }

    /** The initiator's signal to dial now. */
    record Sync() implements HolePunchMessage {}
}
