package io.ggen.p2p.kad;

import io.ggen.p2p.core.DurationHistogram;
import java.util.EnumMap;
import java.util.Map;
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

    /** How long lookups took, from the start to the result, by the kind of request they send. */
    private final Map<KadMessage.Type, DurationHistogram> queryLatency = new EnumMap<>(KadMessage.Type.class);

    {
        for (KadMessage.Type t : KadMessage.Type.values()) queryLatency.put(t, new DurationHistogram());
    }

    DurationHistogram queryLatency(KadMessage.Type type) {
        return queryLatency.get(type);
    }

    /** Lookup latencies by request type (FIND_NODE, GET_VALUE, GET_PROVIDERS, ...). */
    public Map<KadMessage.Type, DurationHistogram.Snapshot> queryLatencies() {
        Map<KadMessage.Type, DurationHistogram.Snapshot> out = new EnumMap<>(KadMessage.Type.class);
        queryLatency.forEach((t, h) -> out.put(t, h.snapshot()));
        return out;
    }

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
