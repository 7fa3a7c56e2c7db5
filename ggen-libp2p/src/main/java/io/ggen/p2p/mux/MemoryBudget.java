package io.ggen.p2p.mux;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes that receive buffers may grow by, shared by every session of a host: each session has
 * its own cap, and this bounds them all together, so many connections cannot add up to more
 * memory than the host allows. Reservations are made when a stream window grows and released
 * when the stream or its session goes away.
 */
public interface MemoryBudget {
    /** Reserves {@code bytes} if that keeps the total within the budget. */
    boolean tryReserve(long bytes);

    void release(long bytes);

    /** Bytes reserved now. */
    long reserved();

    static MemoryBudget unlimited() {
        return of(Long.MAX_VALUE);
    }

    static MemoryBudget of(long max) {
        if (max < 0) throw new IllegalArgumentException("budget must not be negative");
        AtomicLong used = new AtomicLong();
        return new MemoryBudget() {
            @Override
            public boolean tryReserve(long bytes) {
                if (bytes <= 0) return true;
                while (true) {
                    long u = used.get();
                    if (u > max - bytes) return false;
                    if (used.compareAndSet(u, u + bytes)) return true;
                }
            }

            @Override
            public void release(long bytes) {
                if (bytes > 0) used.addAndGet(-bytes);
            }

            @Override
            public long reserved() {
                return used.get();
            }
        };
    }
}
