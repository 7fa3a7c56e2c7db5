package io.ggen.p2p.mux.yamux;

import io.ggen.p2p.mux.yamux.YamuxFrame.Type;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.ggen.p2p.mux.yamux.YamuxFrame.ACK;
import static io.ggen.p2p.mux.yamux.YamuxFrame.FIN;
import static io.ggen.p2p.mux.yamux.YamuxFrame.RST;
import static io.ggen.p2p.mux.yamux.YamuxFrame.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** The state machine against a scripted peer: frames in, recorded frames and events out. */
class YamuxStateMachineTest {
    static final int W = (int) YamuxConfig.INITIAL_WINDOW;

    /** Records what the machine does; owns (and releases) payloads it is given. */
    static final class Recorder implements YamuxStateMachine.Output {
        final List<YamuxFrame> sent = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        final List<ByteBuf> received = new ArrayList<>();
        Throwable closeCause;
        boolean closed;

        @Override public void send(YamuxFrame frame) { sent.add(frame); frame.data().release(); }
        @Override public void inboundStream(int id) { events.add("open " + id); }
        @Override public void data(int id, ByteBuf data) { events.add("data " + id + " " + data.readableBytes()); received.add(data); }
        @Override public void remoteFin(int id) { events.add("fin " + id); }
        @Override public void streamReset(int id, String reason) { events.add("reset " + id); }
        @Override public void sendWindow(int id, long delta) { events.add("window " + id + " " + delta); }
        @Override public void streamClosed(int id) { events.add("closed " + id); }
        @Override public void pong(long opaque, long rttNanos) { events.add("pong " + opaque + " " + rttNanos); }
        @Override public void sessionClosed(Throwable cause) { closed = true; closeCause = cause; events.add("session closed"); }

        YamuxFrame last() { return sent.get(sent.size() - 1); }

        void releaseReceived() { received.forEach(ByteBuf::release); received.clear(); }
    }

    long now = 1_000_000_000L;
    final Recorder out = new Recorder();

    YamuxStateMachine machine(boolean client, YamuxConfig config) {
        return new YamuxStateMachine(client, config, out, () -> now);
    }

    static YamuxFrame data(int flags, int id, int n) {
        return YamuxFrame.data(flags, id, Unpooled.wrappedBuffer(new byte[n]));
    }

    @Test
    void clientOpensOddIdsServerEvenWithWindowUpdateSyn() throws IOException {
        YamuxStateMachine c = machine(true, YamuxConfig.DEFAULT);
        assertThat(c.openStream()).isEqualTo(1);
        assertThat(c.openStream()).isEqualTo(3);
        assertThat(out.last()).isEqualTo(YamuxFrame.windowUpdate(SYN, 3, 0));
        YamuxStateMachine s = new YamuxStateMachine(false, YamuxConfig.DEFAULT, new Recorder(), () -> now);
        assertThat(s.openStream()).isEqualTo(2);
        assertThat(c.acknowledged(1)).isFalse();
        c.onFrame(YamuxFrame.windowUpdate(ACK, 1, 0));
        assertThat(c.acknowledged(1)).isTrue();
    }

    @Test
    void inboundSynWithDataIsAcceptedAndAckedOnFirstUse() {
        YamuxStateMachine m = machine(false, YamuxConfig.DEFAULT);
        m.onFrame(data(SYN, 1, 10));
        assertThat(out.events).containsExactly("open 1", "data 1 10");
        assertThat(out.sent).isEmpty();
        m.ack(1);
        assertThat(out.sent).containsExactly(YamuxFrame.windowUpdate(ACK, 1, 0));
        m.ack(1);
        assertThat(out.sent).hasSize(1);
        out.releaseReceived();
    }

    @Test
    void firstDataWeSendCarriesTheAck() {
        YamuxStateMachine m = machine(false, YamuxConfig.DEFAULT);
        m.onFrame(YamuxFrame.windowUpdate(SYN, 1, 0));
        assertThat(m.sendData(1, Unpooled.wrappedBuffer(new byte[5]))).isTrue();
        assertThat(out.last().flags()).isEqualTo(ACK);
        m.sendData(1, Unpooled.wrappedBuffer(new byte[5]));
        assertThat(out.last().flags()).isZero();
    }

    @Test
    void windowIsGrantedBackAsDataIsReadNotAsItArrives() {
        YamuxStateMachine m = machine(false, YamuxConfig.DEFAULT.withAutoTuneRttFloor(Duration.ZERO));
        m.onFrame(data(SYN, 1, W));
        m.ack(1);
        int before = out.sent.size();
        m.consumed(1, W / 2 - 1);
        assertThat(out.sent).hasSize(before);           // less than half read: nothing yet
        m.consumed(1, 1);
        assertThat(out.sent.get(before)).isEqualTo(YamuxFrame.windowUpdate(0, 1, W / 2)); // no RTT known, no floor: no growth
        assertThat(m.recvWindow(1)).isEqualTo(W);
        out.releaseReceived();
    }

    @Test
    void theRttIsMeasuredWithTheFirstWindowUpdateNotAtStart() throws IOException {
        YamuxStateMachine m = machine(true, YamuxConfig.DEFAULT);
        int id = m.openStream();
        assertThat(out.sent).noneMatch(f -> f.type() == YamuxFrame.Type.PING);
        m.onFrame(data(0, id, W));
        m.consumed(id, W / 2);
        // the update, then one ping that measures the RTT
        assertThat(out.sent.get(out.sent.size() - 2).type()).isEqualTo(YamuxFrame.Type.WINDOW_UPDATE);
        YamuxFrame probe = out.last();
        assertThat(probe.type()).isEqualTo(YamuxFrame.Type.PING);
        assertThat(probe.flags()).isEqualTo(SYN);
        now += 3_000_000;
        m.onFrame(YamuxFrame.ping(ACK, probe.length()));
        assertThat(m.rttNanos()).isEqualTo(3_000_000);
        m.consumed(id, W / 2);
        assertThat(out.sent.stream().filter(f -> f.type() == YamuxFrame.Type.PING).count()).isEqualTo(1);
        out.releaseReceived();
    }

    @Test
    void untilAnRttIsMeasuredAutoTuningTakesTheFloor() {
        YamuxStateMachine m = machine(false, YamuxConfig.DEFAULT.withAutoTuneRttFloor(Duration.ofMillis(10)));
        m.onFrame(data(SYN, 1, W));
        now += 30_000_000; // half a window read within 4 x 10 ms
        m.consumed(1, W / 2);
        assertThat(m.recvWindow(1)).isEqualTo(2L * W);
        m.consumed(1, W / 2);
        m.onFrame(data(0, 1, W));
        now += 50_000_000; // not within 4 x 10 ms
        m.consumed(1, W);
        assertThat(m.recvWindow(1)).isEqualTo(2L * W);
        out.releaseReceived();
    }

    @Test
    void senderExceedingTheWindowGetsProtocolErrorGoAway() {
        YamuxStateMachine m = machine(false, YamuxConfig.DEFAULT);
        m.onFrame(data(SYN, 1, W));
        m.onFrame(data(0, 1, 1));
        assertThat(out.last()).isEqualTo(YamuxFrame.goAway(YamuxFrame.GoAwayCode.PROTOCOL_ERROR));
        assertThat(out.closed).isTrue();
        assertThat(out.closeCause).isInstanceOf(YamuxProtocolException.class);
        assertThat(out.events).contains("reset 1", "closed 1");
        out.releaseReceived();
    }

    @Test
    void windowDoublesWhenReadFasterThanFourRtts() throws IOException {
        YamuxStateMachine m = machine(false, YamuxConfig.DEFAULT.withAutoTuneRttFloor(Duration.ZERO));
        long opaque = m.ping();
        now += 10_000_000; // 10 ms RTT
        m.onFrame(YamuxFrame.ping(ACK, opaque));
        assertThat(m.rttNanos()).isEqualTo(10_000_000);
        m.onFrame(data(SYN, 1, W));
        now += 5_000_000; // half a window read within 4 RTTs
        m.consumed(1, W / 2);
        assertThat(m.recvWindow(1)).isEqualTo(2L * W);
        assertThat(out.last().length()).isEqualTo(W / 2 + W); // read bytes plus the growth
        // slow now: 100 ms for the next half window, no growth
        m.consumed(1, W / 2);
        now += 100_000_000;
        m.onFrame(data(0, 1, W));
        m.consumed(1, W / 2);
        assertThat(m.recvWindow(1)).isEqualTo(2L * W);
        out.releaseReceived();
    }

    @Test
    void windowGrowthStopsAtMaxAndWithinSessionBudget() throws IOException {
        YamuxConfig cfg = YamuxConfig.DEFAULT.withMaxStreamWindow(1 << 20).withMaxSessionBufferedBytes(W) // one doubling in total
                .withAutoTuneRttFloor(Duration.ZERO);
        YamuxStateMachine m = machine(false, cfg);
        long opaque = m.ping();
        now += 10_000_000;
        m.onFrame(YamuxFrame.ping(ACK, opaque));
        m.onFrame(data(SYN, 1, W));
        m.onFrame(data(SYN, 3, W));
        m.consumed(1, W);
        m.consumed(3, W);
        assertThat(m.recvWindow(1)).isEqualTo(2L * W);
        assertThat(m.recvWindow(3)).isEqualTo(W);         // budget used by stream 1
        // reset stream 1 gives its growth back
        m.onFrame(YamuxFrame.windowUpdate(RST, 1, 0));
        m.onFrame(data(0, 3, W));
        m.consumed(3, W);
        assertThat(m.recvWindow(3)).isEqualTo(2L * W);
        out.releaseReceived();
    }

    @Test
    void windowGrowthIsBoundedByTheHostWideBudgetAcrossSessions() throws IOException {
        io.ggen.p2p.mux.MemoryBudget budget = io.ggen.p2p.mux.MemoryBudget.of(W); // one doubling for all sessions
        YamuxConfig cfg = YamuxConfig.DEFAULT.withAutoTuneRttFloor(Duration.ZERO);
        YamuxStateMachine a = new YamuxStateMachine(false, cfg, out, () -> now, budget);
        Recorder outB = new Recorder();
        YamuxStateMachine b = new YamuxStateMachine(false, cfg, outB, () -> now, budget);
        for (YamuxStateMachine m : List.of(a, b)) {
            long opaque = m.ping();
            now += 10_000_000;
            m.onFrame(YamuxFrame.ping(ACK, opaque));
            m.onFrame(data(SYN, 1, W));
            m.consumed(1, W);
        }
        assertThat(a.recvWindow(1)).isEqualTo(2L * W);
        assertThat(b.recvWindow(1)).isEqualTo(W); // the budget went to the other session
        assertThat(budget.reserved()).isEqualTo(W);
        a.close(); // a session that ends gives its growth back
        assertThat(budget.reserved()).isZero();
        b.onFrame(data(0, 1, W));
        b.consumed(1, W);
        assertThat(b.recvWindow(1)).isEqualTo(2L * W);
        out.releaseReceived();
        outB.releaseReceived();
    }

    @Test
    void finBothWaysClosesTheStream() throws IOException {
        YamuxStateMachine m = machine(true, YamuxConfig.DEFAULT);
        int id = m.openStream();
        m.closeWrite(id);
        assertThat(out.last()).isEqualTo(YamuxFrame.windowUpdate(FIN, id, 0));
        m.closeWrite(id);
        assertThat(out.sent.stream().filter(f -> f.has(FIN)).count()).isEqualTo(1);
        m.onFrame(data(ACK | FIN, id, 3));
        assertThat(out.events).containsExactly("data 1 3", "fin 1", "closed 1");
        assertThat(m.streamCount()).isZero();
        assertThat(m.sendData(id, Unpooled.wrappedBuffer(new byte[1]))).isFalse();
        out.releaseReceived();
    }

    @Test
    void remoteResetAndLocalReset() throws IOException {
        YamuxStateMachine m = machine(true, YamuxConfig.DEFAULT);
        int a = m.openStream();
        int b = m.openStream();
        m.onFrame(YamuxFrame.windowUpdate(RST, a, 0));
        assertThat(out.events).containsExactly("reset 1", "closed 1");
        m.reset(b);
        assertThat(out.last()).isEqualTo(YamuxFrame.windowUpdate(RST, b, 0));
        assertThat(m.streamCount()).isZero();
        // late frames for either are dropped
        m.onFrame(data(0, b, 10));
        assertThat(out.closed).isFalse();
    }

    @Test
    void streamLimitAndUnackedBacklogResetNewStreams() {
        YamuxStateMachine m = machine(false, YamuxConfig.DEFAULT.withMaxStreams(3).withMaxUnackedInboundStreams(2));
        m.onFrame(YamuxFrame.windowUpdate(SYN, 1, 0));
        m.onFrame(YamuxFrame.windowUpdate(SYN, 3, 0));
        m.onFrame(data(SYN, 5, 7));                    // backlog of 2 unacked is full
        assertThat(out.last()).isEqualTo(YamuxFrame.windowUpdate(RST, 5, 0));
        m.ack(1);
        m.onFrame(YamuxFrame.windowUpdate(SYN, 7, 0)); // backlog has room again
        assertThat(m.streamCount()).isEqualTo(3);
        m.ack(3);
        m.onFrame(YamuxFrame.windowUpdate(SYN, 9, 0)); // stream limit
        assertThat(out.last()).isEqualTo(YamuxFrame.windowUpdate(RST, 9, 0));
        assertThat(m.streamCount()).isEqualTo(3);
        assertThat(out.closed).isFalse();
    }

    @Test
    void protocolViolationsOnSyn() {
        YamuxStateMachine m = machine(false, YamuxConfig.DEFAULT);
        m.onFrame(YamuxFrame.windowUpdate(SYN, 2, 0)); // even id opened by the client side
        assertThat(out.last()).isEqualTo(YamuxFrame.goAway(YamuxFrame.GoAwayCode.PROTOCOL_ERROR));
        Recorder r2 = new Recorder();
        YamuxStateMachine m2 = new YamuxStateMachine(false, YamuxConfig.DEFAULT, r2, () -> now);
        m2.onFrame(YamuxFrame.windowUpdate(SYN, 1, 0));
        m2.onFrame(YamuxFrame.windowUpdate(SYN, 1, 0));
        assertThat(r2.last()).isEqualTo(YamuxFrame.goAway(YamuxFrame.GoAwayCode.PROTOCOL_ERROR));
        assertThat(r2.closed).isTrue();
    }

    @Test
    void dataOnUnknownStreamIsDropped() {
        YamuxStateMachine m = machine(false, YamuxConfig.DEFAULT);
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[10]);
        m.onFrame(YamuxFrame.data(0, 41, payload));
        assertThat(payload.refCnt()).isZero();
        assertThat(out.events).isEmpty();
        assertThat(out.closed).isFalse();
    }

    @Test
    void pingsAreEchoedAndAnswersBoundedByWhatIsWritten() throws IOException {
        YamuxStateMachine m = machine(false, YamuxConfig.DEFAULT.withMaxPendingPongs(3));
        for (int i = 0; i < 10; i++) m.onFrame(YamuxFrame.ping(SYN, 100 + i));
        assertThat(out.sent).containsExactly(YamuxFrame.ping(ACK, 100), YamuxFrame.ping(ACK, 101), YamuxFrame.ping(ACK, 102));
        m.pongWritten();
        m.onFrame(YamuxFrame.ping(SYN, 7));
        assertThat(out.last()).isEqualTo(YamuxFrame.ping(ACK, 7));
        // our own ping
        long opaque = m.ping();
        assertThat(out.last()).isEqualTo(YamuxFrame.ping(SYN, opaque));
        now += 1234;
        m.onFrame(YamuxFrame.ping(ACK, 999)); // unrequested: ignored
        m.onFrame(YamuxFrame.ping(ACK, opaque));
        assertThat(out.events).containsExactly("pong " + opaque + " 1234");
        assertThat(out.closed).isFalse();
    }

    @Test
    void localGoAwayRefusesNewStreamsAndClosesWhenIdle() throws IOException {
        YamuxStateMachine m = machine(true, YamuxConfig.DEFAULT);
        int id = m.openStream();
        m.goAway();
        assertThat(out.last()).isEqualTo(YamuxFrame.goAway(YamuxFrame.GoAwayCode.NORMAL));
        assertThatThrownBy(m::openStream).isInstanceOf(IOException.class);
        m.onFrame(YamuxFrame.windowUpdate(SYN, 2, 0));
        assertThat(out.last()).isEqualTo(YamuxFrame.windowUpdate(RST, 2, 0));
        assertThat(out.closed).isFalse();
        m.closeWrite(id);
        m.onFrame(YamuxFrame.windowUpdate(FIN, id, 0));
        assertThat(out.closed).isTrue();
        assertThat(out.closeCause).isNull();
    }

    @Test
    void remoteGoAwayWithErrorResetsEverything() throws IOException {
        YamuxStateMachine m = machine(true, YamuxConfig.DEFAULT);
        m.openStream();
        m.onFrame(YamuxFrame.goAway(YamuxFrame.GoAwayCode.INTERNAL_ERROR));
        assertThat(out.events).containsExactly("reset 1", "closed 1", "session closed");
        assertThat(out.closeCause).isInstanceOf(IOException.class);
        ByteBuf late = Unpooled.wrappedBuffer(new byte[3]);
        m.onFrame(YamuxFrame.data(0, 1, late));
        assertThat(late.refCnt()).isZero();
    }

    @Test
    void remoteNormalGoAwayStopsOpens() throws IOException {
        YamuxStateMachine m = machine(true, YamuxConfig.DEFAULT);
        int id = m.openStream();
        m.onFrame(YamuxFrame.goAway(YamuxFrame.GoAwayCode.NORMAL));
        assertThatThrownBy(m::openStream).isInstanceOf(IOException.class);
        assertThat(m.sendData(id, Unpooled.wrappedBuffer(new byte[1]))).isTrue();
        m.reset(id);
        assertThat(out.closed).isTrue();
    }

    /**
     * A hostile peer sending any sequence of frames: the machine never throws, never holds a
     * payload it did not pass on, never exceeds its stream limit, and buffers per stream at most
     * its window; on failure it sends GoAway and reports the session closed.
     */
    @Test
    void randomFrameSequencesFailCleanly() {
        qt().withExamples(500).forAll(longs().all(), integers().between(1, 300)).checkAssert((seed, count) -> {
            Random r = new Random(seed);
            Recorder rec = new Recorder();
            YamuxConfig cfg = YamuxConfig.DEFAULT.withMaxStreams(8).withMaxUnackedInboundStreams(4);
            long[] clock = {0};
            YamuxStateMachine m = new YamuxStateMachine(r.nextBoolean(), cfg, rec, () -> clock[0]);
            List<ByteBuf> payloads = new ArrayList<>();
            for (int i = 0; i < count && !m.isClosed(); i++) {
                clock[0] += r.nextInt(1_000_000);
                int id = r.nextInt(12);
                int flags = r.nextInt(16);
                YamuxFrame f = switch (r.nextInt(6)) {
                    case 0, 1 -> {
                        ByteBuf p = Unpooled.wrappedBuffer(new byte[r.nextInt(3) == 0 ? r.nextInt(W + 10) : r.nextInt(100)]);
                        payloads.add(p);
                        yield YamuxFrame.data(flags, Math.max(1, id), p);
                    }
                    case 2 -> YamuxFrame.windowUpdate(flags, Math.max(1, id), r.nextLong() & YamuxFrame.MAX_UINT32);
                    case 3 -> YamuxFrame.ping(flags, r.nextInt(4));
                    case 4 -> YamuxFrame.goAway(YamuxFrame.GoAwayCode.values()[r.nextInt(3)]);
                    default -> null;
                };
                if (f != null) {
                    m.onFrame(f);
                } else {
                    // local side acting too
                    try {
                        switch (r.nextInt(5)) {
                            case 0 -> m.openStream();
                            case 1 -> m.consumed(id, r.nextInt(W));
                            case 2 -> m.closeWrite(id);
                            case 3 -> m.reset(id);
                            default -> m.ping();
                        }
                    } catch (IOException expected) {
                        // closed or limits
                    }
                }
                assertThat(m.streamCount()).isLessThanOrEqualTo(8);
            }
            rec.releaseReceived();
            assertThat(payloads).filteredOn(p -> p.capacity() > 0).allSatisfy(p -> assertThat(p.refCnt()).isZero());
            if (m.isClosed()) {
                assertThat(rec.closed).isTrue();
            }
            for (YamuxFrame f : rec.sent) {
                if (f.type() == Type.DATA) throw new AssertionError("machine sent data by itself");
            }
        });
    }
}
