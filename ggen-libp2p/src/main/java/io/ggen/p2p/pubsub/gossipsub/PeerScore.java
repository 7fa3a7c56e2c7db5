package io.ggen.p2p.pubsub.gossipsub;

import io.ggen.p2p.crypto.PeerId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Peer scores of gossipsub v1.1 (P1-P7), updated by the router and decayed every heartbeat. Not
 * thread-safe: the router owns it under its lock. Disconnected peers' scores are kept for a while
 * (so leaving and coming back does not wash a bad score), within a bound.
 */
final class PeerScore {
    static final int MAX_RETAINED = 10_000;

    private static final class TopicStats {
        boolean inMesh;
        long meshSinceMillis;
        double firstDeliveries;
        double meshDeliveries;
        double meshFailurePenalty;
        double invalidDeliveries;
    }

    private static final class Stats {
        final Map<String, TopicStats> topics = new HashMap<>();
        double behaviourPenalty;
        String ip;
        boolean connected = true;
        int heartbeatsSinceDisconnect;
        /** The application's score as of the last heartbeat (P5). */
        double app;
    }

    private final PeerScoreParams params;
    private final Map<PeerId, Stats> peers = new HashMap<>();
    private final Map<String, Integer> peersPerIp = new HashMap<>();
    private volatile ToDoubleFunction<PeerId> appScore = p -> 0;

    PeerScore(PeerScoreParams params) {
        this.params = params;
    }

    /**
     * The application's opinion is asked when a peer is added and at every heartbeat, never
     * while a message is handled: it may read a database, and messages are handled on I/O threads.
     */
    void setAppScore(ToDoubleFunction<PeerId> f) {
        appScore = f;
        for (Map.Entry<PeerId, Stats> e : peers.entrySet()) e.getValue().app = app(e.getKey());
    }

    private double app(PeerId p) {
        try {
            double v = appScore.applyAsDouble(p);
            return Double.isFinite(v) ? v : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    void addPeer(PeerId p, String ip) {
        Stats s = peers.computeIfAbsent(p, x -> new Stats());
        s.app = app(p);
        s.connected = true;
        s.heartbeatsSinceDisconnect = 0;
        if (s.ip != null) peersPerIp.computeIfPresent(s.ip, (k, n) -> n <= 1 ? null : n - 1);
        s.ip = ip;
        if (ip != null) peersPerIp.merge(ip, 1, Integer::sum);
        while (peers.size() > MAX_RETAINED) {
            PeerId oldest = peers.entrySet().stream().filter(e -> !e.getValue().connected)
                    .max((a, b) -> Integer.compare(a.getValue().heartbeatsSinceDisconnect, b.getValue().heartbeatsSinceDisconnect))
                    .map(Map.Entry::getKey).orElse(null);
            if (oldest == null) break;
            peers.remove(oldest);
        }
    }

    void removePeer(PeerId p, long now) {
        Stats s = peers.get(p);
        if (s == null) return;
        s.connected = false;
        if (s.ip != null) peersPerIp.computeIfPresent(s.ip, (k, n) -> n <= 1 ? null : n - 1);
        s.ip = null;
        for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
            if (e.getValue().inMesh) leftMesh(e.getKey(), e.getValue(), now);
        }
    }

    private TopicStats topic(PeerId p, String topic) {
        Stats s = peers.computeIfAbsent(p, x -> new Stats());
        return s.topics.computeIfAbsent(topic, t -> new TopicStats());
    }

    void graft(PeerId p, String topic, long now) {
        TopicStats t = topic(p, topic);
        t.inMesh = true;
        t.meshSinceMillis = now;
    }

    void prune(PeerId p, String topic, long now) {
        TopicStats t = topic(p, topic);
        if (t.inMesh) leftMesh(topic, t, now);
    }

    private void leftMesh(String topic, TopicStats t, long now) {
        t.inMesh = false;
        // P3b: a peer that leaves the mesh with a delivery deficit keeps it as a penalty, once
        // the deficit counts at all (after the activation window, as for P3).
        TopicScoreParams tp = params.topic(topic);
        if (tp.meshFailurePenaltyWeight() == 0 || !meshDeliveriesActive(tp, t, now)) return;
        double deficit = tp.meshMessageDeliveriesThreshold() - t.meshDeliveries;
        if (deficit > 0) t.meshFailurePenalty += deficit * deficit;
    }

    private static boolean meshDeliveriesActive(TopicScoreParams tp, TopicStats t, long now) {
        return (now - t.meshSinceMillis) / 1000.0 > tp.meshMessageDeliveriesActivationSeconds();
    }

    void firstDelivery(PeerId p, String topic) {
        TopicStats t = topic(p, topic);
        TopicScoreParams tp = params.topic(topic);
        t.firstDeliveries = Math.min(tp.firstMessageDeliveriesCap(), t.firstDeliveries + 1);
        if (t.inMesh) t.meshDeliveries = Math.min(tp.meshMessageDeliveriesCap(), t.meshDeliveries + 1);
    }

    void duplicateDelivery(PeerId p, String topic) {
        TopicStats t = topic(p, topic);
        if (t.inMesh) t.meshDeliveries = Math.min(params.topic(topic).meshMessageDeliveriesCap(), t.meshDeliveries + 1);
    }

    void invalidMessage(PeerId p, String topic) {
        topic(p, topic).invalidDeliveries += 1;
    }

    void behaviourPenalty(PeerId p, double amount) {
        peers.computeIfAbsent(p, x -> new Stats()).behaviourPenalty += amount;
    }

    double score(PeerId p, long now) {
        Stats s = peers.get(p);
        if (s == null) return 0;
        double topicsTotal = 0;
        for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
            TopicScoreParams tp = params.topic(e.getKey());
            TopicStats t = e.getValue();
            double ts = 0;
            if (t.inMesh) {
                double quanta = (now - t.meshSinceMillis) / 1000.0 / tp.timeInMeshQuantumSeconds();
                ts += tp.timeInMeshWeight() * Math.min(quanta, tp.timeInMeshCap());
            }
            ts += tp.firstMessageDeliveriesWeight() * t.firstDeliveries;
            if (t.inMesh && tp.meshMessageDeliveriesWeight() != 0 && meshDeliveriesActive(tp, t, now)
                    && t.meshDeliveries < tp.meshMessageDeliveriesThreshold()) {
                double deficit = tp.meshMessageDeliveriesThreshold() - t.meshDeliveries;
                ts += tp.meshMessageDeliveriesWeight() * deficit * deficit;
            }
            ts += tp.meshFailurePenaltyWeight() * t.meshFailurePenalty;
            ts += tp.invalidMessageDeliveriesWeight() * t.invalidDeliveries * t.invalidDeliveries;
            topicsTotal += tp.topicWeight() * ts;
        }
        if (params.topicScoreCap() > 0) topicsTotal = Math.min(topicsTotal, params.topicScoreCap());
        double score = topicsTotal;
        score += params.appSpecificWeight() * s.app;
        if (s.ip != null) {
            int n = peersPerIp.getOrDefault(s.ip, 0);
            if (n > params.ipColocationFactorThreshold()) {
                double surplus = n - params.ipColocationFactorThreshold();
                score += params.ipColocationFactorWeight() * surplus * surplus;
            }
        }
        if (s.behaviourPenalty > params.behaviourPenaltyThreshold()) {
            double excess = s.behaviourPenalty - params.behaviourPenaltyThreshold();
            score += params.behaviourPenaltyWeight() * excess * excess;
        }
        return score;
    }

    /** Decays counters (once per heartbeat) and forgets disconnected peers after the retention period. */
    void decay() {
        for (Iterator<Map.Entry<PeerId, Stats>> it = peers.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<PeerId, Stats> entry = it.next();
            Stats s = entry.getValue();
            if (s.connected) s.app = app(entry.getKey());
            if (!s.connected && ++s.heartbeatsSinceDisconnect > params.retainScoreHeartbeats()) {
                it.remove();
                continue;
            }
            for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
                TopicScoreParams tp = params.topic(e.getKey());
                TopicStats t = e.getValue();
                t.firstDeliveries = zero(t.firstDeliveries * tp.firstMessageDeliveriesDecay());
                t.meshDeliveries = zero(t.meshDeliveries * tp.meshMessageDeliveriesDecay());
                t.meshFailurePenalty = zero(t.meshFailurePenalty * tp.meshFailurePenaltyDecay());
                t.invalidDeliveries = zero(t.invalidDeliveries * tp.invalidMessageDeliveriesDecay());
            }
            s.behaviourPenalty = zero(s.behaviourPenalty * params.behaviourPenaltyDecay());
        }
    }

    private double zero(double v) {
        return Math.abs(v) < params.decayToZero() ? 0 : v;
    }

    /** Whether the address counts for colocation (loopback and private ones may be exempt). */
    String colocationKey(java.net.InetAddress ip) {
        if (ip == null) return null;
        if (params.colocationWhitelistPrivate() && (ip.isLoopbackAddress() || ip.isSiteLocalAddress() || ip.isLinkLocalAddress())) return null;
        return ip.getHostAddress();
    }
}
