package io.ggen.marketplace.content;

import java.util.concurrent.CountDownLatch;

/**
 * Named points in the write paths where the end-to-end tests kill the process (kill -9) to
 * prove that a crash leaves the store and catalog consistent. Inert unless the environment
 * variable {@code GGEN_CRASH_POINT} names the point: then the process announces it on stderr and
 * blocks forever so the test can kill it exactly there.
 */
public final class CrashPoints {
    private static final String ARMED = System.getenv("GGEN_CRASH_POINT");

    private CrashPoints() {}

    public static void reach(String name) {
        if (ARMED == null || !ARMED.equals(name)) return;
        System.err.println("crash-point reached: " + name);
        System.err.flush();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
