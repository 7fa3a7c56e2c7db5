package io.ggen.p2p.multistream;

import static io.ggen.p2p.multistream.MultistreamNegotiatorTest.concat;
import static io.ggen.p2p.multistream.MultistreamNegotiatorTest.msgs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class MultistreamHandlerTest {
    static final String HEADER = MultistreamCodec.PROTOCOL_ID;

    /**
     * Stands for the host: records events and, on Selected, installs a handler collecting the
     * selected protocol's bytes right after itself.
     */
    static final class Upgrader extends ChannelInboundHandlerAdapter {
        final Queue<Object> events = new ConcurrentLinkedQueue<>();
        final ByteBuf protocolBytes = Unpooled.buffer();
        volatile Channel channel;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
            if (evt instanceof MultistreamHandler.Selected) {
                ctx.pipeline().addAfter(ctx.name(), "app" + events.size(), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext c, Object msg) {
                        ByteBuf b = (ByteBuf) msg;
                        synchronized (protocolBytes) {
                            protocolBytes.writeBytes(b);
                        }
                        b.release();
                    }
                });
            }
        }

        byte[] received() {
            synchronized (protocolBytes) {
                return ByteBufUtil.getBytes(protocolBytes);
            }
        }
    }

    static byte[] drainOutbound(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        return ByteBufUtil.getBytes(all);
    }

    @Test
    void initiatorNegotiatesThenHandsLaterBytesToTheNextHandler() {
        Upgrader up = new Upgrader();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("mss", MultistreamHandler.initiator(List.of("/noise")));
        ch.pipeline().addLast("upgrader", up);
        assertThat(drainOutbound(ch)).isEqualTo(msgs(HEADER, "/noise"));

        ch.writeInbound(Unpooled.wrappedBuffer(msgs(HEADER)));
        assertThat(up.events).isEmpty();
        ch.writeInbound(Unpooled.wrappedBuffer(concat(msgs("/noise"), new byte[] {7, 8, 9})));
        assertThat(up.events).containsExactly(new MultistreamHandler.Selected("/noise"));
        assertThat(ch.pipeline().get("mss")).isNull();
        assertThat(up.received()).containsExactly(7, 8, 9);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {10}));
        assertThat(up.received()).containsExactly(7, 8, 9, 10);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void optimisticInitiatorReportsItsProposalAtOnceAndPassesBytesOnOnlyAfterTheEcho() {
        Upgrader up = new Upgrader();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("upgrader", up);
        ch.pipeline().addBefore("upgrader", "mss", MultistreamHandler.optimisticInitiator("/noise"));
        assertThat(drainOutbound(ch)).isEqualTo(msgs(HEADER, "/noise"));
        assertThat(up.events).containsExactly(new MultistreamHandler.Selected("/noise"));
        // the header alone, then the echo with the protocol's first bytes behind it
        ch.writeInbound(Unpooled.wrappedBuffer(msgs(HEADER)));
        assertThat(up.received()).isEmpty();
        ch.writeInbound(Unpooled.wrappedBuffer(concat(msgs("/noise"), new byte[] {7, 8, 9})));
        assertThat(ch.pipeline().get("mss")).isNull();
        assertThat(up.received()).containsExactly(7, 8, 9);
        assertThat(up.events).hasSize(1);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void optimisticInitiatorFailsTheChannelOnNa() {
        Upgrader up = new Upgrader();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("upgrader", up);
        ch.pipeline().addBefore("upgrader", "mss", MultistreamHandler.optimisticInitiator("/noise"));
        ch.writeInbound(Unpooled.wrappedBuffer(concat(msgs(HEADER, "na"), new byte[] {7})));
        assertThat(up.events).hasSize(2).last().isInstanceOf(MultistreamHandler.Failed.class);
        assertThat(up.received()).isEmpty();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void responderAnswersPipelinedProposalInOneWrite() {
        Upgrader up = new Upgrader();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("mss", MultistreamHandler.responder(Set.of("/yamux/1.0.0")));
        ch.pipeline().addLast("upgrader", up);
        Object nothing = ch.readOutbound();
        assertThat(nothing).isNull();
        ch.writeInbound(Unpooled.wrappedBuffer(concat(msgs(HEADER, "/mplex/6.7.0", "/yamux/1.0.0"), new byte[] {0, 1})));
        ByteBuf first = ch.readOutbound();
        assertThat(ByteBufUtil.getBytes(first)).isEqualTo(msgs(HEADER, "na", "/yamux/1.0.0"));
        first.release();
        assertThat(up.events).containsExactly(new MultistreamHandler.Selected("/yamux/1.0.0"));
        assertThat(up.received()).containsExactly(0, 1);
    }

    @Test
    void failureFiresFailedAndCloses() {
        Upgrader up = new Upgrader();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("mss", MultistreamHandler.initiator(List.of("/noise")));
        ch.pipeline().addLast("upgrader", up);
        ch.writeInbound(Unpooled.wrappedBuffer(msgs(HEADER, "na")));
        assertThat(up.events).singleElement().isInstanceOfSatisfying(MultistreamHandler.Failed.class,
                f -> assertThat(f.cause()).isInstanceOf(ProtocolNegotiationException.class).hasMessageContaining("none of"));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void timesOut() {
        Upgrader up = new Upgrader();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("mss", MultistreamHandler.responder(Set.of("/noise"), MultistreamConfig.DEFAULT.withTimeout(Duration.ofSeconds(3))));
        ch.pipeline().addLast("upgrader", up);
        ch.writeInbound(Unpooled.wrappedBuffer(msgs(HEADER)));
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(up.events).isEmpty();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(up.events).singleElement().isInstanceOfSatisfying(MultistreamHandler.Failed.class,
                f -> assertThat(f.cause()).hasMessageContaining("timed out"));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void earlyCloseFiresFailed() {
        Upgrader up = new Upgrader();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("mss", MultistreamHandler.initiator(List.of("/noise")));
        ch.pipeline().addLast("upgrader", up);
        ch.close();
        assertThat(up.events).singleElement().isInstanceOf(MultistreamHandler.Failed.class);
    }

    @Test
    void negotiatesTwiceOverRealTcpLikeAConnectionUpgrade() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Upgrader serverUp = new Upgrader();
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast("mss", MultistreamHandler.responder(Set.of("/noise")));
                            c.pipeline().addLast("upgrader", serverUp);
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            Upgrader clientUp = new Upgrader();
            Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast("mss", MultistreamHandler.initiator(List.of("/tls/1.0.0", "/noise")));
                            c.pipeline().addLast("upgrader", clientUp);
                        }
                    }).connect(server.localAddress()).sync().channel();
            await().atMost(Duration.ofSeconds(5)).until(() -> clientUp.events.size() == 1 && serverUp.events.size() == 1);
            assertThat(clientUp.events).containsExactly(new MultistreamHandler.Selected("/noise"));
            assertThat(serverUp.events).containsExactly(new MultistreamHandler.Selected("/noise"));
            // Second round on the same, already active, connection: added to the live pipeline.
            Channel serverChild = serverUp.channel;
            serverChild.eventLoop().submit(() -> serverChild.pipeline().addFirst("mss2", MultistreamHandler.responder(Set.of("/yamux/1.0.0")))).sync();
            client.eventLoop().submit(() -> client.pipeline().addFirst("mss2", MultistreamHandler.initiator(List.of("/yamux/1.0.0")))).sync();
            await().atMost(Duration.ofSeconds(5)).until(() -> clientUp.events.size() == 2 && serverUp.events.size() == 2);
            assertThat(clientUp.events).last().isEqualTo(new MultistreamHandler.Selected("/yamux/1.0.0"));
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
