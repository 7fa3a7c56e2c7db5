package io.ggen.p2p.mux.yamux;

import io.ggen.p2p.mux.MuxedStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.ggen.p2p.mux.yamux.YamuxFrame.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readers are woken once per read burst (at read-complete) rather than once per frame; these
 * tests hold the session to still waking them when a burst is not followed by read-complete,
 * and to handing over every frame of a burst, in order.
 */
class YamuxReadBurstTest {

    private static final class Peer {
        final EmbeddedChannel ch = new EmbeddedChannel();
        final List<MuxedStream> inbound = new ArrayList<>();

        Peer() {
            YamuxSession.install(ch.pipeline(), false, YamuxConfig.DEFAULT, inbound::add);
            ch.runPendingTasks();
        }

        /** One frame read from the socket, without the read-complete that usually follows. */
        void readWithoutComplete(YamuxFrame f) {
            ch.pipeline().fireChannelRead(YamuxCodec.encode(f, ch.alloc(), false));
        }
    }

    @Test
    void aReaderBlockedDuringABurstWithoutReadCompleteIsStillWoken() throws Exception {
        Peer p = new Peer();
        p.readWithoutComplete(YamuxFrame.data(SYN, 1, Unpooled.wrappedBuffer(new byte[]{1})));
        // a new stream is announced at the burst's end: without read-complete, by the session's task
        assertThat(p.inbound).isEmpty();
        p.ch.runPendingTasks();
        MuxedStream s = p.inbound.get(0);
        assertThat(s.in().read()).isEqualTo(1);
        CompletableFuture<Integer> blocked = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                blocked.complete(s.in().read());
            } catch (java.io.IOException e) {
                blocked.completeExceptionally(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> reader.getState() == Thread.State.WAITING);
        p.ch.runPendingTasks();
        p.readWithoutComplete(YamuxFrame.data(0, 1, Unpooled.wrappedBuffer(new byte[]{2})));
        // No read-complete follows: the session's own task must wake the reader.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            p.ch.runPendingTasks();
            return blocked.isDone();
        });
        assertThat(blocked.get()).isEqualTo(2);
        p.ch.finishAndReleaseAll();
    }

    @Test
    void aBurstOfFramesReachesTheReaderWholeAndInOrder() throws Exception {
        Peer p = new Peer();
        int frames = 40;
        p.readWithoutComplete(YamuxFrame.data(SYN, 1, Unpooled.wrappedBuffer(new byte[]{0})));
        for (int i = 1; i < frames; i++) p.readWithoutComplete(YamuxFrame.data(0, 1, Unpooled.wrappedBuffer(new byte[]{(byte) i})));
        p.ch.pipeline().fireChannelReadComplete();
        p.ch.runPendingTasks();
        byte[] got = p.inbound.get(0).in().readNBytes(frames);
        for (int i = 0; i < frames; i++) assertThat(got[i]).isEqualTo((byte) i);
        p.ch.finishAndReleaseAll();
    }
    @Test
    void aNewSessionSendsNothingUntilItIsUsed() {
        Peer p = new Peer();
        p.ch.runPendingTasks();
        Object first = p.ch.readOutbound();
        assertThat(first).isNull(); // no ping as the session starts
        p.ch.finishAndReleaseAll();
    }

    @Test
    void aNewStreamIsAnnouncedAtTheBurstsEndWithItsDataAndItsAnswerLeavesInThatFlush() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        int[] flushes = {0};
        ch.pipeline().addLast(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(io.netty.channel.ChannelHandlerContext ctx) {
                flushes[0]++;
                ctx.flush();
            }
        });
        List<Integer> queuedAtAnnounce = new ArrayList<>();
        YamuxSession.install(ch.pipeline(), false, YamuxConfig.DEFAULT, s -> {
            try {
                queuedAtAnnounce.add(s.in().available());
                assertThat(s.tryWrite(new byte[]{9})).isTrue();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        ch.runPendingTasks();
        ch.pipeline().fireChannelRead(YamuxCodec.encode(YamuxFrame.data(SYN, 1, Unpooled.wrappedBuffer(new byte[]{1, 2})), ch.alloc(), false));
        ch.pipeline().fireChannelRead(YamuxCodec.encode(YamuxFrame.data(0, 1, Unpooled.wrappedBuffer(new byte[]{3})), ch.alloc(), false));
        assertThat(queuedAtAnnounce).isEmpty();
        ch.pipeline().fireChannelReadComplete();
        assertThat(queuedAtAnnounce).containsExactly(3);
        assertThat(flushes[0]).isEqualTo(1);
        ch.runPendingTasks();
        assertThat(flushes[0]).isEqualTo(1); // no flush of its own for the answer
        io.netty.buffer.ByteBuf answer = ch.readOutbound();
        assertThat(answer).isNotNull();
        answer.release();
        ch.finishAndReleaseAll();
    }
}
