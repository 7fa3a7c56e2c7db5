package io.ggen.node;

import java.util.List;

/**
 * The DHT's routing table as the web UI draws it: this node's id, the bucket size k, and each
 * non-empty bucket by its common-prefix length with this node's key (bucket 0 holds the farthest
 * half of the key space), with its peers and whether each is connected now.
 */
public record RoutingTableView(String peerId, String protocol, String mode, int k, int size, List<Bucket> buckets) {
    public record Bucket(int commonPrefix, List<Peer> peers) {}

    public record Peer(String peerId, boolean connected, String lastSeen) {}
}
