package io.ggen.p2p.pubsub.gossipsub;

/**
 * Per-topic score parameters of gossipsub v1.1 (P1 time in mesh, P2 first deliveries, P3/P3b mesh
 * delivery deficit and failure penalty, P4 invalid messages). Decays are per heartbeat.
 */
public record TopicScoreParams(
        double topicWeight,
        double timeInMeshWeight, double timeInMeshQuantumSeconds, double timeInMeshCap,
        double firstMessageDeliveriesWeight, double firstMessageDeliveriesDecay, double firstMessageDeliveriesCap,
        double meshMessageDeliveriesWeight, double meshMessageDeliveriesDecay, double meshMessageDeliveriesThreshold,
        double meshMessageDeliveriesCap, double meshMessageDeliveriesActivationSeconds,
        double meshFailurePenaltyWeight, double meshFailurePenaltyDecay,
        double invalidMessageDeliveriesWeight, double invalidMessageDeliveriesDecay) {

    /**
     * Defaults for a low-traffic topic such as package announcements: rewards for staying in the
     * mesh and for first deliveries, a heavy penalty for invalid messages, and no mesh-delivery
     * deficit penalty (P3 off): a quiet topic would otherwise punish honest peers for silence.
     */
    public static TopicScoreParams defaults() {
        // Decays are per heartbeat (1 s): first deliveries fade over minutes, invalid messages
        // are remembered for most of an hour (0.999^3600 = 0.03), so a forger cannot wait it out.
        return new TopicScoreParams(1.0,
                0.01, 1.0, 3600,
                1.0, 0.99, 20,
                0.0, 0.97, 1, 10, 60,
                0.0, 0.97,
                -100.0, 0.999);
    }
}
