package io.ggen.p2p.kad;

/** Time and timers of a {@link KadNode}: the wall clock in a node, a virtual clock in the simulation. */
public interface KadScheduler {
    long nowMillis();

    /** Runs the task after the delay (on whatever thread the scheduler uses). */
    void schedule(Runnable task, long delayMillis);
}
