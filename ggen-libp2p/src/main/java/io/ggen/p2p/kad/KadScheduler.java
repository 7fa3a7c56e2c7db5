package io.ggen.p2p.kad;

/** Time and timers of a {@link KadNode}: the wall clock in a node, a virtual clock in the simulation. */
public interface KadScheduler {
    long nowMillis();

    /**
     * Runs the task after the delay (on whatever thread the scheduler uses), unless the returned
     * timer is cancelled first. A cancelled task must be let go at once, not kept until its
     * time: a node's timeouts capture whole queries and their answers.
     */
    Timer schedule(Runnable task, long delayMillis);

    /** A scheduled task that can be called off. */
    @FunctionalInterface
    interface Timer {
        void cancel();
    }
}
