package io.ggen.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One peer as {@code peer-list} and {@code peer-info} show it: what the peer store, the open
 * connections and the catalog's reputation know of it. {@code latencyMs} is null until a ping
 * answered; the verbose fields (protocol version, protocols,
 * connections, traffic: bytes in and out on streams with this peer, while the node remembers
 * them) are null in the list.
 */
public record PeerView(String peerId, List<String> addresses, boolean connected, String direction, Double latencyMs, String agentVersion,
                       double reputation, long successfulRetrievals, long failedRetrievals, String lastSeen, long packagesProvided,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String protocolVersion,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<String> protocols,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<ConnectionView> connections,
                       @JsonInclude(JsonInclude.Include.NON_NULL) NodeStatus.Traffic traffic) {
    public record ConnectionView(String remoteAddr, String localAddr, String direction, String security, String muxer, String openedAt, List<String> streams) {}

    /** The API's {@code GET /v1/peers}. */
    public record PeerList(List<PeerView> peers, int total) {}
}
