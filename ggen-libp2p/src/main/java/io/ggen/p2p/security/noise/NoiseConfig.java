package io.ggen.p2p.security.noise;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the Noise security layer.
 *
 * @param handshakeTimeout how long a handshake may take before the connection is closed
 * @param streamMuxers muxer protocol ids to advertise in the handshake's {@code stream_muxers}
 *     extension, in order of preference. Empty by default: advertising muxers makes js-libp2p
 *     skip the multistream-select muxer negotiation when both sides list one ("early muxer
 *     negotiation"), so only enable it when the host does the same.
 */
public record NoiseConfig(Duration handshakeTimeout, List<String> streamMuxers) {
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final NoiseConfig DEFAULT = new NoiseConfig(DEFAULT_HANDSHAKE_TIMEOUT, List.of());

    public NoiseConfig {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) throw new IllegalArgumentException("handshakeTimeout must be positive");
        streamMuxers = List.copyOf(streamMuxers);
        if (streamMuxers.size() > NoisePayloadCodec.MAX_STREAM_MUXERS) throw new IllegalArgumentException("too many stream muxers");
        for (String m : streamMuxers) {
            if (m.isEmpty() || m.length() > NoisePayloadCodec.MAX_PROTOCOL_ID) throw new IllegalArgumentException("bad stream muxer id: " + m);
        }
    }

    public static NoiseConfig defaults() {
        return DEFAULT;
    }

    public NoiseConfig withHandshakeTimeout(Duration timeout) {
        return new NoiseConfig(timeout, streamMuxers);
    }

    public NoiseConfig withStreamMuxers(List<String> muxers) {
        return new NoiseConfig(handshakeTimeout, muxers);
    }
}
