package io.ggen.node;

import java.util.List;

/** What {@code status} shows of a running node (the API's {@code GET /v1/status}). */
public record NodeStatus(boolean running, String peerId, String version, long pid, String startedAt, long uptimeSecs, String dataDir, int apiPort,
                         List<String> listenAddrs, List<String> observedAddrs, int connectedPeers, int connections, int knownPeers,
                         List<String> protocols, String packagesTopic, Dht dht, Pubsub pubsub, long releasesKnown, Nat nat) {
    /**
     * NAT traversal: reachability, the relay service (mode, whether on, its reservations and
     * circuits), our relayed addresses, and hole punching (on, rounds run, direct connections won).
     */
    public record Nat(String reachability, String relayService, boolean relayServiceOn, int relayReservations, int relayCircuits,
                      List<String> relayedAddrs, boolean holePunching, long holePunchRounds, long holePunchDirect) {}

    public record Dht(String protocol, String mode, int routingTableSize, long queries, double meanHops, long requestsSent, long requestFailures,
                      long requestsReceived, long recordsStored, long providerKeys) {}

    public record Pubsub(List<Topic> topics, long messagesReceived, long messagesDelivered, long invalidMessages) {}

    public record Topic(String topic, int meshPeers, int topicPeers) {}
}
