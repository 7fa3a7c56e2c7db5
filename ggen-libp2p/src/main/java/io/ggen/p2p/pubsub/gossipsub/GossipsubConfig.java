package io.ggen.p2p.pubsub.gossipsub;

import java.time.Duration;

/**
 * Router settings; {@link #defaults()} has the values of the gossipsub v1.1 spec.
 *
 * @param d desired mesh degree; {@code dLo}/{@code dHi} the bounds that trigger grafting and pruning
 * @param dLazy peers that receive gossip (IHAVE) per heartbeat
 * @param dOut outbound peers kept in a mesh; {@code dScore} best-scoring peers kept when pruning
 * @param mcacheLen history windows kept; {@code mcacheGossip} windows gossiped
 * @param maxIHaveLength most message ids asked for (IWANT) from one peer per heartbeat
 * @param maxIHaveMessages most IHAVE messages handled from one peer per heartbeat
 * @param maxMessageSize largest message data accepted or published
 * @param validationTimeout how long an application validator may take
 * @param maxPendingValidations messages awaiting validation at once; more are dropped
 * @param maxQueuedRpcsPerPeer outbound RPCs waiting per peer (also at most 8 MiB, and 128 MiB for all peers); beyond, the oldest are dropped
 */
public record GossipsubConfig(
        int d, int dLo, int dHi, int dLazy, int dOut, int dScore,
        Duration heartbeat, Duration fanoutTtl, int mcacheLen, int mcacheGossip, Duration seenTtl, Duration pruneBackoff,
        int opportunisticGraftTicks, int opportunisticGraftPeers, boolean floodPublish, double gossipFactor,
        int maxIHaveLength, int maxIHaveMessages, int maxMessageSize, Duration validationTimeout, int maxPendingValidations,
        int maxQueuedRpcsPerPeer, int maxSeen, int prunePeers) {

    public static final String MESHSUB_1_2 = "/meshsub/1.2.0";
    public static final String MESHSUB_1_1 = "/meshsub/1.1.0";
    public static final String MESHSUB_1_0 = "/meshsub/1.0.0";

    public GossipsubConfig {
        if (!(dLo <= d && d <= dHi)) throw new IllegalArgumentException("need dLo <= d <= dHi");
        if (dOut >= dLo || dOut > d / 2) throw new IllegalArgumentException("need dOut < dLo and dOut <= d/2");
        if (mcacheGossip > mcacheLen) throw new IllegalArgumentException("mcacheGossip must not exceed mcacheLen");
        if (maxMessageSize < 1 || maxMessageSize > 16 << 20) throw new IllegalArgumentException("maxMessageSize must be 1 B .. 16 MiB");
    }

    public static GossipsubConfig defaults() {
        return new GossipsubConfig(6, 5, 12, 6, 2, 4, Duration.ofSeconds(1), Duration.ofSeconds(60), 5, 3, Duration.ofMinutes(2),
                Duration.ofMinutes(1), 60, 2, true, 0.25, 5000, 10, 1 << 20, Duration.ofSeconds(10), 1024, 8192, 100_000, 16);
    }

    /** v1.2: messages from this size on are announced with IDONTWANT to the mesh before they are validated. */
    public static final int IDONTWANT_MIN_DATA_SIZE = 1024;
    /** v1.2: message ids a peer may tell us it does not want, per heartbeat; more are ignored. */
    public static final int MAX_IDONTWANT_IDS_PER_HEARTBEAT = 1000;
    /** v1.1: a GRAFT this soon after a prune, during the backoff, costs twice. */
    public static final Duration GRAFT_FLOOD_THRESHOLD = Duration.ofSeconds(10);
    /** The backoff we ask for when we leave a topic: shorter than a prune's, we may come back. */
    public static final Duration UNSUBSCRIBE_BACKOFF = Duration.ofSeconds(10);
    /** v1.1: times one peer is sent the same message in answer to IWANT. */
    public static final int GOSSIP_RETRANSMISSION = 3;
    /** v1.2: heartbeats an IDONTWANT is remembered. */
    public static final int IDONTWANT_TTL_HEARTBEATS = 3;

    /** Whether a peer speaking {@code protocol} understands v1.1's PX and backoff. */
    static boolean atLeast11(String protocol) {
        return MESHSUB_1_1.equals(protocol) || MESHSUB_1_2.equals(protocol);
    }

    /** The largest RPC frame accepted: one full message plus room for control and framing. */
    public int maxRpcSize() {
        return maxMessageSize + 64 * 1024;
    }

    public GossipsubConfig withHeartbeat(Duration h) {
        return new GossipsubConfig(d, dLo, dHi, dLazy, dOut, dScore, h, fanoutTtl, mcacheLen, mcacheGossip, seenTtl, pruneBackoff,
                opportunisticGraftTicks, opportunisticGraftPeers, floodPublish, gossipFactor, maxIHaveLength, maxIHaveMessages, maxMessageSize,
                validationTimeout, maxPendingValidations, maxQueuedRpcsPerPeer, maxSeen, prunePeers);
    }

    public GossipsubConfig withMaxMessageSize(int size) {
        return new GossipsubConfig(d, dLo, dHi, dLazy, dOut, dScore, heartbeat, fanoutTtl, mcacheLen, mcacheGossip, seenTtl, pruneBackoff,
                opportunisticGraftTicks, opportunisticGraftPeers, floodPublish, gossipFactor, maxIHaveLength, maxIHaveMessages, size,
                validationTimeout, maxPendingValidations, maxQueuedRpcsPerPeer, maxSeen, prunePeers);
    }

    public GossipsubConfig withMesh(int d, int dLo, int dHi) {
        return new GossipsubConfig(d, dLo, dHi, dLazy, Math.min(dOut, Math.max(0, Math.min(dLo - 1, d / 2))), Math.min(dScore, d), heartbeat, fanoutTtl,
                mcacheLen, mcacheGossip, seenTtl, pruneBackoff, opportunisticGraftTicks, opportunisticGraftPeers, floodPublish, gossipFactor,
                maxIHaveLength, maxIHaveMessages, maxMessageSize, validationTimeout, maxPendingValidations, maxQueuedRpcsPerPeer, maxSeen, prunePeers);
    }
}
