package io.ggen.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One peer as {@code peer-list} and {@code peer-info} show it: what the peer store, the open
 * connections and the catalog's reputation know of it. {@code latencyMs} is null until a ping
 * answered; {@code relayed} says whether the connection new streams use runs through a relay, and
 * {@code holePunch} how the last attempt to make it direct ended; the verbose fields (protocol version, protocols, connections) are null in the list.
 */
public record PeerView(String peerId, List<String> addresses, boolean connected, String direction, boolean relayed,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String holePunch, Double latencyMs, String agentVersion,
                       double reputation, long successfulRetrievals, long failedRetrievals, String lastSeen, long packagesProvided,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String protocolVersion,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<String> protocols,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<ConnectionView> connections) {
    public record ConnectionView(String remoteAddr, String localAddr, String direction, String security, String muxer, String openedAt, List<String> streams,
                                 boolean relayed) {}

    /** The API's {@code GET /v1/peers}. */
    public record PeerList(List<PeerView> peers, int total) {}
}
