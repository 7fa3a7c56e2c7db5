package io.ggen.p2p.security.noise;

import static io.ggen.p2p.security.noise.NoiseTestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Handshake and bulk transfer over a real TCP loopback connection with the NIO transport. */
class NoiseLoopbackTest {
    /** Size of the transfer; raise with -Dnoise.loopback.mib=1024 to measure steady-state throughput. */
    private static final int TOTAL = Integer.getInteger("noise.loopback.mib", 32) << 20;
    private static final int WRITE = 64 << 10;
    private final Ed25519PrivateKey alice = key(1);
    private final Ed25519PrivateKey bob = key(2);
    private EventLoopGroup group;

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Receives bytes, hashes them, completes when all have arrived. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        final CompletableFuture<NoiseSession> session = new CompletableFuture<>();
        final CompletableFuture<byte[]> digest = new CompletableFuture<>();
        final MessageDigest sha;
        long received;

        Sink() throws Exception {
            sha = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof NoiseHandshakeHandler.Completed c) session.complete(c.session());
            if (evt instanceof NoiseHandshakeHandler.Failed f) session.completeExceptionally(f.cause());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            received += b.readableBytes();
            sha.update(b.nioBuffer());
            b.release();
            if (received >= TOTAL) digest.complete(sha.digest());
        }
    }

    /** Writes TOTAL pseudo-random bytes in 64 KiB writes, respecting writability. */
    private static final class Source extends ChannelInboundHandlerAdapter {
        final CompletableFuture<NoiseSession> session = new CompletableFuture<>();
        final byte[] block = new byte[WRITE];
        final MessageDigest sha;
        long sent;
        long startNanos;

        Source() throws Exception {
            new Random(42).nextBytes(block);
            sha = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof NoiseHandshakeHandler.Completed c) {
                session.complete(c.session());
                startNanos = System.nanoTime();
                pump(ctx);
            }
            if (evt instanceof NoiseHandshakeHandler.Failed f) session.completeExceptionally(f.cause());
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        private void pump(ChannelHandlerContext ctx) {
            while (sent < TOTAL && ctx.channel().isWritable()) {
                block[0] = (byte) (sent >>> 16); // vary the content per write
                sha.update(block);
                ctx.write(Unpooled.copiedBuffer(block));
                sent += WRITE;
                if ((sent / WRITE) % 4 == 0) ctx.flush();
            }
            ctx.flush();
        }
    }

    @Test
    void handshakeAndBulkTransferOverTcp() throws Exception {
        Sink sink = new Sink();
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new NoiseHandshakeHandler(bob, false, Optional.empty(), NoiseConfig.DEFAULT), sink);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        Source source = new Source();
        // As after multistream-select: the handler is added to an already active channel.
        Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(server.localAddress()).sync().channel();
        client.eventLoop().submit(() -> client.pipeline().addLast(
                new NoiseHandshakeHandler(alice, true, Optional.of(PeerId.fromPublicKey(bob.publicKey())), NoiseConfig.DEFAULT), source)).sync();

        assertThat(source.session.get(10, TimeUnit.SECONDS).remotePeer()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()));
        assertThat(sink.session.get(10, TimeUnit.SECONDS).remotePeer()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
        byte[] got = sink.digest.get(60, TimeUnit.SECONDS);
        long nanos = System.nanoTime() - source.startNanos;
        assertThat(sink.received).isEqualTo(TOTAL);
        assertThat(got).isEqualTo(source.sha.digest());
        System.out.printf("noise loopback: %d MiB in %.1f ms = %.0f MB/s (not a benchmark: includes SHA-256 at both ends and JIT warm-up)%n",
                TOTAL >> 20, nanos / 1e6, TOTAL / (nanos / 1e9) / 1e6);
        client.close().sync();
        server.close().sync();
    }
}
