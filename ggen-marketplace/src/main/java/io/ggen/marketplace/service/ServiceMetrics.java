package io.ggen.marketplace.service;

import io.ggen.p2p.core.DurationHistogram;
import java.util.Map;

/**
 * How many publishes and installs (fetch jobs) this service ran, by outcome, and how long they
 * took: what the node's metrics export. One histogram per operation and outcome, fixed in number.
 */
public final class ServiceMetrics {
    public enum Operation { PUBLISH, INSTALL }

    public enum Outcome { OK, FAILED, CANCELLED }

    private final Map<Operation, Map<Outcome, DurationHistogram>> histograms;

    ServiceMetrics() {
        java.util.EnumMap<Operation, Map<Outcome, DurationHistogram>> m = new java.util.EnumMap<>(Operation.class);
        for (Operation op : Operation.values()) {
            java.util.EnumMap<Outcome, DurationHistogram> byOutcome = new java.util.EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values()) byOutcome.put(o, new DurationHistogram());
            m.put(op, byOutcome);
        }
        this.histograms = m;
    }

    void record(Operation op, Outcome outcome, long startedNanos) {
        histograms.get(op).get(outcome).observeNanos(System.nanoTime() - startedNanos);
    }

    public DurationHistogram.Snapshot snapshot(Operation op, Outcome outcome) {
        return histograms.get(op).get(outcome).snapshot();
    }
}
