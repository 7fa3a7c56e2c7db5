package io.ggen.p2p.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmallHeapBufferAllocatorTest {

    /** Whether a buffer came from the pool (Netty's default allocator) rather than a plain array. */
    private static boolean pooled(ByteBuf b) {
        try {
            return b.alloc() == ByteBufAllocator.DEFAULT;
        } finally {
            b.release();
        }
    }

    @Test
    void smallHeapBuffersArePlainArraysAndBulkOnesPooledOnBothEndsOfAConnection() throws Exception {
        try (TcpTransport tcp = new TcpTransport(1)) {
            CompletableFuture<Channel> accepted = new CompletableFuture<>();
            Channel listener = tcp.listen(new InetSocketAddress("127.0.0.1", 0), new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    accepted.complete(ch);
                }
            }).sync().channel();
            Channel dialled = tcp.dial((InetSocketAddress) listener.localAddress(), Duration.ofSeconds(10), new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                }
            }).sync().channel();
            for (Channel ch : new Channel[]{dialled, accepted.get(10, TimeUnit.SECONDS)}) {
                ByteBufAllocator alloc = ch.alloc();
                assertThat(pooled(alloc.heapBuffer(1_000))).as("a 1,000-byte heap buffer is pooled").isFalse();
                assertThat(pooled(alloc.heapBuffer(SmallHeapBufferAllocator.POOLED_FROM - 1, SmallHeapBufferAllocator.POOLED_FROM - 1))).isFalse();
                assertThat(pooled(alloc.heapBuffer(65_535, 65_535))).as("a 64 KiB heap buffer is pooled").isTrue();
                assertThat(pooled(alloc.ioBuffer(1_000))).as("socket read buffers stay pooled").isTrue();
            }
            dialled.close().sync();
            listener.close().sync();
        }
    }
}
