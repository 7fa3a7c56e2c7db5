package io.ggen.bench;

import io.ggen.p2p.mux.MuxedStream;
import io.ggen.p2p.mux.yamux.YamuxConfig;
import io.ggen.p2p.mux.yamux.YamuxSession;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One stream's throughput through two yamux sessions over loopback TCP (no security layer):
 * each operation sends {@code mib} MiB on a new stream and waits until the remote has read it
 * all. MB/s = mib * 1.048576 / (seconds per op).
 *
 * <p>Run: {@code mvn -B -ntp -q -pl ggen-libp2p,ggen-bench -am package -DskipTests &&
 * java -jar ggen-bench/target/benchmarks.jar YamuxBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class YamuxBench {
    @Param({"256"})
    public int mib;

    @Param({"65536"})
    public int chunk;

    private EventLoopGroup group;
    private Channel listener;
    private Channel client;
    private YamuxSession session;
    private volatile CompletableFuture<Long> received;
    private final byte[] buf = new byte[1 << 20];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        YamuxConfig config = YamuxConfig.DEFAULT.withWriteChunkSize(chunk);
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        YamuxSession.install(ch.pipeline(), false, config, s -> Thread.ofVirtual().start(() -> drain(s)));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        CompletableFuture<YamuxSession> cs = new CompletableFuture<>();
        client = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        cs.complete(YamuxSession.install(ch.pipeline(), true, config, MuxedStream::reset));
                    }
                }).connect(listener.localAddress()).sync().channel();
        session = cs.get();
        session.ping().get();
    }

    private void drain(MuxedStream s) {
        CompletableFuture<Long> f = received;
        try {
            byte[] b = new byte[256 * 1024];
            long total = 0;
            int n;
            while ((n = s.in().read(b)) >= 0) total += n;
            s.close();
            f.complete(total);
        } catch (Exception e) {
            f.completeExceptionally(e);
        }
    }

    @Benchmark
    public long oneStream() throws Exception {
        received = new CompletableFuture<>();
        MuxedStream s = session.openStream().get();
        for (int i = 0; i < mib; i++) s.out().write(buf);
        s.closeWrite();
        return received.get();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
        client.close().syncUninterruptibly();
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
