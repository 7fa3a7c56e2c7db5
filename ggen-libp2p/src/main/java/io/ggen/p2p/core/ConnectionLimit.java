package io.ggen.p2p.core;

import java.time.Duration;
import java.util.Objects;

/**
 * What a relay allows on a relayed connection before it resets it (Circuit Relay v2's
 * {@code Limit}): how long it may stay open and how many bytes may cross it in each direction.
 * A zero duration or zero bytes means no limit of that kind.
 */
public record ConnectionLimit(Duration duration, long dataBytes) {
    public static final ConnectionLimit NONE = new ConnectionLimit(Duration.ZERO, 0);

    public ConnectionLimit {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) throw new IllegalArgumentException("duration must not be negative");
        if (dataBytes < 0) throw new IllegalArgumentException("dataBytes must not be negative");
    }

    public boolean unlimited() {
        return duration.isZero() && dataBytes == 0;
    }

    /** True when {@code bytes} more can cross in one direction within this limit. */
    public boolean allows(long bytes) {
        return dataBytes == 0 || bytes <= dataBytes;
    }
}
