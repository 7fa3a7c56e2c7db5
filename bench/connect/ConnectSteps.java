import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a loopback TCP connect's time goes, in one process with two event loops (one for each
 * end, as a dialer and a listener have): dials 20 ms apart, as the set-up benchmark makes them,
 * each step in microseconds after the dial began (medians, p10, p90). Also the wake-up of an
 * idle event loop (a task handed to it after 20 ms of quiet, and with none), and a blocking
 * java.net.Socket connect as the floor. "epoll" uses Netty's native epoll transport when its
 * jars are on the class path (bench/connect-steps.sh adds them if Maven has them).
 *
 * usage: java -cp java-peer.jar:... bench/connect/ConnectSteps.java WARM N nio|epoll
 */
public class ConnectSteps {
    static volatile long accepted, serverActive, clientInit, connectCalled, connectReturned, clientActive;

    public static void main(String[] args) throws Exception {
        int warm = Integer.parseInt(args[0]), n = Integer.parseInt(args[1]);
        boolean epoll = args[2].equals("epoll");
        IoHandlerFactory io = epoll ? (IoHandlerFactory) Class.forName("io.netty.channel.epoll.EpollIoHandler").getMethod("newFactory").invoke(null) : NioIoHandler.newFactory();
        @SuppressWarnings("unchecked") Class<? extends ServerChannel> serverType = epoll ? (Class<? extends ServerChannel>) Class.forName("io.netty.channel.epoll.EpollServerSocketChannel") : NioServerSocketChannel.class;
        @SuppressWarnings("unchecked") Class<? extends Channel> clientType = epoll ? (Class<? extends Channel>) Class.forName("io.netty.channel.epoll.EpollSocketChannel") : NioSocketChannel.class;
        EventLoopGroup serverLoop = new MultiThreadIoEventLoopGroup(1, io);
        EventLoopGroup clientLoop = new MultiThreadIoEventLoopGroup(1, io);
        System.out.println("transport " + args[2] + ", " + warm + " warm-up dials, then " + n + ", 20 ms apart; us after the dial began");

        wakeups(clientLoop.next(), warm, n);
        Channel server = new ServerBootstrap().group(serverLoop).channel(serverType)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object child) {
                        accepted = System.nanoTime();
                        ctx.fireChannelRead(child);
                    }
                })
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                serverActive = System.nanoTime();
                                ctx.fireChannelActive();
                            }
                        });
                    }
                }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        SocketAddress addr = server.localAddress();
        String[] names = {"caller's connect() returns", "channel registered (initChannel)", "connect(2) called", "connect(2) returned",
            "dialer channel active", "caller sees the future done", "listener accepted", "listener channel active"};
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < warm + n; i++) {
            long t0 = System.nanoTime();
            ChannelFuture f = new Bootstrap().group(clientLoop).channel(clientType).option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            clientInit = System.nanoTime();
                            ch.pipeline().addLast(new ChannelDuplexHandler() {
                                @Override
                                public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise p) {
                                    connectCalled = System.nanoTime();
                                    ctx.connect(remote, local, p);
                                    connectReturned = System.nanoTime();
                                }

                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    clientActive = System.nanoTime();
                                    ctx.fireChannelActive();
                                }
                            });
                        }
                    }).connect(addr);
            long returned = System.nanoTime();
            f.sync();
            long done = System.nanoTime();
            Thread.sleep(2);
            f.channel().close().sync();
            if (i >= warm) {
                rows.add(new double[] {returned - t0, clientInit - t0, connectCalled - t0, connectReturned - t0, clientActive - t0, done - t0, accepted - t0, serverActive - t0});
            }
            Thread.sleep(20);
        }
        for (int k = 0; k < names.length; k++) print(names[k], rows, k);

        try (ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<double[]> b = new ArrayList<>();
            for (int i = 0; i < warm + n; i++) {
                long t0 = System.nanoTime();
                try (Socket s = new Socket()) {
                    s.connect(ss.getLocalSocketAddress());
                    long t1 = System.nanoTime();
                    ss.accept().close();
                    if (i >= warm) b.add(new double[] {t1 - t0});
                }
                Thread.sleep(20);
            }
            print("blocking Socket.connect", b, 0);
        }
        System.exit(0);
    }

    /** A task handed to an idle event loop: how long until it runs, after 20 ms of quiet and with none. */
    static void wakeups(EventLoop loop, int warm, int n) throws Exception {
        for (int pause : new int[] {20, 0}) {
            List<double[]> rows = new ArrayList<>();
            for (int i = 0; i < warm + n; i++) {
                long t0 = System.nanoTime();
                long[] ran = new long[1];
                loop.submit(() -> ran[0] = System.nanoTime()).get();
                if (i >= warm) rows.add(new double[] {ran[0] - t0});
                if (pause > 0) Thread.sleep(pause);
            }
            print("event loop runs a task, " + pause + " ms idle", rows, 0);
        }
    }

    static void print(String name, List<double[]> rows, int k) {
        double[] v = rows.stream().mapToDouble(r -> r[k] / 1e3).sorted().toArray();
        System.out.printf("  %-40s median %7.1f  p10 %7.1f  p90 %7.1f%n", name, v[v.length / 2], v[v.length / 10], v[v.length * 9 / 10]);
    }
}
