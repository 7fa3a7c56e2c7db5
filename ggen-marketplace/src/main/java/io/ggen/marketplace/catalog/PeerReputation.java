package io.ggen.marketplace.catalog;

/** Retrieval history of a peer; reputation = successful / (successful + failed), 1.0 with none. */
public record PeerReputation(String peerId, long successful, long failed, long lastSeenMillis) {
    public double reputation() {
        long total = successful + failed;
        return total == 0 ? 1.0 : (double) successful / total;
    }
}
