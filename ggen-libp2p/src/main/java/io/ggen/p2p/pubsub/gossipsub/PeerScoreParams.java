package io.ggen.p2p.pubsub.gossipsub;

import java.util.Map;

/**
 * Peer score parameters beyond topics: P5 application score, P6 IP colocation, P7 behaviour
 * penalty, the cap on the topics' total, and decay bounds.
 *
 * @param colocationWhitelistPrivate loopback and private addresses do not count for P6 (tests
 *     and local networks put many honest peers on one address)
 */
public record PeerScoreParams(
        Map<String, TopicScoreParams> topics,
        TopicScoreParams defaultTopic,
        double topicScoreCap,
        double appSpecificWeight,
        double ipColocationFactorWeight, int ipColocationFactorThreshold, boolean colocationWhitelistPrivate,
        double behaviourPenaltyWeight, double behaviourPenaltyThreshold, double behaviourPenaltyDecay,
        double decayToZero, int retainScoreHeartbeats) {

    public PeerScoreParams {
        topics = Map.copyOf(topics);
        if (ipColocationFactorWeight > 0 || behaviourPenaltyWeight > 0) throw new IllegalArgumentException("P6 and P7 weights must be <= 0");
    }

    public static PeerScoreParams defaults() {
        return new PeerScoreParams(Map.of(), TopicScoreParams.defaults(), 50, 10, -10, 10, true, -10, 6, 0.99, 0.01, 3600);
    }

    public TopicScoreParams topic(String t) {
        return topics.getOrDefault(t, defaultTopic);
    }
}
