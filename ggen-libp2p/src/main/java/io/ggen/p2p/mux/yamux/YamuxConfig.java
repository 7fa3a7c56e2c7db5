package io.ggen.p2p.mux.yamux;

import java.time.Duration;

/**
 * Limits and tuning of a yamux session. Immutable; {@link #DEFAULT} holds the defaults and the
 * {@code with...} methods derive variants.
 *
 * @param maxStreams               streams open at once (both directions); a SYN beyond it is
 *                                 answered with RST, {@code openStream} beyond it fails
 * @param maxUnackedInboundStreams inbound streams not yet acknowledged (ACK is sent when the
 *                                 application first uses the stream); beyond it new streams are
 *                                 reset, as the libp2p yamux spec asks (256 there)
 * @param maxStreamWindow          largest receive window a stream's auto-tuning may reach
 *                                 (also the most a stream buffers); at least 256 KiB
 * @param maxSessionBufferedBytes  budget for window growth across the session: the sum of the
 *                                 receive windows above the initial 256 KiB stays below it, so
 *                                 the most a session buffers is this plus
 *                                 {@code maxStreams * 256 KiB} (the initial windows the spec grants)
 * @param maxFrameLength           largest DATA frame length accepted in a header
 * @param writeChunkSize           largest DATA frame we send
 * @param keepAliveInterval        interval of keep-alive pings (null: none); a keep-alive ping
 *                                 still unanswered one interval later closes the session
 * @param maxOutstandingPings      {@code ping()} calls awaiting their answer
 * @param maxPendingPongs          answers to remote pings queued but not yet written; pings
 *                                 beyond it are not answered (a peer that pings without reading)
 * @param autoTuneRttFloor         smallest RTT used by window auto-tuning, so that a loopback or
 *                                 LAN RTT measured on an idle link does not keep windows small
 */
public record YamuxConfig(
        int maxStreams,
        int maxUnackedInboundStreams,
        long maxStreamWindow,
        long maxSessionBufferedBytes,
        long maxFrameLength,
        int writeChunkSize,
        Duration keepAliveInterval,
        int maxOutstandingPings,
        int maxPendingPongs,
        Duration autoTuneRttFloor) {

    /** Initial stream window fixed by the spec. */
    public static final long INITIAL_WINDOW = 256 * 1024;

    /**
     * Largest DATA payload we send by default: with its 12-byte header it fills one Noise
     * transport message exactly (65535 bytes less the 16-byte tag), so under a bulk transfer
     * each frame is encrypted straight from its own buffer instead of being gathered with a
     * piece of the next one into a scratch copy first.
     */
    public static final int DEFAULT_WRITE_CHUNK = 65535 - 16 - YamuxFrame.HEADER_LENGTH;

    public static final YamuxConfig DEFAULT = new YamuxConfig(
            512, 256, 16 << 20, 64L << 20, 16 << 20, DEFAULT_WRITE_CHUNK,
            Duration.ofSeconds(30), 16, 64, Duration.ofMillis(1));

    public YamuxConfig {
        if (maxStreams < 1) throw new IllegalArgumentException("maxStreams " + maxStreams);
        if (maxUnackedInboundStreams < 1) throw new IllegalArgumentException("maxUnackedInboundStreams " + maxUnackedInboundStreams);
        if (maxStreamWindow < INITIAL_WINDOW || maxStreamWindow > YamuxFrame.MAX_UINT32) {
            throw new IllegalArgumentException("maxStreamWindow " + maxStreamWindow);
        }
        if (maxSessionBufferedBytes < 0) throw new IllegalArgumentException("maxSessionBufferedBytes " + maxSessionBufferedBytes);
        if (maxFrameLength < INITIAL_WINDOW || maxFrameLength > YamuxFrame.MAX_UINT32) {
            throw new IllegalArgumentException("maxFrameLength " + maxFrameLength);
        }
        if (writeChunkSize < 1 || writeChunkSize > INITIAL_WINDOW) throw new IllegalArgumentException("writeChunkSize " + writeChunkSize);
        if (keepAliveInterval != null && (keepAliveInterval.isNegative() || keepAliveInterval.isZero())) {
            throw new IllegalArgumentException("keepAliveInterval " + keepAliveInterval);
        }
        if (maxOutstandingPings < 1) throw new IllegalArgumentException("maxOutstandingPings " + maxOutstandingPings);
        if (maxPendingPongs < 1) throw new IllegalArgumentException("maxPendingPongs " + maxPendingPongs);
        if (autoTuneRttFloor == null || autoTuneRttFloor.isNegative()) throw new IllegalArgumentException("autoTuneRttFloor");
    }

    public YamuxConfig withMaxStreams(int v) {
        return new YamuxConfig(v, maxUnackedInboundStreams, maxStreamWindow, maxSessionBufferedBytes, maxFrameLength, writeChunkSize, keepAliveInterval, maxOutstandingPings, maxPendingPongs, autoTuneRttFloor);
    }

    public YamuxConfig withMaxUnackedInboundStreams(int v) {
        return new YamuxConfig(maxStreams, v, maxStreamWindow, maxSessionBufferedBytes, maxFrameLength, writeChunkSize, keepAliveInterval, maxOutstandingPings, maxPendingPongs, autoTuneRttFloor);
    }

    public YamuxConfig withMaxStreamWindow(long v) {
        return new YamuxConfig(maxStreams, maxUnackedInboundStreams, v, maxSessionBufferedBytes, Math.max(v, maxFrameLength), writeChunkSize, keepAliveInterval, maxOutstandingPings, maxPendingPongs, autoTuneRttFloor);
    }

    public YamuxConfig withMaxSessionBufferedBytes(long v) {
        return new YamuxConfig(maxStreams, maxUnackedInboundStreams, maxStreamWindow, v, maxFrameLength, writeChunkSize, keepAliveInterval, maxOutstandingPings, maxPendingPongs, autoTuneRttFloor);
    }

    public YamuxConfig withMaxFrameLength(long v) {
        return new YamuxConfig(maxStreams, maxUnackedInboundStreams, maxStreamWindow, maxSessionBufferedBytes, v, writeChunkSize, keepAliveInterval, maxOutstandingPings, maxPendingPongs, autoTuneRttFloor);
    }

    public YamuxConfig withWriteChunkSize(int v) {
        return new YamuxConfig(maxStreams, maxUnackedInboundStreams, maxStreamWindow, maxSessionBufferedBytes, maxFrameLength, v, keepAliveInterval, maxOutstandingPings, maxPendingPongs, autoTuneRttFloor);
    }

    public YamuxConfig withKeepAliveInterval(Duration v) {
        return new YamuxConfig(maxStreams, maxUnackedInboundStreams, maxStreamWindow, maxSessionBufferedBytes, maxFrameLength, writeChunkSize, v, maxOutstandingPings, maxPendingPongs, autoTuneRttFloor);
    }

    public YamuxConfig withMaxPendingPongs(int v) {
        return new YamuxConfig(maxStreams, maxUnackedInboundStreams, maxStreamWindow, maxSessionBufferedBytes, maxFrameLength, writeChunkSize, keepAliveInterval, maxOutstandingPings, v, autoTuneRttFloor);
    }

    public YamuxConfig withAutoTuneRttFloor(Duration v) {
        return new YamuxConfig(maxStreams, maxUnackedInboundStreams, maxStreamWindow, maxSessionBufferedBytes, maxFrameLength, writeChunkSize, keepAliveInterval, maxOutstandingPings, maxPendingPongs, v);
    }
}
