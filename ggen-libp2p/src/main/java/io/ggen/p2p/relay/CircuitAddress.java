package io.ggen.p2p.relay;

import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.multiaddr.Protocol;
import java.util.List;
import java.util.Optional;

/**
 * A relayed address, {@code <relay address>/p2p/<relay>/p2p-circuit[/p2p/<target>]}, taken apart.
 *
 * @param relayAddr the relay's own address, ending in {@code /p2p/<relay>}
 * @param relay the relay's id
 * @param target the peer reached through it, when the address names one
 */
public record CircuitAddress(Multiaddr relayAddr, PeerId relay, Optional<PeerId> target) {

    /** True when {@code addr} goes through a relay. */
    public static boolean isCircuit(Multiaddr addr) {
        return addr.components().stream().anyMatch(c -> c.protocol() == Protocol.P2P_CIRCUIT);
    }

    /** Takes a relayed address apart; empty when it is not one we can dial (one hop, relay id given). */
    public static Optional<CircuitAddress> parse(Multiaddr addr) {
        List<Multiaddr.Component> cs = addr.components();
        int at = -1;
        for (int i = 0; i < cs.size(); i++) {
            if (cs.get(i).protocol() == Protocol.P2P_CIRCUIT) {
                if (at >= 0) return Optional.empty(); // relays of relays are not spoken
                at = i;
            }
        }
        if (at < 1) return Optional.empty();
        Multiaddr relayAddr = Multiaddr.fromComponents(cs.subList(0, at));
        Optional<PeerId> relay = relayAddr.peerId();
        if (relay.isEmpty() || CircuitAddress.isCircuit(relayAddr)) return Optional.empty();
        List<Multiaddr.Component> rest = cs.subList(at + 1, cs.size());
        Optional<PeerId> target = Optional.empty();
        if (rest.size() == 1 && rest.get(0).protocol() == Protocol.P2P) target = Optional.of(PeerId.fromBytes(rest.get(0).value()));
        else if (!rest.isEmpty()) return Optional.empty();
        return Optional.of(new CircuitAddress(relayAddr, relay.get(), target));
    }

    /** {@code relayAddr/p2p-circuit}: how a peer holding a reservation here is advertised (plus its own /p2p). */
    public Multiaddr circuitBase() {
        return relayAddr.encapsulate(Multiaddr.fromString("/p2p-circuit"));
    }
}
