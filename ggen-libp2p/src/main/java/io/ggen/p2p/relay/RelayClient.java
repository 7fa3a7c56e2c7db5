package io.ggen.p2p.relay;

import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.ConnectionLimit;
import io.ggen.p2p.core.Direction;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.HostException;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.relay.RelayMessage.Connect;
import io.ggen.p2p.relay.RelayMessage.HopStatus;
import io.ggen.p2p.relay.RelayMessage.PeerInfo;
import io.ggen.p2p.relay.RelayMessage.Reserve;
import io.ggen.p2p.relay.RelayMessage.Status;
import io.ggen.p2p.relay.RelayMessage.StopConnect;
import io.ggen.p2p.relay.RelayMessage.StopStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of Circuit Relay v2, always on in a host: dials {@code /p2p-circuit}
 * addresses through a relay's hop protocol, makes reservations, and answers the relay's stop
 * streams for peers that connect to us through a relay we reserved with. Circuits become
 * connections of the host through the {@link CircuitUpgrader}.
 */
public final class RelayClient {
    private static final Logger log = LoggerFactory.getLogger(RelayClient.class);
    /** Relays we hold reservations with at once, at most. */
    public static final int MAX_RESERVATIONS = 8;

    /** A reservation we hold. */
    public record HeldReservation(PeerId relay, Instant expires, List<Multiaddr> relayAddrs, Optional<ConnectionLimit> limit) {
        public HeldReservation {
            relayAddrs = List.copyOf(relayAddrs);
        }

        /** Our addresses through this relay: {@code <relay addr>/p2p-circuit} (identify adds nothing more). */
        public List<Multiaddr> circuitAddrs() {
            return relayAddrs.stream().map(a -> a.encapsulate(Multiaddr.fromString("/p2p-circuit"))).toList();
        }
    }

    private final Host host;
    private final CircuitUpgrader upgrader;
    private final Duration timeout;
    private final Map<PeerId, HeldReservation> reservations = new ConcurrentHashMap<>();

    public RelayClient(Host host, CircuitUpgrader upgrader, Duration timeout) {
        this.host = host;
        this.upgrader = upgrader;
        this.timeout = timeout;
    }

    public void start() {
        host.handle(RelayCodec.STOP_PROTOCOL, this::serveStop);
    }

    public Map<PeerId, HeldReservation> reservations() {
        return Map.copyOf(reservations);
    }

    /** Forgets the reservation with {@code relay} (it disconnected, or we gave it up). */
    public void forget(PeerId relay) {
        reservations.remove(relay);
    }

    /** Our relayed addresses, from the reservations still valid. */
    public List<Multiaddr> circuitAddrs() {
        Instant now = Instant.now();
        List<Multiaddr> out = new ArrayList<>();
        for (HeldReservation r : reservations.values()) if (r.expires().isAfter(now)) out.addAll(r.circuitAddrs());
        return out;
    }

    // ------------------------------------------------------------------ reservations

    /**
     * Asks {@code relay} (connected directly) for a reservation, or refreshes ours. The voucher,
     * when sent, must be the relay's signature for us with the announced expiry: a relay that
     * lies in it gets no reservation from us.
     */
    public HeldReservation reserve(PeerId relay) throws IOException {
        Connection conn = direct(relay).orElseThrow(() -> new HostException("not connected directly to relay " + relay));
        if (!reservations.containsKey(relay) && reservations.size() >= MAX_RESERVATIONS) {
            throw new HostException("already " + MAX_RESERVATIONS + " reservations");
        }
        Stream s = open(conn);
        try {
            s.setDeadline(Instant.now().plus(timeout));
            RelayCodec.write(s.out(), new Reserve());
            Optional<RelayMessage.Hop> m = RelayCodec.readHop(s.in());
            if (m.isEmpty() || !(m.get() instanceof HopStatus st)) throw new RelayProtocolException("relay " + relay + " did not answer the reservation");
            if (st.status() != Status.OK) throw new RelayRefusedException(st.status(), "relay " + relay + " refused the reservation: " + st.status());
            RelayMessage.Reservation r = st.reservation().orElseThrow(() -> new RelayProtocolException("relay " + relay + " accepted without a reservation"));
            long now = Instant.now().getEpochSecond();
            if (r.expireEpochSeconds() <= now) throw new RelayProtocolException("relay " + relay + " gave a reservation that has already expired");
            if (r.voucher().isPresent()) {
                ReservationVoucher v = ReservationVoucher.open(r.voucher().get());
                if (!v.relay().equals(relay)) throw new RelayProtocolException("voucher names relay " + v.relay() + ", not " + relay);
                if (!v.peer().equals(host.peerId())) throw new RelayProtocolException("voucher is for " + v.peer() + ", not for us");
                if (v.expiration() != r.expireEpochSeconds()) throw new RelayProtocolException("voucher expires at " + v.expiration() + ", the reservation at " + r.expireEpochSeconds());
            }
            List<Multiaddr> addrs = new ArrayList<>();
            for (Multiaddr a : r.addrs()) {
                // Only the relay's own direct addresses: a relay cannot make us advertise someone else.
                if (a.peerId().filter(relay::equals).isPresent() && !CircuitAddress.isCircuit(a)) addrs.add(a);
            }
            if (addrs.isEmpty()) addrs.add(conn.remoteAddr().withPeerId(relay));
            HeldReservation held = new HeldReservation(relay, Instant.ofEpochSecond(r.expireEpochSeconds()), addrs, st.limit());
            reservations.put(relay, held);
            return held;
        } finally {
            s.close();
        }
    }

    // ------------------------------------------------------------------ dialing

    /** Dials {@code addr} ({@code .../p2p/<relay>/p2p-circuit/p2p/<target>}) through the relay. */
    public CompletableFuture<Connection> dial(Multiaddr addr) {
        CompletableFuture<Connection> out = new CompletableFuture<>();
        Thread.ofVirtual().name("relay-dial").start(() -> {
            try {
                out.complete(dialBlocking(addr));
            } catch (Exception e) {
                out.completeExceptionally(e instanceof HostException ? e : new HostException("relayed dial of " + addr + " failed: " + e.getMessage(), e));
            }
        });
        return out;
    }

    private Connection dialBlocking(Multiaddr addr) throws Exception {
        CircuitAddress ca = CircuitAddress.parse(addr).orElseThrow(() -> new HostException("not a relayed address we can dial: " + addr));
        PeerId target = ca.target().orElseThrow(() -> new HostException("relayed address names no peer: " + addr));
        if (target.equals(host.peerId())) throw new HostException("refusing to dial ourselves through a relay");
        Connection relayConn = direct(ca.relay()).orElse(null);
        if (relayConn == null) {
            relayConn = host.dialAddress(ca.relayAddr()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (relayConn.relayed()) throw new HostException("relay " + ca.relay() + " is itself reachable only through a relay");
        }
        Stream s = open(relayConn);
        Optional<ConnectionLimit> limit;
        try {
            s.setDeadline(Instant.now().plus(timeout));
            RelayCodec.write(s.out(), new Connect(new PeerInfo(target, List.of())));
            Optional<RelayMessage.Hop> m = RelayCodec.readHop(s.in());
            if (m.isEmpty() || !(m.get() instanceof HopStatus st)) throw new RelayProtocolException("relay " + ca.relay() + " did not answer CONNECT");
            if (st.status() != Status.OK) throw new RelayRefusedException(st.status(), "relay " + ca.relay() + " could not connect us to " + target + ": " + st.status());
            limit = st.limit();
            s.setDeadline(null);
        } catch (Exception e) {
            s.reset();
            throw e;
        }
        return upgrader.upgradeCircuit(s, Direction.OUTBOUND, target, ca.circuitBase(), limit).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ stop

    void serveStop(Stream stream) throws IOException {
        Connection fromRelay = stream.connection();
        PeerId relay = fromRelay.remotePeer();
        stream.setDeadline(Instant.now().plus(timeout));
        HeldReservation held = reservations.get(relay);
        if (held == null || fromRelay.relayed()) {
            // Only relays we reserved with may hand us connections.
            RelayCodec.write(stream.out(), new StopStatus(Status.PERMISSION_DENIED));
            return;
        }
        Optional<RelayMessage.Stop> m;
        try {
            m = RelayCodec.readStop(stream.in());
        } catch (RelayProtocolException e) {
            RelayCodec.write(stream.out(), new StopStatus(Status.MALFORMED_MESSAGE));
            return;
        }
        if (m.isEmpty()) return;
        if (!(m.get() instanceof StopConnect c)) {
            RelayCodec.write(stream.out(), new StopStatus(Status.UNEXPECTED_MESSAGE));
            return;
        }
        PeerId remote = c.peer().id();
        if (remote.equals(host.peerId())) {
            RelayCodec.write(stream.out(), new StopStatus(Status.CONNECTION_FAILED));
            return;
        }
        RelayCodec.write(stream.out(), new StopStatus(Status.OK));
        stream.setDeadline(null);
        Multiaddr remoteAddr = fromRelay.remoteAddr().withPeerId(relay).encapsulate(Multiaddr.fromString("/p2p-circuit"));
        Connection conn;
        try {
            conn = upgrader.upgradeCircuit(stream, Direction.INBOUND, remote, remoteAddr, c.limit()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.debug("relayed connection from {} via {} failed its upgrade: {}", remote, relay, e.toString());
            stream.reset();
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.reset();
            return;
        }
        // The stream is the connection now: this handler returns (and lets the host close it) only when it is gone.
        conn.closed().join();
    }

    private Optional<Connection> direct(PeerId peer) {
        return host.connections(peer).stream().filter(c -> c.isOpen() && !c.relayed()).findFirst();
    }

    private Stream open(Connection conn) throws IOException {
        try {
            return conn.newStream(List.of(RelayCodec.HOP_PROTOCOL)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new HostException("relay " + conn.remotePeer() + " does not serve " + RelayCodec.HOP_PROTOCOL + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new HostException("relay " + conn.remotePeer() + " did not open a hop stream in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException("interrupted", e);
        }
    }
}
