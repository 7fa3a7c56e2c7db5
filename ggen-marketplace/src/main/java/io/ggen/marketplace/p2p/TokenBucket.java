package io.ggen.marketplace.p2p;

import java.io.InterruptedIOException;

/**
 * A token bucket of bytes: {@link #take} hands out {@code rate} bytes per second, with up to
 * {@code burst} saved up while idle, and makes a caller that asks for more wait. Shared by every
 * transfer in one direction, so the limit holds for the node as a whole however many transfers
 * run. A take reserves its bytes at once (the balance may go below zero) and then waits out the
 * debt: takers are served in the order they arrive, and none starves.
 */
public final class TokenBucket {
    /** Time, and waiting, for the bucket; tests drive their own. */
    public interface Clock {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        };
    }

    private final long rate;
    private final long burst;
    private final Clock clock;
    private double balance;
    private long refilledAt;
    private long granted;
    private long waits;
    private long waitedNanos;

    /**
     * @param bytesPerSecond the rate; 0 for no limit
     * @param burst bytes that may go at once after a pause (at least one transfer chunk is sensible)
     */
    public TokenBucket(long bytesPerSecond, long burst, Clock clock) {
        if (bytesPerSecond < 0 || burst < 1) throw new IllegalArgumentException("rate must be >= 0 and burst >= 1");
        this.rate = bytesPerSecond;
        this.burst = burst;
        this.clock = clock;
        this.balance = burst;
        this.refilledAt = clock.nanoTime();
    }

    /** A bucket of {@code bytesPerSecond} (0: unlimited) with a burst of a tenth of a second, and at least {@code minBurst}. */
    public static TokenBucket ofRate(long bytesPerSecond, long minBurst) {
        return new TokenBucket(bytesPerSecond, Math.max(minBurst, bytesPerSecond / 10), Clock.SYSTEM);
    }

    public boolean limited() {
        return rate > 0;
    }

    public long bytesPerSecond() {
        return rate;
    }

    /** Waits until {@code bytes} may go at the bucket's rate, then counts them as gone. */
    public void take(long bytes) throws InterruptedIOException {
        if (bytes <= 0) return;
        long wait;
        synchronized (this) {
            granted += bytes;
            if (rate == 0) return;
            long now = clock.nanoTime();
            balance = Math.min(burst, balance + (now - refilledAt) * (rate / 1e9));
            refilledAt = now;
            balance -= bytes;
            if (balance >= 0) return;
            wait = (long) Math.ceil(-balance * 1e9 / rate);
            waits++;
            waitedNanos += wait;
        }
        try {
            clock.sleepNanos(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the bandwidth limit");
        }
    }

    /** Bytes handed out so far. */
    public synchronized long granted() {
        return granted;
    }

    /** How many takes had to wait, and for how long in all (what the limit held back). */
    public synchronized long waits() {
        return waits;
    }

    public synchronized long waitedNanos() {
        return waitedNanos;
    }
}
