package io.ggen.p2p.mux.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ggen.p2p.fuzz.FuzzInput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Yamux frames from a hostile remote through the decoder AND the session state machine, with the
 * local side acting in between (opening, reading, writing, closing, resetting streams, pinging),
 * as {@code YamuxSession} drives them. Input: {@code [tag][length][body]}...: tags 0-3 are bytes
 * from the remote, 4 opens a stream, 5 reads what a stream holds, 6 writes or closes or resets a
 * stream, 7 pings, goes away or moves the clock.
 *
 * <p>The contract: the decoder throws only {@link YamuxProtocolException} (the session then ends
 * with a protocol error) and the machine throws nothing; streams stay within {@code maxStreams};
 * no stream is handed more unread bytes than its receive window; windows stay within the
 * configured bounds; and every buffer is released exactly once (the remote's bytes are back to
 * one reference each at the end: no leak, no double release).
 */
class YamuxSessionFuzzTest {

    @FuzzTest
    void session(byte[] input) {
        YamuxConfig config = YamuxConfig.DEFAULT;
        boolean client = input.length > 0 && (input[0] & 1) == 1;
        long[] now = {1_000_000_000L};
        Map<Integer, Long> unread = new HashMap<>();
        List<ByteBuf> held = new ArrayList<>();
        List<ByteBuf> remoteBytes = new ArrayList<>();
        boolean[] closed = {false};
        YamuxStateMachine[] machine = new YamuxStateMachine[1];
        YamuxStateMachine.Output out = new YamuxStateMachine.Output() {
            @Override
            public void send(YamuxFrame frame) {
                if (frame.data() != null) frame.data().release();
                if (frame.type() == YamuxFrame.Type.PING && frame.has(YamuxFrame.ACK)) machine[0].pongWritten();
            }

            @Override
            public void inboundStream(int id) {
                assertThat(unread).doesNotContainKey(id);
                unread.put(id, 0L);
            }

            @Override
            public void data(int id, ByteBuf data) {
                held.add(data);
                long n = unread.merge(id, (long) data.readableBytes(), Long::sum);
                assertThat(n).as("unread bytes of stream %d", id).isLessThanOrEqualTo(machine[0].recvWindow(id));
            }

            @Override
            public void remoteFin(int id) {
            }

            @Override
            public void streamReset(int id, String reason) {
            }

            @Override
            public void sendWindow(int id, long delta) {
                assertThat(delta).isPositive();
            }

            @Override
            public void streamClosed(int id) {
                unread.remove(id);
            }

            @Override
            public void pong(long opaque, long rttNanos) {
                assertThat(rttNanos).isPositive();
            }

            @Override
            public void sessionClosed(Throwable cause) {
                assertThat(closed[0]).as("the session closes once").isFalse();
                closed[0] = true;
                if (cause != null) assertThat(cause).isInstanceOfAny(YamuxProtocolException.class, IOException.class);
            }
        };
        YamuxStateMachine m = new YamuxStateMachine(client, config, out, () -> now[0]);
        machine[0] = m;
        YamuxCodec.Decoder decoder = new YamuxCodec.Decoder(config.maxFrameLength());
        FuzzInput in = new FuzzInput(input);
        boolean decoderFailed = false;
        while (in.hasMore()) {
            int tag = in.tag();
            byte[] body = in.body();
            List<Integer> ids = new ArrayList<>(unread.keySet());
            int pick = body.length > 0 ? body[0] & 0xff : 0;
            Integer id = ids.isEmpty() ? null : ids.get(pick % ids.size());
            switch (tag & 7) {
                case 0, 1, 2, 3 -> {
                    if (decoderFailed) break;
                    ByteBuf buf = Unpooled.wrappedBuffer(body);
                    remoteBytes.add(buf);
                    try {
                        decoder.decode(buf, m::onFrame);
                    } catch (YamuxProtocolException e) {
                        decoderFailed = true;
                        m.protocolError(e.getMessage());
                    }
                }
                case 4 -> {
                    try {
                        int opened = m.openStream();
                        assertThat(unread).doesNotContainKey(opened);
                        unread.put(opened, 0L);
                    } catch (IOException refused) {
                        // closed, going away, or at the stream limit
                    }
                }
                case 5 -> {
                    if (id != null) {
                        long n = unread.get(id);
                        unread.put(id, 0L);
                        m.consumed(id, n);
                    }
                }
                case 6 -> {
                    if (id == null) break;
                    switch ((tag >>> 3) & 3) {
                        case 0 -> {
                            long window = m.sendWindow(id);
                            int n = (int) Math.min(Math.max(window, 0), body.length);
                            m.sendData(id, Unpooled.wrappedBuffer(body, 0, n));
                        }
                        case 1 -> m.closeWrite(id);
                        case 2 -> m.reset(id);
                        default -> m.ack(id);
                    }
                }
                default -> {
                    switch ((tag >>> 3) & 3) {
                        case 0 -> {
                            try {
                                m.ping();
                            } catch (IOException refused) {
                                // closed, or too many outstanding
                            }
                        }
                        case 1 -> m.goAway();
                        default -> now[0] += (tag >>> 5) * 50_000_000L;
                    }
                }
            }
            assertThat(m.streamCount()).isLessThanOrEqualTo(config.maxStreams());
            for (int s : unread.keySet()) {
                assertThat(m.recvWindow(s)).isLessThanOrEqualTo(Math.max(config.maxStreamWindow(), YamuxConfig.INITIAL_WINDOW));
            }
        }
        m.transportClosed();
        assertThat(closed[0]).isTrue();
        held.forEach(ByteBuf::release);
        for (ByteBuf b : remoteBytes) {
            assertThat(b.refCnt()).as("the remote's bytes are released exactly once").isEqualTo(1);
            b.release();
        }
    }
}
