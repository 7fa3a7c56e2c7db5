package io.ggen.p2p.holepunch;

import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Direction;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.IdentifyInfo;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.core.Subscription;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.relay.CircuitAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DCUtR ({@code /libp2p/dcutr}): turns a relayed connection into a direct one. The peer that
 * received the relayed connection (the spec's B) first dials the other's public addresses, if it
 * has any (connection reversal); otherwise, up to {@link HolePunchConfig#attempts} rounds, it
 * exchanges CONNECT messages to learn the addresses and the relay's round-trip time, sends SYNC,
 * waits half that time and dials, while the other peer (A) dials as soon as SYNC arrives: TCP's
 * simultaneous open. Both dials leave from the listening port ({@link HolePunchDialer}); A leads
 * the upgrade and B answers it. Once a direct connection exists the host prefers it for new
 * streams and the relayed one is closed after {@link HolePunchConfig#relayGrace}.
 */
public final class HolePunchService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HolePunchService.class);
    private static final int MAX_OUTCOMES = 256;

    /** How the last upgrade with a peer ended, for status output. */
    public record Outcome(PeerId peer, boolean direct, int attempts, String detail, Instant at) {}

    private final Host host;
    private final HolePunchDialer dialer;
    private final HolePunchConfig config;
    private final Supplier<List<Multiaddr>> observedAddrs;
    private final Set<PeerId> running = ConcurrentHashMap.newKeySet();
    private final Set<PeerId> answering = ConcurrentHashMap.newKeySet();
    private final Map<PeerId, Outcome> outcomes = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PeerId, Outcome> e) {
            return size() > MAX_OUTCOMES;
        }
    };
    private final AtomicLong punches = new AtomicLong();
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong connectsAnswered = new AtomicLong();
    private Subscription sub;

    /**
     * @param observedAddrs our addresses as other peers see them (identify), most confirmed first
     */
    public HolePunchService(Host host, HolePunchDialer dialer, HolePunchConfig config, Supplier<List<Multiaddr>> observedAddrs) {
        this.host = host;
        this.dialer = dialer;
        this.config = config;
        this.observedAddrs = observedAddrs;
    }

    public void start() {
        host.handle(HolePunchCodec.PROTOCOL, this::serve);
        sub = host.events().subscribe(Event.PeerIdentified.class, e -> {
            Connection c = e.connection();
            if (c.relayed() && c.direction() == Direction.INBOUND && running.add(c.remotePeer())) {
                Thread.ofVirtual().name("dcutr-" + c.remotePeer().toBase58().substring(0, 12)).start(() -> {
                    try {
                        upgrade(c, e.info());
                    } finally {
                        running.remove(c.remotePeer());
                    }
                });
            }
        });
    }

    @Override
    public void close() {
        host.unhandle(HolePunchCodec.PROTOCOL);
        if (sub != null) sub.close();
    }

    /** Hole-punch rounds started (as either side) since start. */
    public long punches() {
        return punches.get();
    }

    /** CONNECT messages we answered as the responder (A), whatever came of the round. */
    public long connectsAnswered() {
        return connectsAnswered.get();
    }

    /** Rounds that ended with a direct connection. */
    public long successes() {
        return successes.get();
    }

    public Optional<Outcome> outcome(PeerId peer) {
        synchronized (outcomes) {
            return Optional.ofNullable(outcomes.get(peer));
        }
    }

    private void record(Outcome o) {
        synchronized (outcomes) {
            outcomes.put(o.peer(), o);
        }
        log.info("{}: {}", o.peer(), o.detail());
    }

    // ------------------------------------------------------------------ B: the initiator

    void upgrade(Connection relayed, IdentifyInfo info) {
        PeerId peer = relayed.remotePeer();
        if (hasDirect(peer)) return;
        List<Multiaddr> theirs = usable(info.listenAddrs());
        if (!theirs.isEmpty()) {
            // Connection reversal: the peer says it is reachable, so dial it directly.
            Optional<Connection> c = dialAll(theirs, peer, null);
            if (c.isPresent()) {
                done(relayed, c.get(), 0, "direct connection by dialing back an address the peer advertises");
                return;
            }
        }
        String why = "no attempt made";
        for (int attempt = 1; attempt <= config.attempts(); attempt++) {
            if (!relayed.isOpen()) {
                why = "the relayed connection closed";
                break;
            }
            punches.incrementAndGet();
            try {
                Round r = round(relayed, peer);
                if (r.direct().isPresent()) {
                    done(relayed, r.direct().get(), attempt, "direct connection by hole punching, attempt " + attempt);
                    return;
                }
                why = "simultaneous open did not connect";
                // Our dial can fail because the peer's SYN won the race and was accepted as an
                // inbound connection on the same ports; that connection is still in its upgrade.
                // Retrying now would only collide with it, so give it a few round trips first.
                Optional<Connection> inbound = awaitDirect(peer, inboundGrace(r.rttNanos()));
                if (inbound.isPresent()) {
                    done(relayed, inbound.get(), attempt, "direct connection by hole punching, attempt " + attempt + " (the peer's dial arrived first)");
                    return;
                }
            } catch (IOException | RuntimeException e) {
                why = e.getMessage();
            }
            if (hasDirect(peer)) {
                done(relayed, host.connection(peer).orElseThrow(), attempt, "direct connection by hole punching, attempt " + attempt);
                return;
            }
        }
        record(new Outcome(peer, false, config.attempts(), "still relayed after " + config.attempts() + " hole-punch attempts: " + why, Instant.now()));
    }

    /** One DCUtR round's result: the connection our dials made, if any, and the measured round trip. */
    private record Round(Optional<Connection> direct, long rttNanos) {}

    /** Four round trips (a Noise handshake and identify fit), at least 250 ms, at most the dial timeout. */
    private Duration inboundGrace(long rttNanos) {
        long nanos = Math.max(Duration.ofMillis(250).toNanos(), Math.min(rttNanos, Long.MAX_VALUE / 4) * 4);
        return Duration.ofNanos(Math.min(nanos, config.dialTimeout().toNanos()));
    }

    /** A direct connection to {@code peer}, as soon as one opens, within {@code within}. */
    private Optional<Connection> awaitDirect(PeerId peer, Duration within) {
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        Subscription watch = host.events().subscribe(Event.ConnectionOpened.class, e -> {
            Connection c = e.connection();
            if (c.remotePeer().equals(peer) && !c.relayed() && c.isOpen()) opened.complete(c);
        });
        try {
            host.connections(peer).stream().filter(c -> c.isOpen() && !c.relayed()).findFirst().ifPresent(opened::complete);
            return Optional.of(opened.get(within.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return Optional.empty();
        } finally {
            watch.close();
        }
    }

    private Round round(Connection relayed, PeerId peer) throws IOException {
        Stream s = join(relayed.newStream(List.of(HolePunchCodec.PROTOCOL)), config.streamTimeout());
        try {
            s.setDeadline(Instant.now().plus(config.streamTimeout()));
            long t0 = System.nanoTime();
            HolePunchCodec.write(s.out(), new HolePunchMessage.Connect(ours()));
            HolePunchMessage answer = HolePunchCodec.read(s.in()).orElseThrow(() -> new HolePunchException("the peer closed the stream"));
            long rtt = System.nanoTime() - t0;
            if (!(answer instanceof HolePunchMessage.Connect c)) throw new HolePunchException("expected CONNECT, got " + answer);
            List<Multiaddr> theirs = usable(c.addrs());
            dialer.expect(theirs, peer, false, config.streamTimeout());
            HolePunchCodec.write(s.out(), new HolePunchMessage.Sync());
            s.close();
            if (theirs.isEmpty()) {
                // Nothing for us to dial (js-libp2p, for one, offers only addresses it has
                // confirmed), but the SYNC still has the peer dial ours: its half may connect.
                Optional<Connection> theirDial = awaitDirect(peer, config.dialTimeout());
                if (theirDial.isEmpty()) throw new HolePunchException("the peer sent no public address to dial, and its own dial did not reach us");
                return new Round(theirDial, rtt);
            }
            // Half the round trip: our SYN leaves about when the SYNC reaches the peer and its SYN leaves.
            sleepNanos(rtt / 2);
            return new Round(dialAll(theirs, peer, false), rtt);
        } catch (IOException | RuntimeException e) {
            s.reset();
            throw e;
        }
    }

    // ------------------------------------------------------------------ A: the responder

    void serve(Stream s) throws IOException {
        Connection relayed = s.connection();
        if (!relayed.relayed()) {
            s.reset(); // nothing to upgrade on a direct connection
            return;
        }
        PeerId peer = relayed.remotePeer();
        // One round at a time per peer: a peer that opens many streams cannot make us dial more.
        if (!answering.add(peer)) {
            s.reset();
            return;
        }
        try {
            answer(s, relayed, peer);
        } finally {
            answering.remove(peer);
        }
    }

    private void answer(Stream s, Connection relayed, PeerId peer) throws IOException {
        s.setDeadline(Instant.now().plus(config.streamTimeout()));
        HolePunchMessage first = HolePunchCodec.read(s.in()).orElse(null);
        if (!(first instanceof HolePunchMessage.Connect c)) {
            s.reset();
            return;
        }
        List<Multiaddr> theirs = usable(c.addrs());
        // Before our answer leaves: the peer's SYN may reach our listener before we dial.
        dialer.expect(theirs, peer, true, config.streamTimeout());
        HolePunchCodec.write(s.out(), new HolePunchMessage.Connect(ours()));
        connectsAnswered.incrementAndGet();
        HolePunchMessage sync = HolePunchCodec.read(s.in()).orElse(null);
        if (!(sync instanceof HolePunchMessage.Sync)) {
            s.reset();
            return;
        }
        punches.incrementAndGet();
        if (theirs.isEmpty()) return;
        Optional<Connection> direct = dialAll(theirs, peer, true);
        if (direct.isPresent()) done(relayed, direct.get(), 1, "direct connection by hole punching (the peer's round)");
    }

    // ------------------------------------------------------------------ shared

    /**
     * Dials every address at once; the first connection wins. {@code asClient} null: an ordinary
     * dial (connection reversal); otherwise a hole-punch dial from the listening port.
     */
    private Optional<Connection> dialAll(List<Multiaddr> addrs, PeerId peer, Boolean asClient) {
        List<CompletableFuture<io.ggen.p2p.core.Connection>> dials = new ArrayList<>();
        for (Multiaddr a : addrs.subList(0, Math.min(addrs.size(), config.dialsPerAttempt()))) {
            dials.add(asClient == null ? host.dialAddress(a.withPeerId(peer)) : dialer.dial(a, peer, asClient));
        }
        CompletableFuture<Connection> first = new CompletableFuture<>();
        List<CompletableFuture<Void>> settled = new ArrayList<>();
        java.util.Queue<String> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (CompletableFuture<Connection> d : dials) settled.add(d.handle((conn, e) -> {
            if (e != null) errors.add(e.getMessage());
            // a second direct connection from another address: one is enough
            if (conn != null && !first.complete(conn) && conn != first.getNow(null)) conn.close();
            return null;
        }));
        CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> first.complete(null));
        try {
            Optional<Connection> c = Optional.ofNullable(first.get(config.dialTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS));
            if (c.isEmpty() && !errors.isEmpty()) log.debug("{}: hole-punch dials failed: {}", peer, String.join("; ", errors));
            return c;
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private void done(Connection relayed, Connection direct, int attempts, String detail) {
        successes.incrementAndGet();
        record(new Outcome(relayed.remotePeer(), true, attempts, detail + " (" + direct.remoteAddr() + ")", Instant.now()));
        CompletableFuture.delayedExecutor(config.relayGrace().toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (direct.isOpen()) relayed.close();
        });
    }

    private boolean hasDirect(PeerId peer) {
        return host.connections(peer).stream().anyMatch(c -> c.isOpen() && !c.relayed());
    }

    /**
     * The addresses we offer: what peers observe of us, and the same hosts at our listening port
     * (a NAT that keeps source ports maps the hole-punch dial, which leaves from that port, there).
     */
    List<Multiaddr> ours() {
        Set<Multiaddr> out = new LinkedHashSet<>();
        List<Integer> ports = host.listenAddrs().stream().flatMap(a -> a.toTcpSocketAddress().stream()).map(InetSocketAddress::getPort).distinct().toList();
        for (Multiaddr o : observedAddrs.get()) {
            Optional<InetSocketAddress> sa = o.withoutPeerId().toTcpSocketAddress();
            if (sa.isEmpty() || sa.get().isUnresolved() || CircuitAddress.isCircuit(o)) continue;
            for (int p : ports) out.add(Multiaddr.tcp(sa.get().getAddress(), p));
            out.add(Multiaddr.tcp(sa.get().getAddress(), sa.get().getPort()));
        }
        for (Multiaddr l : host.listenAddrs()) out.add(l);
        return usable(new ArrayList<>(out));
    }

    /** Direct TCP addresses we are willing to dial or offer: public ones, unless configured otherwise. */
    List<Multiaddr> usable(List<Multiaddr> addrs) {
        List<Multiaddr> out = new ArrayList<>();
        for (Multiaddr a : addrs) {
            if (out.size() == HolePunchCodec.MAX_ADDRS) break;
            if (CircuitAddress.isCircuit(a)) continue;
            Optional<InetSocketAddress> sa = a.withoutPeerId().toTcpSocketAddress();
            if (sa.isEmpty() || sa.get().isUnresolved() || sa.get().getPort() == 0 || sa.get().getAddress().isAnyLocalAddress()) continue;
            if (!config.allowNonPublicAddrs() && !config.classifier().isPublic(a)) continue;
            Multiaddr bare = a.withoutPeerId();
            if (!out.contains(bare)) out.add(bare);
        }
        return out;
    }

    private static <T> T join(CompletableFuture<T> f, Duration timeout) throws IOException {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IOException(e.getCause() != null ? e.getCause().getMessage() : e.toString(), e);
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(Math.min(nanos, TimeUnit.SECONDS.toNanos(5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
