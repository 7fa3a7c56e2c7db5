package io.ggen.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The outcome of {@code bootstrap}: each address dialled, and the DHT bootstrap that followed. */
public record BootstrapReport(List<Dial> results, int connected, DhtBootstrap dht) {
    /** One address: connected, or why not, and how long it took. */
    public record Dial(String addr, String peerId, boolean connected, String error, double ms) {}

    /** The routing table after the DHT's bootstrap; {@code error} is null when it went well. */
    public record DhtBootstrap(boolean ok, int routingTableSize, @JsonInclude(JsonInclude.Include.NON_NULL) String error) {}
}
