package io.ggen.p2p.multistream;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of a negotiation.
 *
 * @param maxMessageLength largest message accepted, counting the trailing newline but not the
 *     length prefix; js-libp2p uses 1024, and longer messages would be refused by js peers anyway
 * @param maxAttempts most proposals an initiator makes, and most messages a responder answers
 *     after the header (proposals, {@code ls}, repeated headers) before giving up on the peer
 * @param timeout how long the Netty handler waits for a negotiation to finish
 * @param maxListResponseLength largest {@code ls} answer read by {@link Multistream#list}
 */
public record MultistreamConfig(int maxMessageLength, int maxAttempts, Duration timeout, int maxListResponseLength) {
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1024;
    public static final int DEFAULT_MAX_ATTEMPTS = 64;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_LIST_RESPONSE_LENGTH = 64 * 1024;
    public static final MultistreamConfig DEFAULT =
            new MultistreamConfig(DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT, DEFAULT_MAX_LIST_RESPONSE_LENGTH);

    public MultistreamConfig {
        // The header alone is 19 bytes; anything smaller could not even negotiate.
        if (maxMessageLength < MultistreamCodec.PROTOCOL_ID.length() + 1) {
            throw new IllegalArgumentException("maxMessageLength too small: " + maxMessageLength);
        }
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be positive: " + maxAttempts);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive: " + timeout);
        if (maxListResponseLength < 1) throw new IllegalArgumentException("maxListResponseLength must be positive");
    }

    public MultistreamConfig withTimeout(Duration newTimeout) {
        return new MultistreamConfig(maxMessageLength, maxAttempts, newTimeout, maxListResponseLength);
    }

    public MultistreamConfig withMaxAttempts(int attempts) {
        return new MultistreamConfig(maxMessageLength, attempts, timeout, maxListResponseLength);
    }

    public MultistreamConfig withMaxMessageLength(int length) {
        return new MultistreamConfig(length, maxAttempts, timeout, maxListResponseLength);
    }
}
