package io.ggen.p2p.kad;

import io.ggen.p2p.crypto.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The iterative lookup of the kad-dht spec as a state machine, without I/O: it says which peers
 * to ask next ({@link #next}) and is told their answers ({@link #succeeded}, {@link #failed}).
 * At most {@code alpha} requests are in flight; no peer is asked twice; the lookup is done when
 * the k closest peers it knows have all answered (or nobody is left to ask). The caller may stop
 * it earlier (enough values or providers). The node's network code and the 10,000-node
 * simulation drive the same class.
 */
public final class Lookup {
    enum PeerState { WAITING, IN_FLIGHT, SUCCEEDED, FAILED }

    private static final class Candidate {
        final KadMessage.PeerInfo info;
        final KadKey key;
        final int depth;
        PeerState state = PeerState.WAITING;

        Candidate(KadMessage.PeerInfo info, KadKey key, int depth) {
            this.info = info;
            this.key = key;
            this.depth = depth;
        }
    }

    private final KadKey target;
    private final PeerId self;
    private final int k;
    private final int alpha;
    private final int maxCandidates;
    private final TreeMap<KadKey, Candidate> byDistance;
    private final Map<PeerId, Candidate> byPeer = new HashMap<>();
    private int inFlight;
    private int requests;
    private int failures;
    private boolean stopped;

    public Lookup(KadKey target, PeerId self, List<KadMessage.PeerInfo> seeds, int k, int alpha) {
        if (alpha < 1 || alpha > 10) throw new IllegalArgumentException("alpha must be 1..10");
        this.target = target;
        this.self = self;
        this.k = k;
        this.alpha = alpha;
        // Bounded: a lookup keeps only the closest candidates it has heard of.
        this.maxCandidates = Math.max(k * 8, 64);
        this.byDistance = new TreeMap<>(target.byDistance());
        for (KadMessage.PeerInfo p : seeds) offer(p, 0);
    }

    private void offer(KadMessage.PeerInfo p, int depth) {
        if (p.id().equals(self) || byPeer.containsKey(p.id())) return;
        KadKey key = KadKey.of(p.id());
        Candidate c = new Candidate(p, key, depth);
        byDistance.put(key, c);
        byPeer.put(p.id(), c);
        while (byDistance.size() > maxCandidates) {
            // drop the farthest that has not been asked
            KadKey far = null;
            for (KadKey kk : byDistance.descendingKeySet()) {
                if (byDistance.get(kk).state == PeerState.WAITING) {
                    far = kk;
                    break;
                }
            }
            if (far == null) break;
            byPeer.remove(byDistance.remove(far).info.id());
        }
    }

    /** Peers to ask now (marked in flight), keeping at most alpha requests outstanding. */
    public synchronized List<KadMessage.PeerInfo> next() {
        List<KadMessage.PeerInfo> out = new ArrayList<>();
        if (stopped || isDone()) return out;
        int rank = 0;
        for (Candidate c : byDistance.values()) {
            if (inFlight >= alpha) break;
            if (c.state == PeerState.FAILED) continue;
            if (rank++ >= k && inFlight > 0) break; // beyond the k closest only when nothing else is pending
            if (c.state == PeerState.WAITING) {
                c.state = PeerState.IN_FLIGHT;
                inFlight++;
                requests++;
                out.add(c.info);
            }
        }
        return out;
    }

    /** A peer answered with closer peers. Returns the depth (hops) at which that peer was found. */
    public synchronized int succeeded(PeerId from, List<KadMessage.PeerInfo> closer) {
        Candidate c = byPeer.get(from);
        if (c == null || c.state != PeerState.IN_FLIGHT) return -1;
        c.state = PeerState.SUCCEEDED;
        inFlight--;
        for (KadMessage.PeerInfo p : closer) offer(p, c.depth + 1);
        return c.depth;
    }

    public synchronized void failed(PeerId from) {
        Candidate c = byPeer.get(from);
        if (c == null || c.state != PeerState.IN_FLIGHT) return;
        c.state = PeerState.FAILED;
        inFlight--;
        failures++;
    }

    /** Ends the lookup early (the caller has what it wanted). */
    public synchronized void stop() {
        stopped = true;
    }

    /** Done: stopped, or the k closest non-failed candidates have all answered, or nothing is left to ask or await. */
    public synchronized boolean isDone() {
        if (stopped) return true;
        int seen = 0;
        boolean allClosestAnswered = true;
        boolean anyWaiting = false;
        for (Candidate c : byDistance.values()) {
            if (c.state == PeerState.FAILED) continue;
            if (seen++ >= k) break;
            if (c.state != PeerState.SUCCEEDED) allClosestAnswered = false;
            if (c.state == PeerState.WAITING) anyWaiting = true;
        }
        if (allClosestAnswered) return true;
        return !anyWaiting && inFlight == 0;
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    /** The k closest peers that answered, closest first. */
    public synchronized List<KadMessage.PeerInfo> closestSucceeded() {
        List<KadMessage.PeerInfo> out = new ArrayList<>();
        for (Candidate c : byDistance.values()) {
            if (c.state == PeerState.SUCCEEDED) out.add(c.info);
            if (out.size() >= k) break;
        }
        return out;
    }

    /** Hops to the closest peer that answered: how many responses led there (0 = a seed). */
    public synchronized int hops() {
        for (Candidate c : byDistance.values()) if (c.state == PeerState.SUCCEEDED) return c.depth + 1;
        return 0;
    }

    public synchronized int requests() {
        return requests;
    }

    public synchronized int failures() {
        return failures;
    }

    public KadKey target() {
        return target;
    }
}
