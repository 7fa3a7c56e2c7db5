package io.ggen.p2p.autonat;

import io.ggen.p2p.core.Event.Reachability;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What AutoNAT answers add up to, with no I/O: the latest answer of each server (so one server
 * asked often counts once), for the node and for each tested address. The node is
 * {@link Reachability#PUBLIC} when at least {@code confirmations} servers reached it and more
 * reached it than failed to; {@link Reachability#PRIVATE} when at least {@code confirmations}
 * failed and more failed than reached it; {@link Reachability#UNKNOWN} otherwise. The
 * confidence is the number of servers that agree. Answers older than {@code ttl} no longer
 * count. Bounded: {@link #MAX_SERVERS} servers per verdict, {@link #MAX_ADDRS} addresses.
 */
public final class ReachabilityTracker {
    public static final int MAX_SERVERS = 16;
    public static final int MAX_ADDRS = 64;

    /** A verdict and how many servers agree with it. */
    public record Verdict(Reachability reachability, int confidence) {
        public static final Verdict UNKNOWN = new Verdict(Reachability.UNKNOWN, 0);

        public Verdict {
            Objects.requireNonNull(reachability, "reachability");
        }
    }

    private record Answer(boolean reachable, Instant at) {}

    private final int confirmations;
    private final Duration ttl;
    private final Votes node = new Votes();
    private final Map<Multiaddr, Votes> addrs = new LinkedHashMap<>(16, 0.75f, true);

    private final class Votes {
        final Map<PeerId, Answer> byServer = new LinkedHashMap<>();
        Verdict verdict = Verdict.UNKNOWN;

        /** Records an answer; the new verdict when it changed. */
        Optional<Verdict> add(PeerId server, boolean reachable, Instant now) {
            byServer.remove(server);
            byServer.put(server, new Answer(reachable, now));
            while (byServer.size() > MAX_SERVERS) {
                Iterator<PeerId> it = byServer.keySet().iterator();
                it.next();
                it.remove();
            }
            return recompute(now);
        }

        Optional<Verdict> recompute(Instant now) {
            byServer.values().removeIf(a -> a.at().plus(ttl).isBefore(now));
            int yes = 0;
            int no = 0;
            for (Answer a : byServer.values()) {
                if (a.reachable()) yes++;
                else no++;
            }
            Verdict v;
            if (yes >= confirmations && yes > no) v = new Verdict(Reachability.PUBLIC, yes);
            else if (no >= confirmations && no > yes) v = new Verdict(Reachability.PRIVATE, no);
            else v = Verdict.UNKNOWN;
            if (v.equals(verdict)) return Optional.empty();
            verdict = v;
            return Optional.of(v);
        }
    }

    /**
     * @param confirmations servers that must agree before a verdict (the spec suggests more than
     *     3 in a large network)
     * @param ttl how long an answer counts
     */
    public ReachabilityTracker(int confirmations, Duration ttl) {
        if (confirmations < 1) throw new IllegalArgumentException("confirmations must be at least 1");
        this.confirmations = confirmations;
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    /** Records a server's answer about the node; the node's new verdict when it changed. */
    public synchronized Optional<Verdict> recordNode(PeerId server, boolean reachable, Instant now) {
        return node.add(server, reachable, now);
    }

    /** Records a server's answer about one address; that address's new verdict when it changed. */
    public synchronized Optional<Verdict> recordAddress(Multiaddr addr, PeerId server, boolean reachable, Instant now) {
        Votes v = addrs.get(addr);
        if (v == null) {
            if (addrs.size() >= MAX_ADDRS) {
                Iterator<Multiaddr> it = addrs.keySet().iterator();
                it.next();
                it.remove();
            }
            v = new Votes();
            addrs.put(addr, v);
        }
        return v.add(server, reachable, now);
    }

    /** Drops answers past their time; the node's new verdict when that changed it. */
    public synchronized Optional<Verdict> expire(Instant now) {
        for (Votes v : addrs.values()) v.recompute(now);
        return node.recompute(now);
    }

    public synchronized Verdict node() {
        return node.verdict;
    }

    public synchronized Verdict address(Multiaddr addr) {
        Votes v = addrs.get(addr);
        return v == null ? Verdict.UNKNOWN : v.verdict;
    }

    /** Every tested address and its verdict, most recently tested last. */
    public synchronized Map<Multiaddr, Verdict> addresses() {
        Map<Multiaddr, Verdict> out = new LinkedHashMap<>();
        addrs.forEach((a, v) -> out.put(a, v.verdict));
        return out;
    }
}
