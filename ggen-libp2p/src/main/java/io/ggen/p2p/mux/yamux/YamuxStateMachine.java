package io.ggen.p2p.mux.yamux;

import io.ggen.p2p.mux.MemoryBudget;
import io.ggen.p2p.mux.yamux.YamuxFrame.GoAwayCode;
import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The yamux session protocol without I/O: frames from the remote and calls from the local side
 * go in, frames to send and events come out through {@link Output}, synchronously. Not
 * thread-safe: the session drives it from the channel's event loop only.
 *
 * <p>Per stream it keeps the protocol state (SYN/ACK/FIN/RST), the send window, and the
 * receive-side accounting: {@code recvRemaining} (what the remote may still send),
 * {@code buffered} (received, not yet read) and {@code unreported} (read, not yet granted back).
 * Their sum is the stream's receive window, which auto-tuning may double (see
 * {@link #consumed}).
 */
public final class YamuxStateMachine {

    /** What the machine asks of its host. Calls happen inside the machine's methods. */
    public interface Output {
        /** Send this frame; takes ownership of its payload. */
        void send(YamuxFrame frame);

        /** The remote opened a stream and it was accepted. */
        void inboundStream(int id);

        /** Payload for a stream; takes ownership. The host reports reading it via {@link #consumed}. */
        void data(int id, ByteBuf data);

        /** The remote half-closed the stream (FIN). */
        void remoteFin(int id);

        /** The stream was reset by the remote or because the session ended. */
        void streamReset(int id, String reason);

        /** The remote granted {@code delta} more bytes of send window. */
        void sendWindow(int id, long delta);

        /** The stream is gone from the session (both sides closed, or reset). */
        void streamClosed(int id);

        /** A ping of ours was answered. */
        void pong(long opaque, long rttNanos);

        /** The session is over; {@code cause} is null for a normal end. */
        void sessionClosed(Throwable cause);
    }

    private static final class S {
        final int id;
        final boolean inbound;
        boolean ackSent;      // inbound: our ACK went out
        boolean acked;        // outbound: the remote's ACK came
        boolean localFin;
        boolean remoteFin;
        long recvWindow = YamuxConfig.INITIAL_WINDOW;
        long recvRemaining = YamuxConfig.INITIAL_WINDOW;
        long buffered;
        long unreported;
        long epochStart;
        long sendWindow = YamuxConfig.INITIAL_WINDOW;

        S(int id, boolean inbound, long now) {
            this.id = id;
            this.inbound = inbound;
            this.epochStart = now;
        }
    }

    /** A window never grows past this much credit, whatever the remote grants (it is harmless, but keep arithmetic sane). */
    private static final long MAX_SEND_WINDOW = 1L << 40;

    private final boolean client;
    private final YamuxConfig config;
    private final Output out;
    private final LongSupplier nanoClock;
    private final IntObjectMap<S> streams = new IntObjectHashMap<>();
    private final Map<Long, Long> pings = new HashMap<>();
    private long nextStreamId;
    private long nextPing;
    private int unackedInbound;
    private int pendingPongs;
    private long windowGrowth;
    private final MemoryBudget budget;
    private long rttNanos;
    /** Whether the ping that measures the RTT for auto-tuning has been sent (see {@link #consumed}). */
    private boolean rttProbeSent;
    private boolean localGoAway;
    private boolean remoteGoAway;
    private boolean closed;

    /**
     * @param client    dialer side: opens odd stream ids
     * @param nanoClock time source for RTT and window auto-tuning (System::nanoTime)
     */
    public YamuxStateMachine(boolean client, YamuxConfig config, Output out, LongSupplier nanoClock) {
        this(client, config, out, nanoClock, MemoryBudget.unlimited());
    }

    /** @param budget shared with the host's other sessions; window growth reserves from it */
    public YamuxStateMachine(boolean client, YamuxConfig config, Output out, LongSupplier nanoClock, MemoryBudget budget) {
        this.budget = budget;
        this.client = client;
        this.config = config;
        this.out = out;
        this.nanoClock = nanoClock;
        this.nextStreamId = client ? 1 : 2;
    }

    // ---------------------------------------------------------------- remote input

    /** Handles one frame from the remote; takes ownership of its payload. */
    public void onFrame(YamuxFrame f) {
        if (closed) {
            f.data().release();
            return;
        }
        switch (f.type()) {
            case DATA, WINDOW_UPDATE -> onStreamFrame(f);
            case PING -> onPing(f);
            case GO_AWAY -> onGoAway(f.length());
        }
    }

    private void onPing(YamuxFrame f) {
        if (f.has(YamuxFrame.SYN)) {
            // Answer unless too many answers are still unwritten: a peer that pings without
            // reading would otherwise grow our outbound buffer without bound.
            if (pendingPongs < config.maxPendingPongs()) {
                pendingPongs++;
                out.send(YamuxFrame.ping(YamuxFrame.ACK, f.length()));
            }
        } else if (f.has(YamuxFrame.ACK)) {
            Long sent = pings.remove(f.length());
            if (sent != null) {
                long rtt = Math.max(1, nanoClock.getAsLong() - sent);
                rttNanos = rtt;
                out.pong(f.length(), rtt);
            }
            // an answer we did not ask for is ignored, as go-yamux does
        }
    }

    private void onGoAway(long code) {
        remoteGoAway = true;
        if (code == GoAwayCode.NORMAL.code) {
            maybeCloseIdle();
        } else {
            terminate(new YamuxClosedException("remote sent GoAway with code " + code));
        }
    }

    private void onStreamFrame(YamuxFrame f) {
        int id = f.streamId();
        S s = streams.get(id);
        if (f.has(YamuxFrame.SYN)) {
            if (s != null) {
                f.data().release();
                protocolError("SYN for open stream " + f.streamIdUnsigned());
                return;
            }
            if (((id & 1) == 1) == client) {
                f.data().release();
                protocolError("remote opened stream " + f.streamIdUnsigned() + " with our parity");
                return;
            }
            if (f.has(YamuxFrame.RST)) {
                f.data().release();
                return;
            }
            if (localGoAway || remoteGoAway || streams.size() >= config.maxStreams()
                    || unackedInbound >= config.maxUnackedInboundStreams()) {
                f.data().release();
                out.send(YamuxFrame.windowUpdate(YamuxFrame.RST, id, 0));
                return;
            }
            s = new S(id, true, nanoClock.getAsLong());
            streams.put(id, s);
            unackedInbound++;
            out.inboundStream(id);
        }
        if (s == null) {
            // Unknown stream: most likely one we reset or closed while frames were in flight.
            f.data().release();
            return;
        }
        if (f.has(YamuxFrame.ACK) && !s.inbound) s.acked = true;
        if (f.type() == YamuxFrame.Type.DATA) {
            long n = f.length();
            if (n == 0 || s.remoteFin) {
                f.data().release();
            } else if (n > s.recvRemaining) {
                f.data().release();
                protocolError("stream " + f.streamIdUnsigned() + " exceeded its receive window by " + (n - s.recvRemaining));
                return;
            } else {
                s.recvRemaining -= n;
                s.buffered += n;
                out.data(id, f.data());
            }
        } else if (f.length() > 0) {
            s.sendWindow = Math.min(MAX_SEND_WINDOW, s.sendWindow + f.length());
            out.sendWindow(id, f.length());
        }
        if (f.has(YamuxFrame.RST)) {
            remove(s);
            out.streamReset(id, "stream reset by remote");
            out.streamClosed(id);
            maybeCloseIdle();
            return;
        }
        if (f.has(YamuxFrame.FIN) && !s.remoteFin) {
            s.remoteFin = true;
            out.remoteFin(id);
            maybeRemove(s);
        }
    }

    // ---------------------------------------------------------------- local input

    /** Opens a stream (sends its SYN) and returns its id. */
    public int openStream() throws IOException {
        if (closed) throw new YamuxClosedException("session closed");
        if (localGoAway || remoteGoAway) throw new YamuxClosedException("session is going away");
        if (streams.size() >= config.maxStreams()) throw new IOException("stream limit of " + config.maxStreams() + " reached");
        if (nextStreamId > YamuxFrame.MAX_UINT32) throw new IOException("stream ids exhausted");
        int id = (int) nextStreamId;
        nextStreamId += 2;
        streams.put(id, new S(id, false, nanoClock.getAsLong()));
        out.send(YamuxFrame.windowUpdate(YamuxFrame.SYN, id, 0));
        return id;
    }

    /**
     * Sends payload on a stream; takes ownership. Returns false (and drops it) when the stream
     * can no longer send. The caller must stay within the send window it was granted.
     */
    public boolean sendData(int id, ByteBuf data) {
        S s = closed ? null : streams.get(id);
        if (s == null || s.localFin) {
            data.release();
            return false;
        }
        int n = data.readableBytes();
        if (n > s.sendWindow) {
            data.release();
            throw new IllegalStateException("write of " + n + " exceeds send window " + s.sendWindow);
        }
        s.sendWindow -= n;
        out.send(YamuxFrame.data(ackFlag(s), id, data));
        return true;
    }

    /** Acknowledges an inbound stream now if not done yet (the application started using it). */
    public void ack(int id) {
        S s = closed ? null : streams.get(id);
        if (s != null && s.inbound && !s.ackSent) {
            out.send(YamuxFrame.windowUpdate(ackFlag(s), id, 0));
        }
    }

    /**
     * The application read {@code n} bytes of the stream: give window back once half the window
     * is read. Auto-tuning (as go-yamux and js do): if that half window was read within 4 RTTs
     * of the previous update, the link is faster than window/RTT allows, so the window doubles,
     * up to {@code maxStreamWindow} and within the session's growth budget.
     */
    public void consumed(int id, long n) {
        S s = closed ? null : streams.get(id);
        if (s == null || n <= 0) return;
        n = Math.min(n, s.buffered);
        s.buffered -= n;
        s.unreported += n;
        if (s.remoteFin || s.unreported < s.recvWindow / 2) return;
        long now = nanoClock.getAsLong();
        long extra = 0;
        // Until a pong has measured it, the RTT is taken as the floor: a smaller RTT than the
        // real one only makes growth rarer.
        long rtt = Math.max(rttNanos, config.autoTuneRttFloor().toNanos());
        if (rtt > 0 && now - s.epochStart < 4 * rtt && s.recvWindow < config.maxStreamWindow()) {
            long grown = Math.min(s.recvWindow * 2, config.maxStreamWindow());
            long want = grown - s.recvWindow;
            if (windowGrowth + want <= config.maxSessionBufferedBytes() && budget.tryReserve(want)) {
                windowGrowth += want;
                s.recvWindow = grown;
                extra = want;
            }
        }
        long delta = s.unreported + extra;
        s.unreported = 0;
        s.recvRemaining += delta;
        s.epochStart = now;
        out.send(YamuxFrame.windowUpdate(ackFlag(s), id, delta));
        // The RTT is measured when auto-tuning first needs it, with the session's first window
        // update, rather than by a ping as the session starts: that one crossed the wire, and
        // was answered, in the middle of every connection's set-up.
        if (!rttProbeSent && rttNanos == 0 && pings.size() < config.maxOutstandingPings()) {
            rttProbeSent = true;
            sendPing();
        }
    }

    /** Half-closes our side of the stream (FIN), once. */
    public void closeWrite(int id) {
        S s = closed ? null : streams.get(id);
        if (s == null || s.localFin) return;
        s.localFin = true;
        out.send(YamuxFrame.windowUpdate(ackFlag(s) | YamuxFrame.FIN, id, 0));
        maybeRemove(s);
    }

    /** Resets the stream (RST) and forgets it. */
    public void reset(int id) {
        S s = closed ? null : streams.get(id);
        if (s == null) return;
        remove(s);
        out.send(YamuxFrame.windowUpdate(YamuxFrame.RST, id, 0));
        out.streamClosed(id);
        maybeCloseIdle();
    }

    /** Sends a ping; returns its opaque value, answered through {@link Output#pong}. */
    public long ping() throws IOException {
        if (closed) throw new YamuxClosedException("session closed");
        if (pings.size() >= config.maxOutstandingPings()) throw new IOException("too many outstanding pings");
        return sendPing();
    }

    private long sendPing() {
        long opaque = nextPing;
        nextPing = (nextPing + 1) & YamuxFrame.MAX_UINT32;
        pings.put(opaque, nanoClock.getAsLong());
        out.send(YamuxFrame.ping(YamuxFrame.SYN, opaque));
        return opaque;
    }

    /** True while a ping of ours is unanswered. */
    public boolean pingOutstanding(long opaque) {
        return pings.containsKey(opaque);
    }

    /** One answer to a remote ping has been written out. */
    public void pongWritten() {
        if (pendingPongs > 0) pendingPongs--;
    }

    /** Sends GoAway(normal): no new streams either way; the session ends when no stream is left. */
    public void goAway() {
        if (closed) return;
        if (!localGoAway) {
            localGoAway = true;
            out.send(YamuxFrame.goAway(GoAwayCode.NORMAL));
        }
        maybeCloseIdle();
    }

    /**
     * Ends the session now: every open stream is reset on the wire too (so the remote sees an
     * aborted transfer, not a clean end), then GoAway(normal) if not sent yet.
     */
    public void close() {
        if (closed) return;
        for (S st : streams.values()) {
            if (!st.localFin || !st.remoteFin) out.send(YamuxFrame.windowUpdate(YamuxFrame.RST, st.id, 0));
        }
        if (!localGoAway) {
            localGoAway = true;
            out.send(YamuxFrame.goAway(GoAwayCode.NORMAL));
        }
        terminate(null);
    }

    /** The remote broke the protocol: GoAway(protocol error) and end. */
    public void protocolError(String message) {
        fail(GoAwayCode.PROTOCOL_ERROR, new YamuxProtocolException(message));
    }

    /** Something failed on our side: GoAway(internal error) and end. */
    public void internalError(Throwable cause) {
        fail(GoAwayCode.INTERNAL_ERROR, cause);
    }

    /** The connection under the session is gone. */
    public void transportClosed() {
        if (!closed) terminate(new YamuxClosedException("connection closed"));
    }

    private void fail(GoAwayCode code, Throwable cause) {
        if (closed) return;
        localGoAway = true;
        out.send(YamuxFrame.goAway(code));
        terminate(cause);
    }

    // ---------------------------------------------------------------- queries (tests, session)

    public boolean isClosed() {
        return closed;
    }

    public int streamCount() {
        return streams.size();
    }

    public long rttNanos() {
        return rttNanos;
    }

    /** Receive window of a stream, or -1 if unknown. */
    public long recvWindow(int id) {
        S s = streams.get(id);
        return s == null ? -1 : s.recvWindow;
    }

    /** Send window of a stream, or -1 if unknown. */
    public long sendWindow(int id) {
        S s = streams.get(id);
        return s == null ? -1 : s.sendWindow;
    }

    /** True once the remote acknowledged our stream. */
    public boolean acknowledged(int id) {
        S s = streams.get(id);
        return s != null && !s.inbound && s.acked;
    }

    // ---------------------------------------------------------------- internals

    private int ackFlag(S s) {
        if (s.inbound && !s.ackSent) {
            s.ackSent = true;
            unackedInbound--;
            return YamuxFrame.ACK;
        }
        return 0;
    }

    private void maybeRemove(S s) {
        if (s.localFin && s.remoteFin) {
            remove(s);
            out.streamClosed(s.id);
            maybeCloseIdle();
        }
    }

    private void remove(S s) {
        streams.remove(s.id);
        if (s.inbound && !s.ackSent) unackedInbound--;
        long growth = s.recvWindow - YamuxConfig.INITIAL_WINDOW;
        windowGrowth -= growth;
        budget.release(growth);
    }

    private void maybeCloseIdle() {
        if (!closed && (localGoAway || remoteGoAway) && streams.isEmpty()) terminate(null);
    }

    private void terminate(Throwable cause) {
        closed = true;
        budget.release(windowGrowth);
        windowGrowth = 0;
        List<S> left = new ArrayList<>(streams.values());
        streams.clear();
        pings.clear();
        String reason = cause == null ? "session closed" : "session closed: " + cause.getMessage();
        for (S s : left) {
            out.streamReset(s.id, reason);
            out.streamClosed(s.id);
        }
        out.sessionClosed(cause);
    }
}
