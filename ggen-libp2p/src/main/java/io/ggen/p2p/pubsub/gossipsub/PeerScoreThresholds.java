package io.ggen.p2p.pubsub.gossipsub;

/**
 * Score thresholds of gossipsub v1.1: below {@code gossip} a peer gets and gives no gossip, below
 * {@code publish} it gets none of our own messages, below {@code graylist} its RPCs are ignored;
 * PX is accepted only from peers at or above {@code acceptPx}; opportunistic grafting happens when
 * the mesh's median score is below {@code opportunisticGraft}.
 */
public record PeerScoreThresholds(double gossip, double publish, double graylist, double acceptPx, double opportunisticGraft) {
    public PeerScoreThresholds {
        if (!(gossip <= 0 && publish <= gossip && graylist <= publish)) throw new IllegalArgumentException("need graylist <= publish <= gossip <= 0");
        if (acceptPx < 0 || opportunisticGraft < 0) throw new IllegalArgumentException("acceptPx and opportunisticGraft must be >= 0");
    }

    public static PeerScoreThresholds defaults() {
        return new PeerScoreThresholds(-10, -50, -80, 10, 1);
    }
}
