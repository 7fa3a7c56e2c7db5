package io.ggen.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import io.ggen.p2p.multiformats.Varint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

class LengthPrefixedDecoderTest {
    static final int MAX = 4096;

    static byte[] concat(List<byte[]> frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : frames) LengthPrefixed.write(out, f);
        return out.toByteArray();
    }

    static List<byte[]> decodeInChunks(byte[] wire, Random cuts, int maxChunk) throws IOException {
        LengthPrefixed.Decoder d = new LengthPrefixed.Decoder(MAX);
        List<byte[]> got = new ArrayList<>();
        for (int i = 0; i < wire.length; ) {
            int n = Math.min(wire.length - i, 1 + cuts.nextInt(maxChunk));
            d.feed(ByteBuffer.wrap(wire, i, n), got::add);
            i += n;
        }
        assertThat(d.atBoundary()).isTrue();
        return got;
    }

    @Test
    void framesCutAnywhereComeOutWhole() {
        qt().withExamples(500).forAll(SourceDSL.longs().all(), SourceDSL.integers().between(1, 600)).checkAssert((seed, maxChunk) -> {
            Random r = new Random(seed);
            List<byte[]> frames = new ArrayList<>();
            for (int i = r.nextInt(12); i > 0; i--) {
                byte[] f = new byte[r.nextInt(4) == 0 ? 0 : r.nextInt(MAX + 1)];
                r.nextBytes(f);
                frames.add(f);
            }
            try {
                List<byte[]> got = decodeInChunks(concat(frames), r, maxChunk);
                assertThat(got).hasSameSizeAs(frames);
                for (int i = 0; i < frames.size(); i++) assertThat(got.get(i)).isEqualTo(frames.get(i));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void agreesWithTheBlockingReaderOnHostileBytes() {
        // Whatever the bytes, the decoder accepts the frames the blocking reader accepts and refuses
        // where it refuses (it may only hold back an unfinished last frame).
        qt().withExamples(2000).forAll(SourceDSL.longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            byte[] wire = new byte[r.nextInt(64)];
            r.nextBytes(wire);
            if (wire.length > 0 && r.nextBoolean()) wire[0] = (byte) r.nextInt(40); // often a plausible length
            List<byte[]> expected = new ArrayList<>();
            boolean refused = false;
            ByteArrayInputStream in = new ByteArrayInputStream(wire);
            try {
                for (Optional<byte[]> f; (f = LengthPrefixed.read(in, 32)).isPresent(); ) expected.add(f.get());
            } catch (LengthPrefixed.FrameException e) {
                refused = true;
            } catch (IOException e) {
                // ended inside a frame: the decoder just waits for more
            }
            LengthPrefixed.Decoder d = new LengthPrefixed.Decoder(32);
            List<byte[]> got = new ArrayList<>();
            boolean decoderRefused = false;
            try {
                for (byte b : wire) d.feed(ByteBuffer.wrap(new byte[] {b}), got::add);
            } catch (LengthPrefixed.FrameException e) {
                decoderRefused = true;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            assertThat(decoderRefused).isEqualTo(refused);
            assertThat(got).hasSameSizeAs(expected);
        });
    }

    @Test
    void refusesOversizedNonMinimalAndOverlongLengthsBeforeAllocating() {
        LengthPrefixed.Decoder d = new LengthPrefixed.Decoder(MAX);
        assertThatThrownBy(() -> d.feed(ByteBuffer.wrap(Varint.encode(Integer.MAX_VALUE)), f -> { }))
                .isInstanceOf(LengthPrefixed.FrameException.class).hasMessageContaining("exceeds the limit");
        assertThatThrownBy(() -> new LengthPrefixed.Decoder(MAX).feed(ByteBuffer.wrap(new byte[] {(byte) 0x81, 0}), f -> { }))
                .isInstanceOf(LengthPrefixed.FrameException.class).hasMessageContaining("not minimal");
        byte[] endless = new byte[20];
        java.util.Arrays.fill(endless, (byte) 0xff);
        assertThatThrownBy(() -> new LengthPrefixed.Decoder(MAX).feed(ByteBuffer.wrap(endless), f -> { }))
                .isInstanceOf(LengthPrefixed.FrameException.class).hasMessageContaining("longer than");
    }
}
