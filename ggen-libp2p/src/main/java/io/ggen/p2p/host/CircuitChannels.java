package io.ggen.p2p.host;

import io.ggen.p2p.core.Stream;
import io.ggen.p2p.transport.tcp.SmallHeapBufferAllocator;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Netty channels whose bytes are those of a circuit, a stream through a relay, so that the same
 * upgrade pipeline as for TCP (multistream, Noise, Yamux) runs over it. Each circuit gets an
 * in-VM channel pair: the upgrade runs on one end, and the other end is pumped to and from the
 * stream by two virtual threads, one batch of reads at a time (the pump asks for more only when
 * the stream took the last batch, so a slow relay slows the connection instead of filling memory).
 */
final class CircuitChannels implements AutoCloseable {
    private static final AtomicLong NEXT = new AtomicLong();
    private static final int READ_CHUNK = 16 * 1024;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    private final LocalAddress serverAddress = new LocalAddress("ggen-circuits-" + NEXT.incrementAndGet());
    private final Map<LocalAddress, Stream> pending = new ConcurrentHashMap<>();
    private volatile Channel server;

    private synchronized Channel server() {
        if (server == null) {
            server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.ALLOCATOR, SmallHeapBufferAllocator.INSTANCE)
                    .childHandler(new ChannelInitializer<LocalChannel>() {
                        @Override
                        protected void initChannel(LocalChannel ch) {
                            Stream circuit = pending.remove(ch.remoteAddress());
                            if (circuit == null) {
                                ch.close();
                                return;
                            }
                            ch.pipeline().addLast("circuit-pump", new Pump(circuit));
                        }
                    })
                    .bind(serverAddress).syncUninterruptibly().channel();
        }
        return server;
    }

    /** A channel carrying {@code circuit}'s bytes, with {@code upgrade} in its pipeline. */
    ChannelFuture open(Stream circuit, ChannelHandler upgrade) {
        Channel srv = server();
        LocalAddress mine = new LocalAddress("ggen-circuit-" + NEXT.incrementAndGet());
        pending.put(mine, circuit);
        ChannelFuture f = new Bootstrap().group(group).channel(LocalChannel.class)
                .option(ChannelOption.ALLOCATOR, SmallHeapBufferAllocator.INSTANCE)
                .localAddress(mine)
                .handler(upgrade)
                .connect(srv.localAddress());
        f.addListener(x -> {
            if (!x.isSuccess() && pending.remove(mine) != null) circuit.reset();
        });
        return f;
    }

    @Override
    public void close() {
        Channel s = server;
        if (s != null) s.close();
        pending.values().forEach(Stream::reset);
        pending.clear();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The stream's end of the pair. */
    private static final class Pump extends ChannelInboundHandlerAdapter {
        private final Stream circuit;
        private final ByteArrayOutputStream batch = new ByteArrayOutputStream();

        Pump(Stream circuit) {
            this.circuit = circuit;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel ch = ctx.channel();
            Thread.ofVirtual().name("circuit-in").start(() -> {
                byte[] buf = new byte[READ_CHUNK];
                try {
                    InputStream in = circuit.in();
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        if (!ch.writeAndFlush(Unpooled.copiedBuffer(buf, 0, n)).awaitUninterruptibly().isSuccess()) break;
                    }
                } catch (IOException | RuntimeException e) {
                    circuit.reset();
                }
                ch.close();
            });
            ctx.read();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                ByteBuf b = (ByteBuf) msg;
                b.readBytes(batch, b.readableBytes());
            } catch (IOException e) {
                ctx.close();
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            byte[] out = batch.toByteArray();
            batch.reset();
            if (out.length == 0) {
                ctx.read();
                return;
            }
            Thread.ofVirtual().name("circuit-out").start(() -> {
                try {
                    circuit.out().write(out);
                    circuit.out().flush();
                    ctx.channel().eventLoop().execute(ctx::read);
                } catch (IOException | RuntimeException e) {
                    circuit.reset();
                    ctx.channel().close();
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            circuit.reset();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
