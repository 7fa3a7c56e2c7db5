package io.ggen.p2p.security.noise;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.Keys;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PublicKey;
import io.ggen.p2p.fuzz.FuzzInput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Noise XX handshake and the transport frames against a hostile peer.
 *
 * <p>{@link #handshake}: the first tag picks our role and whether the peer is raw (each body is a
 * handshake message as sent) or a real Noise peer with a fixed static key whose encrypted payload
 * (the libp2p identity: key, signature, extensions) is the fuzzer's body, so the payload decoder
 * and the identity checks are reached past the encryption. The contract: only
 * {@link NoiseException} escapes, and a completed handshake names exactly the peer whose key
 * signed the peer's static key, with ciphers that agree with the peer's.
 *
 * <p>{@link #transport}: frames into {@link NoiseTransportHandler} on an embedded channel: a body
 * is raw wire bytes, or plaintext the harness encrypts as the peer would. The contract: no
 * exception leaves the pipeline; what is delivered is exactly the plaintext of the correctly
 * encrypted frames that came before the first bad byte; after that the channel is closed.
 */
class NoiseFuzzTest {
    private static final Ed25519PrivateKey OURS = Ed25519PrivateKey.fromSeed(seed(1));
    static final Ed25519PrivateKey PEER_IDENTITY = Ed25519PrivateKey.fromSeed(seed(2));
    static final byte[] PEER_STATIC = seed(3);
    private static final byte[] PEER_EPHEMERAL = seed(4);

    static byte[] seed(int n) {
        byte[] s = new byte[32];
        s[0] = (byte) n;
        s[31] = 9;
        return s;
    }

    @FuzzTest
    void handshake(byte[] input) throws NoiseException {
        FuzzInput in = new FuzzInput(input);
        int mode = in.tag();
        if (mode < 0) return;
        boolean weInitiate = (mode & 1) == 1;
        NoiseHandshake ours = new NoiseHandshake(OURS, weInitiate, Optional.empty(), List.of("/yamux/1.0.0"));
        try {
            if ((mode & 2) == 0) {
                raw(ours, weInitiate, in);
            } else {
                structured(ours, weInitiate, in);
            }
        } catch (NoiseException refused) {
            assertThat(ours.isFailed()).isTrue();
        }
    }

    private static void raw(NoiseHandshake ours, boolean weInitiate, FuzzInput in) throws NoiseException {
        if (weInitiate) ours.start();
        while (in.hasMore()) {
            in.tag();
            NoiseHandshake.Step step = ours.receive(in.body());
            if (step instanceof NoiseHandshake.Done) throw new AssertionError("a handshake completed with raw bytes from a peer that has no key");
        }
    }

    private static void structured(NoiseHandshake ours, boolean weInitiate, FuzzInput in) throws NoiseException {
        HandshakeState peer = new HandshakeState(!weInitiate, new byte[0], PEER_STATIC, PEER_EPHEMERAL);
        in.tag();
        byte[] peerPayload = in.body();
        NoiseHandshake.Step step;
        if (weInitiate) {
            peer.readMessage(ours.start());
            step = ours.receive(peer.writeMessage(clip(peerPayload, peer)));
        } else {
            NoiseHandshake.Step second = ours.receive(peer.writeMessage(new byte[0]));
            peer.readMessage(((NoiseHandshake.Send) second).message());
            step = ours.receive(peer.writeMessage(clip(peerPayload, peer)));
        }
        NoiseHandshake.Done done = (NoiseHandshake.Done) step;
        // Completed: only a payload signed by its own identity key over the peer's static key gets here.
        NoisePayload p = NoisePayloadCodec.decode(peerPayload);
        PublicKey key = Keys.unmarshalPublic(p.identityKey());
        byte[] signed = NoiseHandshake.concat(NoiseHandshake.SIGNATURE_PREFIX, HandshakeState.publicKeyOf(PEER_STATIC));
        assertThat(key.verify(signed, p.identitySig())).isTrue();
        assertThat(done.session().remotePeer()).isEqualTo(PeerId.fromPublicKey(key));
        if (weInitiate) peer.readMessage(done.finalMessage().orElseThrow());
        CipherState[] peerCiphers = peer.split();
        CipherState peerSend = weInitiate ? peerCiphers[1] : peerCiphers[0];
        byte[] sealed = peerSend.encryptWithAd(new byte[0], "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(done.session().recvCipher().decryptWithAd(new byte[0], sealed)).asString(java.nio.charset.StandardCharsets.US_ASCII).isEqualTo("hello");
    }

    private static byte[] clip(byte[] payload, HandshakeState s) {
        return payload.length <= s.maxPayload() ? payload : Arrays.copyOf(payload, s.maxPayload());
    }

    @FuzzTest
    void transport(byte[] input) throws NoiseException {
        byte[] k = seed(5);
        CipherState peerSend = new CipherState(k);
        List<ByteBuf> reads = new java.util.ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(
                new NoiseTransportHandler(new CipherState(seed(6)), new CipherState(k)),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        reads.add((ByteBuf) msg);
                    }
                });
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        boolean spoiled = false;
        FuzzInput in = new FuzzInput(input);
        while (in.hasMore() && ch.isOpen()) {
            int tag = in.tag();
            byte[] body = in.body();
            byte[] wire;
            if ((tag & 1) == 0 && body.length <= NoiseTransportHandler.MAX_PLAINTEXT) {
                byte[] ct = peerSend.encryptWithAd(new byte[0], body);
                wire = new byte[2 + ct.length];
                wire[0] = (byte) (ct.length >>> 8);
                wire[1] = (byte) ct.length;
                System.arraycopy(ct, 0, wire, 2, ct.length);
                if (!spoiled) expected.writeBytes(body);
            } else {
                wire = body;
                if (wire.length > 0) spoiled = true;
            }
            // The peer's bytes may arrive split anywhere.
            int cut = (tag >>> 1) % (wire.length + 1);
            ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(wire, cut)));
            // A bad first part closes the channel (the contract); the rest has nowhere to go.
            if (ch.isOpen()) ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(wire, cut, wire.length)));
        }
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (ByteBuf b : reads) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            got.writeBytes(bytes);
            b.release();
        }
        if (!spoiled) {
            assertThat(got.toByteArray()).isEqualTo(expected.toByteArray());
        } else {
            // Raw bytes may happen to frame valid ciphertext only by forging a tag: never.
            assertThat(expected.toByteArray()).startsWith(got.toByteArray());
        }
        ch.finishAndReleaseAll();
    }
}
