package io.ggen.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One peer as {@code peer-list} and {@code peer-info} show it: what the peer store, the open
 * connections and the catalog's reputation know of it. {@code latencyMs} is null until a ping
 * answered; {@code relayed} says whether the connection new streams use runs through a relay, and
 * {@code holePunch} how the last attempt to make it direct ended; the verbose fields (protocol
 * version, protocols, connections, traffic: bytes in and out on streams with this peer, while the
 * node remembers them) are null in the list. {@code catalogSync} is the last catalog sync from the
 * peer in this run of the node (null before one ran).
 */
public record PeerView(String peerId, List<String> addresses, boolean connected, String direction, boolean relayed,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String holePunch, Double latencyMs, String agentVersion,
                       double reputation, long successfulRetrievals, long failedRetrievals, String lastSeen, long packagesProvided,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String protocolVersion,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<String> protocols,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<ConnectionView> connections,
                       @JsonInclude(JsonInclude.Include.NON_NULL) NodeStatus.Traffic traffic,
                       @JsonInclude(JsonInclude.Include.NON_NULL) CatalogSyncView catalogSync) {
    public record ConnectionView(String remoteAddr, String localAddr, String direction, String security, String muxer, String openedAt, List<String> streams,
                                 boolean relayed) {}

    /** How the last catalog sync from the peer went: the protocol version, records received and new, whether it reached the end, when it ended. */
    public record CatalogSyncView(String protocol, int received, int accepted, boolean complete, String finishedAt) {}

    /** The API's {@code GET /v1/peers}. */
    public record PeerList(List<PeerView> peers, int total) {}
}
