package io.ggen.p2p.core;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of durations in fixed buckets, with their sum: what a metrics exporter turns into a
 * latency histogram, kept here so that the stack measures without depending on any metrics
 * library. Bounded (one counter per bucket) and lock-free.
 */
public final class DurationHistogram {
    /** Upper bounds of the buckets, in seconds, as Prometheus' default buckets; one more bucket takes the rest. */
    public static final double[] BOUNDS_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    /**
     * @param counts per bucket, not cumulative; the last is above every bound
     * @param sumSeconds the sum of every observed duration
     */
    public record Snapshot(long[] counts, double sumSeconds) {
        public long count() {
            long n = 0;
            for (long c : counts) n += c;
            return n;
        }
    }

    private final LongAdder[] buckets = new LongAdder[BOUNDS_SECONDS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    public DurationHistogram() {
        for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
    }

    public void observe(Duration d) {
        observeNanos(d.toNanos());
    }

    public void observeNanos(long nanos) {
        long n = Math.max(0, nanos);
        double seconds = n / 1e9;
        int i = 0;
        while (i < BOUNDS_SECONDS.length && seconds > BOUNDS_SECONDS[i]) i++;
        buckets[i].increment();
        sumNanos.add(n);
    }

    public Snapshot snapshot() {
        long[] c = new long[buckets.length];
        for (int i = 0; i < c.length; i++) c[i] = buckets[i].sum();
        return new Snapshot(c, sumNanos.sum() / 1e9);
    }
}
