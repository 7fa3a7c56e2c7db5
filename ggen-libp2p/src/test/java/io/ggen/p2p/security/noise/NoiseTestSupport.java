package io.ggen.p2p.security.noise;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.KeyType;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.crypto.PublicKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Shared helpers: keys, a recording handler, and a pump between two embedded channels. */
final class NoiseTestSupport {
    private NoiseTestSupport() {}

    static Ed25519PrivateKey key(int seed) {
        byte[] s = new byte[32];
        s[0] = (byte) seed;
        s[31] = 7;
        return Ed25519PrivateKey.fromSeed(s);
    }

    /** An identity key whose signatures are corrupted: to test signature checks. */
    static PrivateKey badSigner(PrivateKey real) {
        return new PrivateKey() {
            @Override
            public KeyType type() {
                return real.type();
            }

            @Override
            public PublicKey publicKey() {
                return real.publicKey();
            }

            @Override
            public byte[] sign(byte[] data) {
                byte[] sig = real.sign(data);
                sig[5] ^= 1;
                return sig;
            }

            @Override
            public byte[] raw() {
                return real.raw();
            }
        };
    }

    /** Records user events and inbound messages; optionally reacts to events. */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();
        final List<ByteBuf> reads = new ArrayList<>();
        Consumer<ChannelHandlerContext> onCompleted = c -> {};

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
            if (evt instanceof NoiseHandshakeHandler.Completed) onCompleted.accept(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            reads.add((ByteBuf) msg);
        }

        NoiseSession completed() {
            return events.stream().filter(e -> e instanceof NoiseHandshakeHandler.Completed)
                    .map(e -> ((NoiseHandshakeHandler.Completed) e).session()).findFirst().orElse(null);
        }

        Throwable failed() {
            return events.stream().filter(e -> e instanceof NoiseHandshakeHandler.Failed)
                    .map(e -> ((NoiseHandshakeHandler.Failed) e).cause()).findFirst().orElse(null);
        }

        byte[] readBytes() {
            int n = reads.stream().mapToInt(ByteBuf::readableBytes).sum();
            byte[] out = new byte[n];
            int pos = 0;
            for (ByteBuf b : reads) {
                int len = b.readableBytes();
                b.readBytes(out, pos, len);
                pos += len;
                b.release();
            }
            reads.clear();
            return out;
        }
    }

    /**
     * Moves everything each channel wrote to the other until both are quiet. All buffers written
     * in one round are concatenated, so a final handshake message and the first transport frame
     * arrive together, as they often do over TCP.
     */
    static void pump(EmbeddedChannel a, EmbeddedChannel b) {
        for (int round = 0; round < 100; round++) {
            boolean moved = move(a, b) | move(b, a);
            if (!moved) return;
        }
        throw new AssertionError("channels kept talking");
    }

    static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = from.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        if (!all.isReadable()) {
            all.release();
            return false;
        }
        if (to.isOpen()) to.writeInbound(all);
        else all.release();
        return true;
    }

    static ByteBuf drainOutbound(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        return all;
    }
}
