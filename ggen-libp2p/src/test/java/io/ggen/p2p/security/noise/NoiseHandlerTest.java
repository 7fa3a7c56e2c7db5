package io.ggen.p2p.security.noise;

import static io.ggen.p2p.security.noise.NoiseTestSupport.badSigner;
import static io.ggen.p2p.security.noise.NoiseTestSupport.drainOutbound;
import static io.ggen.p2p.security.noise.NoiseTestSupport.key;
import static io.ggen.p2p.security.noise.NoiseTestSupport.pump;
import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.security.noise.NoiseTestSupport.Recorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NoiseHandlerTest {
    private final Ed25519PrivateKey alice = key(1);
    private final Ed25519PrivateKey bob = key(2);

    /** Two connected embedded channels with a Noise handler and a recorder each. */
    private static final class Link {
        final Recorder ir = new Recorder();
        final Recorder rr = new Recorder();
        final EmbeddedChannel ic;
        final EmbeddedChannel rc;

        Link(PrivateKey iKey, PrivateKey rKey, Optional<PeerId> expected, NoiseConfig config) {
            ic = new EmbeddedChannel(new NoiseHandshakeHandler(iKey, true, expected, config), ir);
            rc = new EmbeddedChannel(new NoiseHandshakeHandler(rKey, false, Optional.empty(), config), rr);
        }

        void pump() {
            NoiseTestSupport.pump(ic, rc);
        }
    }

    @Test
    void handshakeInstallsTransportAndCarriesDataBothWays() {
        Link l = new Link(alice, bob, Optional.of(PeerId.fromPublicKey(bob.publicKey())), NoiseConfig.DEFAULT.withStreamMuxers(List.of("/yamux/1.0.0")));
        l.pump();
        assertThat(l.ir.completed()).isNotNull();
        assertThat(l.rr.completed()).isNotNull();
        assertThat(l.ir.completed().remotePeer()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()));
        assertThat(l.rr.completed().remotePeer()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
        assertThat(l.rr.completed().remoteStreamMuxers()).containsExactly("/yamux/1.0.0");
        assertThat(l.ic.pipeline().get(NoiseHandshakeHandler.class)).isNull();
        assertThat(l.ic.pipeline().get(NoiseTransportHandler.NAME)).isInstanceOf(NoiseTransportHandler.class);

        l.ic.writeAndFlush(Unpooled.wrappedBuffer("ping".getBytes()));
        l.pump();
        assertThat(new String(l.rr.readBytes())).isEqualTo("ping");
        l.rc.writeAndFlush(Unpooled.wrappedBuffer("pong".getBytes()));
        l.pump();
        assertThat(new String(l.ir.readBytes())).isEqualTo("pong");
        assertThat(l.ic.finishAndReleaseAll()).isFalse();
        assertThat(l.rc.finishAndReleaseAll()).isFalse();
    }

    /** The initiator writes as soon as it learns of success: message 3 and data arrive together. */
    @Test
    void bytesAfterTheLastHandshakeMessageReachTheTransport() {
        Link l = new Link(alice, bob, Optional.empty(), NoiseConfig.DEFAULT);
        l.ir.onCompleted = ctx -> ctx.writeAndFlush(Unpooled.wrappedBuffer("early".getBytes()));
        l.pump();
        assertThat(l.rr.completed()).isNotNull();
        assertThat(new String(l.rr.readBytes())).isEqualTo("early");
        // The event comes before the data, so a listener can set up the muxer first.
        assertThat(l.rr.events.getFirst()).isInstanceOf(NoiseHandshakeHandler.Completed.class);
    }

    @Test
    void writesDuringTheHandshakeAreHeldAndEncrypted() {
        Link l = new Link(alice, bob, Optional.empty(), NoiseConfig.DEFAULT);
        ChannelFuture f = l.ic.writeAndFlush(Unpooled.wrappedBuffer("queued".getBytes()));
        assertThat(f.isDone()).isFalse();
        l.pump();
        assertThat(f.isSuccess()).isTrue();
        assertThat(new String(l.rr.readBytes())).isEqualTo("queued");
    }

    @Test
    void largeWritesAreSplitIntoMaximalFrames() {
        Link l = new Link(alice, bob, Optional.empty(), NoiseConfig.DEFAULT);
        l.pump();
        byte[] data = new byte[200_000];
        new Random(1).nextBytes(data);
        l.ic.writeAndFlush(Unpooled.wrappedBuffer(data));
        ByteBuf wire = drainOutbound(l.ic);
        // 200000 = 3 * 65519 + 3443: four frames, the first three full.
        assertThat(wire.readableBytes()).isEqualTo(data.length + 4 * (2 + 16));
        assertThat(wire.getUnsignedShort(0)).isEqualTo(65535);
        l.rc.writeInbound(wire);
        assertThat(l.rr.reads).hasSize(4);
        assertThat(l.rr.readBytes()).isEqualTo(data);
    }

    @Test
    void smallWritesAreCoalescedPerFlush() {
        Link l = new Link(alice, bob, Optional.empty(), NoiseConfig.DEFAULT);
        l.pump();
        StringBuilder expected = new StringBuilder();
        for (int k = 0; k < 100; k++) {
            String s = "part-" + k + ";";
            expected.append(s);
            l.ic.write(k % 2 == 0 ? Unpooled.wrappedBuffer(s.getBytes()) : Unpooled.directBuffer().writeBytes(s.getBytes()));
        }
        l.ic.write(Unpooled.EMPTY_BUFFER);
        l.ic.flush();
        assertThat(l.ic.outboundMessages()).hasSize(1);
        l.pump();
        assertThat(l.rr.reads).hasSize(1);
        assertThat(new String(l.rr.readBytes())).isEqualTo(expected.toString());
    }

    @Test
    void frameByFrameByteByByteDeliveryWorks() {
        Link l = new Link(alice, bob, Optional.empty(), NoiseConfig.DEFAULT);
        l.pump();
        l.ic.writeAndFlush(Unpooled.wrappedBuffer("slowly".getBytes()));
        ByteBuf wire = drainOutbound(l.ic);
        while (wire.isReadable()) l.rc.writeInbound(wire.readRetainedSlice(1));
        wire.release();
        assertThat(new String(l.rr.readBytes())).isEqualTo("slowly");
    }

    @Test
    void tamperedTransportCiphertextClosesTheConnection() {
        Link l = new Link(alice, bob, Optional.empty(), NoiseConfig.DEFAULT);
        l.pump();
        l.ic.writeAndFlush(Unpooled.wrappedBuffer("secret".getBytes()));
        ByteBuf wire = drainOutbound(l.ic);
        wire.setByte(4, wire.getByte(4) ^ 1);
        l.rc.writeInbound(wire);
        assertThat(l.rc.isOpen()).isFalse();
        assertThat(l.rr.reads).isEmpty();
        l.rc.checkException();
    }

    @Test
    void wrongExpectedPeerFailsAndCloses() {
        Link l = new Link(alice, bob, Optional.of(PeerId.fromPublicKey(key(9).publicKey())), NoiseConfig.DEFAULT);
        l.pump();
        assertThat(l.ir.failed()).isInstanceOf(NoiseException.class).hasMessageContaining("expected");
        assertThat(l.ic.isOpen()).isFalse();
        assertThat(l.ir.completed()).isNull();
        // The responder never gets message 3; it sees the close (here: we close it, as TCP would).
        l.rc.close();
        assertThat(l.rr.failed()).isInstanceOf(NoiseException.class).hasMessageContaining("closed");
    }

    @Test
    void badSignatureFailsAndCloses() {
        Link l = new Link(alice, badSigner(bob), Optional.empty(), NoiseConfig.DEFAULT);
        l.pump();
        assertThat(l.ir.failed()).hasMessageContaining("signature");
        assertThat(l.ic.isOpen()).isFalse();
    }

    @Test
    void handshakeTimesOut() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Recorder rec = new Recorder();
        ch.pipeline().addLast(new NoiseHandshakeHandler(alice, false, Optional.empty(), NoiseConfig.DEFAULT.withHandshakeTimeout(Duration.ofSeconds(3))), rec);
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(rec.failed()).hasMessageContaining("timed out");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void initiatorAddedToAnActiveChannelSendsMessageOneAtOnce() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new NoiseHandshakeHandler(alice, true, Optional.empty(), NoiseConfig.DEFAULT));
        ByteBuf m1 = drainOutbound(ch);
        assertThat(m1.readableBytes()).isEqualTo(2 + 32);
        assertThat(m1.getUnsignedShort(0)).isEqualTo(32);
        m1.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void writeFailureAfterCloseDoesNotThrow() {
        Link l = new Link(alice, bob, Optional.empty(), NoiseConfig.DEFAULT);
        l.pump();
        l.ic.close();
        ChannelFuture f = l.ic.writeAndFlush(Unpooled.wrappedBuffer(new byte[10]));
        assertThat(f.isSuccess()).isFalse();
        pump(l.ic, l.rc);
    }
}
