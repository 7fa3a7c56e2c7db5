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
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

    /** The receiving cipher: OpenSSL's (decrypting in pieces, from direct buffers) or the JDK's (whole messages). */
    enum Receiver {
        OPENSSL, JDK;

        CipherState cipher() {
            return this == JDK ? new CipherState(KEY, new JdkChaChaPoly()) : new CipherState(KEY);
        }
    }

    @ParameterizedTest
    @EnumSource(Receiver.class)
    void anySplitOfTheStreamGivesTheSameMessages(Receiver receiver) {
        assertThat(receiver.cipher().worksOnNativeMemory()).isEqualTo(receiver == Receiver.OPENSSL);
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
                        EmbeddedChannel ch = new EmbeddedChannel(new NoiseTransportHandler(new CipherState(KEY), receiver.cipher()));
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

    @ParameterizedTest
    @EnumSource(Receiver.class)
    void aFlippedBitAnywhereClosesTheConnectionAndPassesNothingOn(Receiver receiver) {
        qt().withExamples(100).forAll(integers().between(0, 70_000), integers().between(1, 70_000), integers().all()).checkAssert((size, cut, seed) -> {
            try {
                Random random = new Random(seed);
                byte[] plain = new byte[size % (NoiseTransportHandler.MAX_PLAINTEXT + 1)];
                random.nextBytes(plain);
                byte[] frame = seal(new CipherState(KEY), plain);
                frame[2 + random.nextInt(frame.length - 2)] ^= (byte) (1 << random.nextInt(8));
                RecordingAllocator alloc = new RecordingAllocator();
                EmbeddedChannel ch = new EmbeddedChannel();
                ch.config().setAllocator(alloc);
                ch.pipeline().addLast(new NoiseTransportHandler(new CipherState(KEY), receiver.cipher()));
                for (int at = 0; at < frame.length && ch.isOpen(); at += cut) {
                    int n = Math.min(cut, frame.length - at);
                    ch.writeInbound(Unpooled.directBuffer(n).writeBytes(frame, at, n));
                }
                assertThat(ch.<Object>readInbound()).isNull();
                assertThat(ch.isOpen()).isFalse();
                assertThat(alloc.heap).allMatch(b -> b.refCnt() == 0);
                // what was decrypted before the tag was checked was wiped, not just dropped
                // (an empty plaintext needs no buffer: the allocator hands out its shared empty one)
                if (plain.length > 0) {
                    assertThat(alloc.arrays).hasSize(1);
                    assertThat(Arrays.copyOf(alloc.arrays.get(0), plain.length)).isEqualTo(new byte[plain.length]);
                }
                ch.finishAndReleaseAll();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void bothCiphersFrameTheSameWritesToTheSameBytes() throws Exception {
        Random random = new Random(7);
        List<byte[]> writes = new ArrayList<>();
        for (int size : new int[] {0, 12, 65_507, 29, 100_000, 5, 65_519, 65_520}) {
            byte[] b = new byte[size];
            random.nextBytes(b);
            writes.add(b);
        }
        byte[] viaOpenssl = frames(new CipherState(KEY), writes);
        byte[] viaJdk = frames(new CipherState(KEY, new JdkChaChaPoly()), writes);
        assertThat(viaOpenssl).isEqualTo(viaJdk);
        // and what they wrote opens with the other
        EmbeddedChannel in = new EmbeddedChannel(new NoiseTransportHandler(new CipherState(KEY), Receiver.JDK.cipher()));
        in.writeInbound(Unpooled.wrappedBuffer(viaOpenssl));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuf m;
        while ((m = in.readInbound()) != null) {
            byte[] b = new byte[m.readableBytes()];
            m.readBytes(b);
            got.write(b);
            m.release();
        }
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        for (byte[] w : writes) want.write(w);
        assertThat(got.toByteArray()).isEqualTo(want.toByteArray());
        in.finishAndReleaseAll();
    }

    /** Writes each buffer (heap and direct in turn) and flushes after each; returns the bytes sent. */
    private static byte[] frames(CipherState send, List<byte[]> writes) {
        EmbeddedChannel ch = new EmbeddedChannel(new NoiseTransportHandler(send, new CipherState(KEY)));
        boolean direct = false;
        for (byte[] w : writes) {
            ByteBuf b = direct ? Unpooled.directBuffer(w.length).writeBytes(w) : Unpooled.wrappedBuffer(w);
            direct = !direct;
            ch.writeAndFlush(b);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf f;
        while ((f = ch.readOutbound()) != null) {
            byte[] bytes = new byte[f.readableBytes()];
            f.readBytes(bytes);
            out.writeBytes(bytes);
            f.release();
        }
        ch.finishAndReleaseAll();
        return out.toByteArray();
    }

    @Test
    void theCiphersAreDestroyedWhenTheConnectionEndsAndLaterWritesFail() {
        CipherState send = new CipherState(KEY);
        CipherState recv = new CipherState(KEY);
        EmbeddedChannel ch = new EmbeddedChannel(new NoiseTransportHandler(send, recv));
        ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[10]));
        assertThat(ch.<ByteBuf>readOutbound().release()).isTrue();
        ch.pipeline().fireChannelInactive();
        assertThat(send.hasKey()).isFalse();
        assertThat(recv.hasKey()).isFalse();
        assertThat(ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[10])).cause()).isInstanceOf(java.nio.channels.ClosedChannelException.class);
        ch.finishAndReleaseAll();
    }

    @ParameterizedTest
    @EnumSource(Receiver.class)
    void aFrameCutShortByTheConnectionsEndIsReleased(Receiver receiver) throws Exception {
        byte[] frame = seal(new CipherState(KEY), new byte[1000]);
        RecordingAllocator alloc = new RecordingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(new NoiseTransportHandler(new CipherState(KEY), receiver.cipher()));
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
        /** The arrays under those buffers, readable after the buffers are released. */
        final List<byte[]> arrays = new ArrayList<>();

        RecordingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf b = Unpooled.buffer(initialCapacity, maxCapacity);
            heap.add(b);
            arrays.add(b.array());
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
