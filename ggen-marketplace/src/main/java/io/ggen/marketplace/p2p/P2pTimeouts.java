package io.ggen.marketplace.p2p;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Deadlines of the marketplace protocols ({@code /ggen/fetch}, {@code /ggen/catalog},
 * {@code /ggen/search}), set on the streams themselves, so a peer that accepts a protocol and
 * never answers, or answers a byte at a time, is given up at a known time.
 *
 * @param connect opening a stream to a peer (dial and protocol negotiation)
 * @param request one request and its answer: a catalog page, a search answer, the header of a
 *                fetch; on the serving side, reading the request and writing each answer
 * @param transferStall a fetch: each chunk of the content (at most 64 KiB) must arrive within
 *                this, and a whole range at no less than {@link #MIN_TRANSFER_RATE} on average
 *                after it; a provider below that is given up and the next one resumes
 */
public record P2pTimeouts(Duration connect, Duration request, Duration transferStall) {
    /** Bytes per second a fetch needs on average over a range (after the first stall window). */
    public static final long MIN_TRANSFER_RATE = 16 * 1024;

    public static final P2pTimeouts DEFAULT = new P2pTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(10));

    public P2pTimeouts {
        for (Duration d : new Duration[] {connect, request, transferStall}) {
            Objects.requireNonNull(d, "timeout");
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public P2pTimeouts withTransferStall(Duration d) {
        return new P2pTimeouts(connect, request, d);
    }

    Instant requestDeadline() {
        return Instant.now().plus(request);
    }
}
