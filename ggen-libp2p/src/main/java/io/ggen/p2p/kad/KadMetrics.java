package io.ggen.p2p.kad;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one DHT node. */
public final class KadMetrics {
    final AtomicLong queries = new AtomicLong();
    final AtomicLong queryFailures = new AtomicLong();
    final AtomicLong requestsSent = new AtomicLong();
    final AtomicLong requestFailures = new AtomicLong();
    final AtomicLong requestsReceived = new AtomicLong();
    final AtomicLong malformedReceived = new AtomicLong();
    final AtomicLong hopsTotal = new AtomicLong();
    /** ADD_PROVIDER announcements left out: their origin already had its share of the key. */
    final AtomicLong providersRefused = new AtomicLong();

    public long providersRefused() {
        return providersRefused.get();
    }

    public record Snapshot(long queries, long queryFailures, long requestsSent, long requestFailures, long requestsReceived,
                           long malformedReceived, double meanHops) {}

    public Snapshot snapshot() {
        long q = queries.get();
        return new Snapshot(q, queryFailures.get(), requestsSent.get(), requestFailures.get(), requestsReceived.get(), malformedReceived.get(),
                q == 0 ? 0 : (double) hopsTotal.get() / q);
    }
}
