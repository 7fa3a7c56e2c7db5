package io.ggen.p2p.protocol;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Token buckets for a service's requests: one for everyone together and one per key (a peer, an
 * address). A request is allowed when both its key's bucket and the global one have a token.
 * The per-key map is bounded: past {@code maxKeys} the least recently seen key is forgotten
 * (it starts again with a full bucket, which costs at most its burst).
 */
public final class RateLimiter {
    private final int globalBurst;
    private final int perKeyBurst;
    private final double globalPerNano;
    private final double perKeyPerNano;
    private final int maxKeys;
    private final LongSupplier nanoTime;
    private final Bucket global;
    private final Map<Object, Bucket> perKey;

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        void refill(long now, double perNano, int burst) {
            long elapsed = Math.max(0, now - updated);
            tokens = Math.min(burst, tokens + elapsed * perNano);
            updated = now;
        }
    }

    /**
     * @param globalPerWindow requests allowed from everyone per {@code window} (also the burst)
     * @param perKeyPerWindow requests allowed per key per {@code window} (also its burst)
     */
    public RateLimiter(int globalPerWindow, int perKeyPerWindow, Duration window, int maxKeys) {
        this(globalPerWindow, perKeyPerWindow, window, maxKeys, System::nanoTime);
    }

    public RateLimiter(int globalPerWindow, int perKeyPerWindow, Duration window, int maxKeys, LongSupplier nanoTime) {
        if (globalPerWindow < 1 || perKeyPerWindow < 1) throw new IllegalArgumentException("rates must be at least 1 per window");
        if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("window must be positive");
        if (maxKeys < 1) throw new IllegalArgumentException("maxKeys must be positive");
        this.globalBurst = globalPerWindow;
        this.perKeyBurst = perKeyPerWindow;
        this.globalPerNano = (double) globalPerWindow / window.toNanos();
        this.perKeyPerNano = (double) perKeyPerWindow / window.toNanos();
        this.maxKeys = maxKeys;
        this.nanoTime = nanoTime;
        this.global = new Bucket(globalPerWindow, nanoTime.getAsLong());
        this.perKey = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Bucket> eldest) {
                return size() > RateLimiter.this.maxKeys;
            }
        };
    }

    /** Takes a token for {@code key} (and a global one) if both are available. */
    public synchronized boolean tryAcquire(Object key) {
        long now = nanoTime.getAsLong();
        global.refill(now, globalPerNano, globalBurst);
        Bucket b = perKey.computeIfAbsent(key, k -> new Bucket(perKeyBurst, now));
        b.refill(now, perKeyPerNano, perKeyBurst);
        if (global.tokens < 1 || b.tokens < 1) return false;
        global.tokens -= 1;
        b.tokens -= 1;
        return true;
    }

    /** Keys remembered now (at most {@code maxKeys}). */
    public synchronized int trackedKeys() {
        return perKey.size();
    }
}
