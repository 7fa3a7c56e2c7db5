package io.ggen.p2p.host;

import java.time.Duration;

/**
 * Trimming policy: when more than {@code highWater} connections are open, the least useful
 * unprotected ones older than {@code gracePeriod} are closed until {@code lowWater} remain.
 */
public record ConnectionManagerConfig(int lowWater, int highWater, Duration gracePeriod, Duration checkInterval) {
    public ConnectionManagerConfig {
        if (lowWater < 0 || highWater < lowWater) throw new IllegalArgumentException("need 0 <= lowWater <= highWater, got " + lowWater + ", " + highWater);
        if (gracePeriod.isNegative()) throw new IllegalArgumentException("gracePeriod must not be negative");
        if (checkInterval.isNegative() || checkInterval.isZero()) throw new IllegalArgumentException("checkInterval must be positive");
    }

    public static ConnectionManagerConfig defaults() {
        return new ConnectionManagerConfig(160, 192, Duration.ofSeconds(20), Duration.ofSeconds(10));
    }
}
