package io.ggen.p2p.core;

import io.ggen.p2p.crypto.PeerId;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The bytes a host moves on its streams (protocol payload after multistream negotiation), in
 * total, per protocol and per peer, with current rates. The host counts; the node, its status and
 * its metrics read. Counting is lock-free (one {@link LongAdder} add per read or write).
 *
 * <p>Rates are recomputed by {@link #tick}, which the host runs every second: each is an
 * exponentially weighted mean of the per-tick rates with a time constant of
 * {@link #RATE_WINDOW}, so a burst shows at once and fades within some seconds after it ends.
 *
 * <p>Bounded: at most {@link #MAX_PROTOCOLS} protocols (further ones are counted under
 * {@link #OTHER_PROTOCOL}) and {@link #MAX_PEERS} peers. A peer that is not connected and has
 * moved no byte for {@link #FORGET_AFTER} is forgotten at the next tick, and beyond the bound
 * the disconnected peers idle longest go first.
 */
public final class BandwidthMeter {
    public static final int MAX_PROTOCOLS = 256;
    public static final int MAX_PEERS = 4096;
    public static final String OTHER_PROTOCOL = "other";
    public static final Duration FORGET_AFTER = Duration.ofHours(1);
    public static final Duration RATE_WINDOW = Duration.ofSeconds(10);

    /** Bytes in and out so far, and the current rates in bytes per second. */
    public record Totals(long bytesIn, long bytesOut, double rateIn, double rateOut) {
        public static final Totals ZERO = new Totals(0, 0, 0, 0);
    }

    /** One counted flow (the total, a protocol, or a peer). */
    private static final class Flow {
        final LongAdder in = new LongAdder();
        final LongAdder out = new LongAdder();
        /** Read and written under the meter's tick lock only; volatile for readers elsewhere. */
        volatile double rateIn;
        volatile double rateOut;
        long lastIn;
        long lastOut;
        /** Bytes both ways at the last tick: a change is activity. */
        long seen;
        volatile long lastActiveNanos;
        /**
         * When this flow was made, among the others: activity is only stamped per tick, so peers
         * first heard from between two ticks share a stamp, and eviction among them keeps the newest.
         */
        final long creationOrder;

        Flow(long now, long creationOrder) {
            lastActiveNanos = now;
            this.creationOrder = creationOrder;
        }

        Totals totals() {
            return new Totals(in.sum(), out.sum(), rateIn, rateOut);
        }

        /** @param seconds since the last tick; 0 updates only the activity (no rate from no interval) */
        void tick(double seconds, double weight, long now) {
            long i = in.sum();
            long o = out.sum();
            if (i + o != seen) {
                seen = i + o;
                lastActiveNanos = now;
            }
            if (seconds <= 0) return;
            rateIn += ((i - lastIn) / seconds - rateIn) * weight;
            rateOut += ((o - lastOut) / seconds - rateOut) * weight;
            lastIn = i;
            lastOut = o;
        }
    }

    private final LongSupplier nanoClock;
    private final Flow total;
    private final Map<String, Flow> byProtocol = new ConcurrentHashMap<>();
    private final Map<PeerId, Flow> byPeer = new ConcurrentHashMap<>();
    private final Object tickLock = new Object();
    private final AtomicLong flowsMade = new AtomicLong();
    private long lastTickNanos;

    public BandwidthMeter() {
        this(System::nanoTime);
    }

    /** @param nanoClock a monotonic clock in nanoseconds (tests drive their own) */
    public BandwidthMeter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        this.total = new Flow(now, flowsMade.getAndIncrement());
        this.lastTickNanos = now;
    }

    /**
     * The counters of one stream: its peer's, its protocol's and the total, looked up once, so
     * each read or write adds to three counters and looks nothing up.
     */
    public final class StreamCounter {
        private final Flow peer;
        private final Flow protocol;

        private StreamCounter(Flow peer, Flow protocol) {
            this.peer = peer;
            this.protocol = protocol;
        }

        public void received(long bytes) {
            if (bytes <= 0) return;
            total.in.add(bytes);
            protocol.in.add(bytes);
            peer.in.add(bytes);
        }

        public void sent(long bytes) {
            if (bytes <= 0) return;
            total.out.add(bytes);
            protocol.out.add(bytes);
            peer.out.add(bytes);
        }
    }

    /** Counters for a stream of {@code protocol} with {@code peer}. */
    public StreamCounter stream(PeerId peer, String protocol) {
        return new StreamCounter(peerFlow(peer), protocolFlow(protocol));
    }

    /** {@code bytes} arrived from {@code peer} on a stream of {@code protocol}. */
    public void received(PeerId peer, String protocol, long bytes) {
        if (bytes <= 0) return;
        total.in.add(bytes);
        protocolFlow(protocol).in.add(bytes);
        peerFlow(peer).in.add(bytes);
    }

    /** {@code bytes} were written to {@code peer} on a stream of {@code protocol}. */
    public void sent(PeerId peer, String protocol, long bytes) {
        if (bytes <= 0) return;
        total.out.add(bytes);
        protocolFlow(protocol).out.add(bytes);
        peerFlow(peer).out.add(bytes);
    }

    private Flow protocolFlow(String protocol) {
        Flow f = byProtocol.get(protocol);
        if (f != null) return f;
        String key = byProtocol.size() < MAX_PROTOCOLS ? protocol : OTHER_PROTOCOL;
        return byProtocol.computeIfAbsent(key, k -> new Flow(nanoClock.getAsLong(), flowsMade.getAndIncrement()));
    }

    private Flow peerFlow(PeerId peer) {
        Flow f = byPeer.get(peer);
        if (f != null) return f;
        // Over the bound until the next tick trims it: by at most the peers that appear in one
        // second, which the connection limits bound in turn.
        return byPeer.computeIfAbsent(peer, k -> new Flow(nanoClock.getAsLong(), flowsMade.getAndIncrement()));
    }

    /**
     * Recomputes the rates, and forgets peers that are not connected and idle for
     * {@link #FORGET_AFTER} (or, beyond {@link #MAX_PEERS}, the disconnected ones idle longest).
     */
    public void tick(Predicate<PeerId> connected) {
        synchronized (tickLock) {
            long now = nanoClock.getAsLong();
            long elapsed = Math.max(0, now - lastTickNanos);
            if (elapsed > 0) lastTickNanos = now;
            double seconds = elapsed / 1e9;
            double weight = 1 - Math.exp(-seconds / RATE_WINDOW.toSeconds());
            total.tick(seconds, weight, now);
            for (Flow f : byProtocol.values()) f.tick(seconds, weight, now);
            for (Flow f : byPeer.values()) f.tick(seconds, weight, now);
            long forgetBefore = now - FORGET_AFTER.toNanos();
            byPeer.entrySet().removeIf(e -> e.getValue().lastActiveNanos < forgetBefore && !connected.test(e.getKey()));
            int excess = byPeer.size() - MAX_PEERS;
            if (excess > 0) {
                byPeer.entrySet().stream()
                        .filter(e -> !connected.test(e.getKey()))
                        .sorted(Comparator.<Map.Entry<PeerId, Flow>>comparingLong(e -> e.getValue().lastActiveNanos)
                                .thenComparingLong(e -> e.getValue().creationOrder))
                        .limit(excess)
                        .map(Map.Entry::getKey)
                        .toList()
                        .forEach(byPeer::remove);
            }
        }
    }

    public Totals total() {
        return total.totals();
    }

    /** A copy, sorted by protocol id. */
    public Map<String, Totals> byProtocol() {
        Map<String, Totals> out = new LinkedHashMap<>();
        byProtocol.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.put(e.getKey(), e.getValue().totals()));
        return out;
    }

    /** What {@code peer} moved, while the meter remembers it. */
    public Optional<Totals> peer(PeerId peer) {
        Flow f = byPeer.get(peer);
        return f == null ? Optional.empty() : Optional.of(f.totals());
    }

    /** Peers counted now (at most about {@link #MAX_PEERS}). */
    public int peerCount() {
        return byPeer.size();
    }
}
