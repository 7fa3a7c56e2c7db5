package io.ggen.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What {@code status} shows of a running node (the API's {@code GET /v1/status}).
 *
 * @param reachability public, private or unknown: whether other peers can dial this node
 * @param reachabilityConfidence AutoNAT servers that agree with it (0 when unknown or forced)
 * @param reachabilitySource autonat, or forced (by {@code nat.force_reachability})
 * @param advertisedAddrs what peers on public addresses are told we listen on: public listen
 *     addresses, confirmed observed addresses, relayed addresses
 * @param nat the relay service, relayed addresses, hole punching and port mappings
 * @param cipher which ChaCha20-Poly1305 encrypts the connections: OpenSSL's (and which) or the
 *     JDK's, and if the JDK's, why not OpenSSL's
 */
public record NodeStatus(boolean running, String peerId, String version, long pid, String startedAt, long uptimeSecs, String dataDir, int apiPort,
                         List<String> listenAddrs, List<String> observedAddrs, int connectedPeers, int connections, int knownPeers,
                         List<String> protocols, String packagesTopic, Dht dht, Pubsub pubsub, long releasesKnown,
                         String reachability, int reachabilityConfidence, String reachabilitySource, List<String> advertisedAddrs, Nat nat,
                         Bandwidth bandwidth, String cipher, @JsonInclude(JsonInclude.Include.NON_NULL) String metricsUrl) {
    /**
     * Relaying, hole punching and port mapping: the relay service (mode, whether on, its
     * reservations and circuits), our relayed addresses, hole punching (on, rounds run, direct
     * connections won), and port mapping (on, the mappings held, why the last attempt failed).
     * Reachability itself is the top-level field, which drives the relay service in mode auto.
     */
    public record Nat(String relayService, boolean relayServiceOn, int relayReservations, int relayCircuits,
                      List<String> relayedAddrs, boolean holePunching, long holePunchRounds, long holePunchDirect,
                      boolean portMapping, List<PortMap> portMappings, String portMappingError) {}

    /**
     * A port the home router forwards to us ({@code nat.port_mapping}).
     *
     * @param externalAddr {@code ip:port} as seen from outside
     * @param method pcp, natpmp or upnp
     * @param expiresInSecs until the lease ends unless renewed (renewal runs at half of it); 0 when permanent
     */
    public record PortMap(String protocol, int internalPort, String externalAddr, String method, long expiresInSecs, boolean permanent) {}

    public record Dht(String protocol, String mode, int routingTableSize, long queries, double meanHops, long requestsSent, long requestFailures,
                      long requestsReceived, long recordsStored, long providerKeys) {}

    public record Pubsub(List<Topic> topics, long messagesReceived, long messagesDelivered, long invalidMessages) {}

    public record Topic(String topic, int meshPeers, int topicPeers) {}

    /**
     * Bytes moved on streams in all, with the current rates (bytes per second, smoothed over
     * about 10 s), and per protocol; the archive bytes fetched and served; the {@code [bandwidth]}
     * limits on them (0 = unlimited).
     */
    public record Bandwidth(long bytesIn, long bytesOut, double rateIn, double rateOut, Map<String, Traffic> byProtocol,
                            long archiveBytesFetched, long archiveBytesServed, long downloadLimitBytesPerSec, long uploadLimitBytesPerSec) {}

    /** Bytes in and out, and the current rates in bytes per second (smoothed over about 10 s). */
    public record Traffic(long bytesIn, long bytesOut, double rateIn, double rateOut) {}
}
