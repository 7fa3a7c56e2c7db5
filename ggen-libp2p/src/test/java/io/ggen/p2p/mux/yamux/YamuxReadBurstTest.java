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
}
