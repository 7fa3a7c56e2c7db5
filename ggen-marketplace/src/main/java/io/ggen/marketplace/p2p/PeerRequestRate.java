package io.ggen.marketplace.p2p;

import io.ggen.p2p.crypto.PeerId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests per peer per minute, for the protocols a node serves: a fixed one-minute window per
 * peer, and at most {@code maxPeers} peers remembered (the oldest forgotten first), so neither a
 * busy peer nor many peers can grow it.
 */
final class PeerRequestRate {
    private final int perMinute;
    private final int maxPeers;
    private final Map<PeerId, long[]> windows = new LinkedHashMap<>();

    PeerRequestRate(int perMinute, int maxPeers) {
        this.perMinute = perMinute;
        this.maxPeers = maxPeers;
    }

    /** Counts a request from {@code peer}; false when it is over the rate. */
    synchronized boolean admit(PeerId peer) {
        long now = System.currentTimeMillis();
        long[] w = windows.computeIfAbsent(peer, p -> new long[] {now, 0});
        if (now - w[0] > 60_000) {
            w[0] = now;
            w[1] = 0;
        }
        while (windows.size() > maxPeers) windows.remove(windows.keySet().iterator().next());
        return ++w[1] <= perMinute;
    }
}
