package io.ggen.p2p.security.noise;

import static io.ggen.p2p.security.noise.NoiseTestSupport.drainOutbound;
import static io.ggen.p2p.security.noise.NoiseTestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.security.noise.NoiseTestSupport.Recorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Property tests with random, truncated, corrupted and oversized input: the state machine only
 * ever throws {@link NoiseException}, and the handlers never let an exception out, never
 * complete a handshake or deliver data on forged input, and end in a clean close.
 */
class NoiseHostileInputTest {
    private static final Ed25519PrivateKey ALICE = key(1);
    private static final Ed25519PrivateKey BOB = key(2);

    private static Gen<byte[]> bytes(int min, int max) {
        return Generate.byteArrays(Generate.range(min, max), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
    }

    /** A framed message: a correct 2-byte length prefix (so the bytes reach the state machine). */
    private static byte[] framed(byte[] body) {
        byte[] out = new byte[body.length + 2];
        out[0] = (byte) (body.length >>> 8);
        out[1] = (byte) body.length;
        System.arraycopy(body, 0, out, 2, body.length);
        return out;
    }

    private static NoiseHandshake initiator() {
        return new NoiseHandshake(ALICE, true, Optional.empty(), List.of());
    }

    private static NoiseHandshake responder() {
        return new NoiseHandshake(BOB, false, Optional.empty(), List.of());
    }

    // ---------------------------------------------------------------- state machine

    @Test
    void randomFirstMessageEitherProceedsOrFailsCleanly() {
        qt().withExamples(300).forAll(bytes(0, 200)).checkAssert(m1 -> {
            NoiseHandshake r = responder();
            try {
                assertThat(r.receive(m1)).isInstanceOf(NoiseHandshake.Send.class);
                assertThat(m1.length).isGreaterThanOrEqualTo(32);
            } catch (NoiseException e) {
                assertThat(r.isFailed()).isTrue();
            }
        });
    }

    @Test
    void randomSecondAndThirdMessagesAlwaysFail() {
        qt().withExamples(200).forAll(bytes(0, 400)).checkAssert(m -> {
            NoiseHandshake i = initiator();
            NoiseHandshake r = responder();
            try {
                r.receive(i.start());
            } catch (NoiseException e) {
                fail("valid message 1 rejected", e);
            }
            assertThatThrownBy(() -> i.receive(m)).isInstanceOf(NoiseException.class);
            assertThatThrownBy(() -> r.receive(m)).isInstanceOf(NoiseException.class);
        });
    }

    @Test
    void truncatedOrCorruptedSecondMessageFails() {
        qt().withExamples(200).forAll(integers().between(0, 10_000), integers().between(0, 7), integers().between(0, 1)).checkAssert((where, bit, truncate) -> {
            NoiseHandshake i = initiator();
            NoiseHandshake r = responder();
            byte[] m2;
            try {
                m2 = ((NoiseHandshake.Send) r.receive(i.start())).message();
            } catch (NoiseException e) {
                throw new AssertionError(e);
            }
            int pos = where % m2.length;
            byte[] bad;
            if (truncate == 1) {
                bad = java.util.Arrays.copyOf(m2, pos);
            } else {
                bad = m2.clone();
                bad[pos] ^= (byte) (1 << bit);
            }
            assertThatThrownBy(() -> i.receive(bad)).isInstanceOf(NoiseException.class);
        });
    }

    @Test
    void payloadDecoderOnlyThrowsNoiseException() {
        qt().withExamples(1000).forAll(bytes(0, 300)).checkAssert(p -> {
            try {
                NoisePayload decoded = NoisePayloadCodec.decode(p);
                assertThat(decoded.identityKey()).isNotEmpty();
            } catch (NoiseException expected) {
                // clean failure
            }
        });
    }

    @Test
    void oversizedMessagesAreRefused() {
        NoiseHandshake r = responder();
        assertThatThrownBy(() -> r.receive(new byte[65536])).isInstanceOf(NoiseException.class);
        assertThatThrownBy(() -> NoisePayloadCodec.decode(new byte[65536])).isInstanceOf(NoiseException.class);
    }

    // ---------------------------------------------------------------- handlers

    private static void assertCleanlyFailedOrWaiting(EmbeddedChannel ch, Recorder rec) {
        ch.checkException(); // nothing reached the tail of the pipeline
        assertThat(rec.completed()).isNull();
        assertThat(rec.reads).isEmpty();
        if (!ch.isOpen()) assertThat(rec.failed()).isNotNull();
        ch.close();
        assertThat(rec.failed()).isNotNull();
        assertThat(rec.events.stream().filter(e -> e instanceof NoiseHandshakeHandler.Failed)).hasSize(1);
        ch.finishAndReleaseAll();
    }

    private static void feed(EmbeddedChannel ch, List<byte[]> chunks) {
        for (byte[] c : chunks) {
            if (!ch.isOpen()) break;
            ch.writeInbound(Unpooled.wrappedBuffer(c));
        }
    }

    @Test
    void responderHandlerSurvivesRandomBytes() {
        qt().withExamples(200).forAll(lists().of(bytes(0, 300)).ofSizeBetween(1, 4), integers().between(0, 1)).checkAssert((chunks, frame) -> {
            Recorder rec = new Recorder();
            EmbeddedChannel ch = new EmbeddedChannel(new NoiseHandshakeHandler(BOB, false, Optional.empty(), NoiseConfig.DEFAULT), rec);
            feed(ch, frame == 1 ? chunks.stream().map(NoiseHostileInputTest::framed).toList() : chunks);
            drainOutbound(ch).release();
            assertCleanlyFailedOrWaiting(ch, rec);
        });
    }

    @Test
    void initiatorHandlerSurvivesRandomBytes() {
        qt().withExamples(200).forAll(lists().of(bytes(0, 300)).ofSizeBetween(1, 4), integers().between(0, 1)).checkAssert((chunks, frame) -> {
            Recorder rec = new Recorder();
            EmbeddedChannel ch = new EmbeddedChannel(new NoiseHandshakeHandler(ALICE, true, Optional.empty(), NoiseConfig.DEFAULT), rec);
            drainOutbound(ch).release();
            feed(ch, frame == 1 ? chunks.stream().map(NoiseHostileInputTest::framed).toList() : chunks);
            assertCleanlyFailedOrWaiting(ch, rec);
        });
    }

    @Test
    void oversizedAndTruncatedFramesAreBounded() {
        Recorder rec = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(new NoiseHandshakeHandler(BOB, false, Optional.empty(), NoiseConfig.DEFAULT), rec);
        // Claims 65535 bytes, sends 1000: the handler waits (memory bounded by the frame limit).
        ByteBuf partial = Unpooled.buffer().writeShort(0xFFFF).writeBytes(new byte[1000]);
        ch.writeInbound(partial);
        assertThat(ch.isOpen()).isTrue();
        assertCleanlyFailedOrWaiting(ch, rec);
    }

    /** After a real handshake, random transport frames never yield plaintext and close cleanly. */
    @Test
    void transportHandlerSurvivesRandomFrames() {
        qt().withExamples(100).forAll(lists().of(bytes(0, 300)).ofSizeBetween(1, 4), integers().between(0, 1)).checkAssert((chunks, frame) -> {
            Recorder ir = new Recorder();
            Recorder rr = new Recorder();
            EmbeddedChannel ic = new EmbeddedChannel(new NoiseHandshakeHandler(ALICE, true, Optional.empty(), NoiseConfig.DEFAULT), ir);
            EmbeddedChannel rc = new EmbeddedChannel(new NoiseHandshakeHandler(BOB, false, Optional.empty(), NoiseConfig.DEFAULT), rr);
            NoiseTestSupport.pump(ic, rc);
            assertThat(rr.completed()).isNotNull();
            feed(rc, frame == 1 ? chunks.stream().map(NoiseHostileInputTest::framed).toList() : chunks);
            rc.checkException();
            assertThat(rr.reads).isEmpty();
            rc.finishAndReleaseAll();
            ic.finishAndReleaseAll();
        });
    }

    @Test
    void nonceExhaustionClosesTheConnection() {
        Recorder ir = new Recorder();
        Recorder rr = new Recorder();
        EmbeddedChannel ic = new EmbeddedChannel(new NoiseHandshakeHandler(ALICE, true, Optional.empty(), NoiseConfig.DEFAULT), ir);
        EmbeddedChannel rc = new EmbeddedChannel(new NoiseHandshakeHandler(BOB, false, Optional.empty(), NoiseConfig.DEFAULT), rr);
        NoiseTestSupport.pump(ic, rc);
        ir.completed().sendCipher().setNonce(-1L); // 2^64-1: reserved, never usable
        var f = ic.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}));
        assertThat(f.isSuccess()).isFalse();
        assertThat(ic.isOpen()).isFalse();
        ic.checkException();
        ic.finishAndReleaseAll();
        rc.finishAndReleaseAll();
    }
}
