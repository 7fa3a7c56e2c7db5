package io.ggen.p2p.security.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The transport handler's inbound framing: the messages of a stream of transport frames come out
 * the same however the socket's reads cut that stream (mid length prefix, mid ciphertext, several
 * frames per read), each input buffer is released, and a frame cut short by the end of the
 * connection is released with it.
 */
class NoiseTransportFramingTest {
    private static final byte[] KEY = new byte[32];

    private static byte[] seal(CipherState send, byte[] plain) throws NoiseException {
        byte[] frame = new byte[2 + plain.length + CipherState.TAG_LENGTH];
        frame[0] = (byte) ((plain.length + CipherState.TAG_LENGTH) >>> 8);
        frame[1] = (byte) (plain.length + CipherState.TAG_LENGTH);
        send.encrypt(plain, 0, plain.length, frame, 2);
        return frame;
    }

    @Test
    void anySplitOfTheStreamGivesTheSameMessages() {
        qt().withExamples(200)
                .forAll(lists().of(integers().between(0, NoiseTransportHandler.MAX_PLAINTEXT)).ofSizeBetween(1, 5),
                        lists().of(integers().between(1, 70_000)).ofSizeBetween(1, 12),
                        integers().all())
                .checkAssert((sizes, cuts, seed) -> {
                    try {
                        Random random = new Random(seed);
                        CipherState send = new CipherState(KEY);
                        ByteArrayOutputStream wire = new ByteArrayOutputStream();
                        ByteArrayOutputStream expected = new ByteArrayOutputStream();
                        List<Integer> nonEmpty = new ArrayList<>();
                        for (int size : sizes) {
                            byte[] plain = new byte[size];
                            random.nextBytes(plain);
                            wire.write(seal(send, plain));
                            expected.write(plain);
                            if (size > 0) nonEmpty.add(size);
                        }
                        EmbeddedChannel ch = new EmbeddedChannel(new NoiseTransportHandler(new CipherState(KEY), new CipherState(KEY)));
                        byte[] bytes = wire.toByteArray();
                        List<ByteBuf> inputs = new ArrayList<>();
                        int at = 0;
                        for (int i = 0; at < bytes.length; i++) {
                            int n = Math.min(bytes.length - at, cuts.get(i % cuts.size()));
                            // Direct, as socket reads are.
                            ByteBuf in = Unpooled.directBuffer(n).writeBytes(bytes, at, n);
                            inputs.add(in);
                            ch.writeInbound(in);
                            at += n;
                        }
                        ByteArrayOutputStream got = new ByteArrayOutputStream();
                        List<Integer> messages = new ArrayList<>();
                        ByteBuf m;
                        while ((m = ch.readInbound()) != null) {
                            messages.add(m.readableBytes());
                            byte[] b = new byte[m.readableBytes()];
                            m.readBytes(b);
                            got.write(b);
                            assertThat(m.release()).isTrue();
                        }
                        assertThat(messages).isEqualTo(nonEmpty); // one buffer per non-empty message
                        assertThat(got.toByteArray()).isEqualTo(expected.toByteArray());
                        assertThat(inputs).allMatch(b -> b.refCnt() == 0);
                        assertThat(ch.isOpen()).isTrue();
                        ch.finishAndReleaseAll();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void aFrameCutShortByTheConnectionsEndIsReleased() throws Exception {
        byte[] frame = seal(new CipherState(KEY), new byte[1000]);
        RecordingAllocator alloc = new RecordingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(new NoiseTransportHandler(new CipherState(KEY), new CipherState(KEY)));
        ch.writeInbound(Unpooled.wrappedBuffer(frame, 0, 500));
        assertThat(alloc.heap).hasSize(1);
        assertThat(alloc.heap.get(0).refCnt()).isEqualTo(1);
        ch.close();
        assertThat(alloc.heap.get(0).refCnt()).isZero();
        assertThat(ch.<Object>readInbound()).isNull();
    }

    /** Records the heap buffers handed out, so a test can see they were released. */
    private static final class RecordingAllocator extends io.netty.buffer.AbstractByteBufAllocator {
        final List<ByteBuf> heap = new ArrayList<>();

        RecordingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf b = Unpooled.buffer(initialCapacity, maxCapacity);
            heap.add(b);
            return b;
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return Unpooled.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
