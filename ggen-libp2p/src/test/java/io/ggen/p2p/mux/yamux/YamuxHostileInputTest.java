package io.ggen.p2p.mux.yamux;

import io.ggen.p2p.mux.MuxedStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.ggen.p2p.mux.yamux.YamuxFrame.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The handler fed by a hostile peer through an EmbeddedChannel: only clean failures (GoAway,
 * then close), no exception out of the pipeline, bounded state, no leaked buffers.
 */
class YamuxHostileInputTest {
    static final int W = (int) YamuxConfig.INITIAL_WINDOW;

    @BeforeAll
    static void leaks() {
        LeakCheck.install();
    }

    @AfterEach
    void noLeaks() {
        LeakCheck.assertNoLeaks();
    }

    static final class Peer {
        final EmbeddedChannel ch = new EmbeddedChannel();
        final List<MuxedStream> inbound = new ArrayList<>();
        final YamuxSession session;
        final List<YamuxFrame> received = new ArrayList<>();
        final YamuxCodec.Decoder decoder = new YamuxCodec.Decoder(YamuxFrame.MAX_UINT32);
        long outboundBytes;

        Peer(YamuxConfig config) {
            session = YamuxSession.install(ch.pipeline(), false, config, inbound::add);
            ch.runPendingTasks();
        }

        void send(ByteBuf bytes) {
            ch.writeInbound(bytes);
            ch.runPendingTasks();
            ch.checkException();
            drain();
        }

        void send(YamuxFrame f) {
            send(YamuxCodec.encode(f, ch.alloc(), false));
        }

        void drain() {
            ByteBuf b;
            while ((b = ch.readOutbound()) != null) {
                outboundBytes += b.readableBytes();
                try {
                    decoder.decode(b, f -> {
                        f.data().release();
                        received.add(f);
                    });
                } catch (YamuxProtocolException e) {
                    throw new AssertionError("session wrote an invalid frame", e);
                } finally {
                    b.release();
                }
            }
        }

        YamuxFrame lastSent() {
            return received.get(received.size() - 1);
        }

        void finish() {
            inbound.forEach(MuxedStream::reset);
            ch.runPendingTasks();
            ch.finishAndReleaseAll();
        }

        boolean endedWithGoAway() {
            return received.stream().anyMatch(f -> f.type() == YamuxFrame.Type.GO_AWAY);
        }
    }

    @Test
    void wrongVersionIsAProtocolError() {
        Peer p = new Peer(YamuxConfig.DEFAULT);
        p.send(Unpooled.wrappedBuffer(new byte[]{1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0}));
        assertThat(p.lastSent()).isEqualTo(YamuxFrame.goAway(YamuxFrame.GoAwayCode.PROTOCOL_ERROR));
        assertThat(p.ch.isOpen()).isFalse();
        assertThat(p.session.closed()).isDone();
        p.finish();
    }

    @Test
    void exceedingTheWindowIsAProtocolError() {
        Peer p = new Peer(YamuxConfig.DEFAULT);
        p.send(YamuxFrame.data(SYN, 1, Unpooled.wrappedBuffer(new byte[W])));
        assertThat(p.ch.isOpen()).isTrue();
        p.send(YamuxFrame.data(0, 1, Unpooled.wrappedBuffer(new byte[1])));
        assertThat(p.lastSent()).isEqualTo(YamuxFrame.goAway(YamuxFrame.GoAwayCode.PROTOCOL_ERROR));
        assertThat(p.ch.isOpen()).isFalse();
        p.finish();
    }

    @Test
    void oversizedFrameHeaderFailsBeforeAnyPayload() {
        Peer p = new Peer(YamuxConfig.DEFAULT);
        // a header announcing 4 GiB - 1 of data, and nothing else
        p.send(Unpooled.wrappedBuffer(new byte[]{0, 0, 0, 1, 0, 0, 0, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
        assertThat(p.lastSent()).isEqualTo(YamuxFrame.goAway(YamuxFrame.GoAwayCode.PROTOCOL_ERROR));
        assertThat(p.ch.isOpen()).isFalse();
        p.finish();
    }

    @Test
    void endlessStreamOpeningIsBounded() {
        Peer p = new Peer(YamuxConfig.DEFAULT.withMaxStreams(64));
        for (int i = 0; i < 5000; i++) p.send(YamuxFrame.windowUpdate(SYN, 2 * i + 1, 0));
        assertThat(p.session.streamCount()).isEqualTo(64);
        assertThat(p.inbound).hasSize(64);
        assertThat(p.received.stream().filter(f -> f.has(YamuxFrame.RST)).count()).isEqualTo(5000 - 64);
        assertThat(p.ch.isOpen()).isTrue();
        p.finish();
    }

    @Test
    void dataForUnknownOrClosedStreamsIsDropped() {
        Peer p = new Peer(YamuxConfig.DEFAULT);
        p.send(YamuxFrame.data(0, 77, Unpooled.wrappedBuffer(new byte[1000])));
        p.send(YamuxFrame.windowUpdate(SYN, 1, 0));
        p.send(YamuxFrame.windowUpdate(YamuxFrame.RST, 1, 0));
        p.send(YamuxFrame.data(YamuxFrame.FIN, 1, Unpooled.wrappedBuffer(new byte[1000])));
        assertThat(p.ch.isOpen()).isTrue();
        assertThat(p.session.streamCount()).isZero();
        p.finish();
    }

    @Test
    void pingSpamIsAnsweredWithoutGrowingState() {
        Peer p = new Peer(YamuxConfig.DEFAULT);
        ByteBuf spam = Unpooled.buffer();
        for (int i = 0; i < 10_000; i++) spam.writeBytes(new byte[]{0, 2, 0, 1, 0, 0, 0, 0, 0, 0, (byte) (i >> 8), (byte) i});
        p.send(spam);
        long pongs = p.received.stream().filter(f -> f.type() == YamuxFrame.Type.PING && f.has(YamuxFrame.ACK)).count();
        assertThat(pongs).isBetween(1L, 10_000L);
        assertThat(p.ch.isOpen()).isTrue();
        p.finish();
    }

    @Test
    void truncatedFrameThenDisconnectLeavesNothingBehind() {
        Peer p = new Peer(YamuxConfig.DEFAULT);
        ByteBuf b = YamuxCodec.encode(YamuxFrame.data(SYN, 1, Unpooled.wrappedBuffer(new byte[5000])), p.ch.alloc(), false);
        p.send(b.readRetainedSlice(3000));
        b.release();
        assertThat(p.inbound).hasSize(1);
        p.ch.close();
        p.ch.runPendingTasks();
        assertThat(p.session.closed()).isDone();
        p.finish();
    }

    /** Random bytes cut at random points. */
    @Test
    void randomBytesFailCleanly() {
        qt().withExamples(300).forAll(longs().all(), integers().between(1, 4000), integers().between(1, 500)).checkAssert((seed, size, cut) -> {
            Random r = new Random(seed);
            byte[] bytes = new byte[size];
            r.nextBytes(bytes);
            // often start with a valid version byte so more than the first check is exercised
            if (r.nextBoolean()) bytes[0] = 0;
            Peer p = new Peer(YamuxConfig.DEFAULT.withMaxStreams(16));
            for (int off = 0; off < size && p.ch.isOpen(); off += cut) {
                p.send(Unpooled.wrappedBuffer(bytes, off, Math.min(cut, size - off)));
            }
            assertThat(p.session.streamCount()).isLessThanOrEqualTo(16);
            if (!p.ch.isOpen()) assertThat(p.session.closed()).isDone();
            p.finish();
        });
    }

    /** Well-formed headers with hostile contents: streams of any parity, any flags, windows exceeded, lengths up to the limit. */
    @Test
    void randomFramesFailCleanlyAndStayBounded() {
        qt().withExamples(300).forAll(longs().all(), integers().between(1, 400)).checkAssert((seed, count) -> {
            Random r = new Random(seed);
            YamuxConfig cfg = YamuxConfig.DEFAULT.withMaxStreams(8).withMaxUnackedInboundStreams(4);
            Peer p = new Peer(cfg);
            long inputBytes = 0;
            for (int i = 0; i < count && p.ch.isOpen(); i++) {
                int id = 1 + r.nextInt(20);
                int flags = r.nextInt(16);
                YamuxFrame f = switch (r.nextInt(5)) {
                    case 0, 1 -> YamuxFrame.data(flags, id, Unpooled.wrappedBuffer(new byte[r.nextInt(4) == 0 ? r.nextInt(W + 100) : r.nextInt(200)]));
                    case 2 -> YamuxFrame.windowUpdate(flags, id, r.nextLong() & YamuxFrame.MAX_UINT32);
                    case 3 -> YamuxFrame.ping(flags, r.nextInt(8));
                    default -> r.nextInt(10) == 0 ? YamuxFrame.goAway(YamuxFrame.GoAwayCode.values()[r.nextInt(3)])
                            : YamuxFrame.windowUpdate(SYN, id, 0);
                };
                inputBytes += 12 + f.data().readableBytes();
                p.send(f);
                assertThat(p.session.streamCount()).isLessThanOrEqualTo(8);
                for (MuxedStream s : p.inbound) {
                    assertThat(((YamuxStream) s).buffered()).isLessThanOrEqualTo(W);
                }
            }
            // answers are frames of 12 bytes, at most a few per input frame
            assertThat(p.outboundBytes).isLessThanOrEqualTo(12L * 4 * (count + 2));
            if (!p.ch.isOpen()) assertThat(p.session.closed()).isDone();
            p.finish();
        });
    }
}
