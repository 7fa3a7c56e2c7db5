package io.ggen.p2p.transport.tcp;

import io.ggen.p2p.multiaddr.Multiaddr;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * TCP over Netty NIO, ip4 and ip6. Only moves bytes: the host puts the upgrade handlers into
 * each channel's pipeline through the initializer it passes.
 */
public final class TcpTransport implements AutoCloseable {
    /** Outbound bytes queued in Netty before the channel reports itself unwritable. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);
    /**
     * Socket reads of up to 256 KiB (Netty's default stops at 64 KiB), sized by the last reads:
     * a bulk transfer takes a quarter of the read calls, while a quiet connection's reads stay
     * small (the buffer is pooled and returned after each read either way).
     */
    private static final AdaptiveRecvByteBufAllocator RECV_ALLOCATOR = new AdaptiveRecvByteBufAllocator(64, 2048, 256 * 1024);

    private final EventLoopGroup group;

    /**
     * @param ioThreads event loops; 0 picks one per two cores. Gossip handles its messages on
     *     the I/O thread, and a message relayed to a peer whose connection lives on the same
     *     loop goes out without a thread hand-off: on two cores one loop relays gossip faster
     *     than two (BENCHMARKS.md, Gossipsub), while a bulk transfer uses one loop per
     *     connection either way.
     */
    public TcpTransport(int ioThreads) {
        int n = ioThreads > 0 ? ioThreads : defaultIoThreads();
        this.group = new MultiThreadIoEventLoopGroup(n, NioIoHandler.newFactory());
    }

    public static int defaultIoThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    public EventLoopGroup group() {
        return group;
    }

    /** True when this transport can dial or listen on the address (ip4/ip6/dns + tcp). */
    public static boolean canHandle(Multiaddr addr) {
        return addr.toTcpSocketAddress().isPresent();
    }

    /**
     * Listens on {@code bind} with a socket of its family: an IPv4 address gets an IPv4 socket
     * (the JDK's default would be a dual-stack IPv6 socket, which reports its address as
     * {@code [::]}); an IPv6 address an IPv6 socket, dual-stack when it is the wildcard.
     */
    public ChannelFuture listen(InetSocketAddress bind, ChannelInitializer<SocketChannel> init) {
        SocketProtocolFamily family = bind.getAddress() instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channelFactory((io.netty.channel.ChannelFactory<NioServerSocketChannel>) () -> new NioServerSocketChannel(SelectorProvider.provider(), family))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                // so that hole-punching dials can leave from the listening port (dialFrom)
                .option(REUSE_PORT, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, RECV_ALLOCATOR)
                .childOption(ChannelOption.ALLOCATOR, SmallHeapBufferAllocator.INSTANCE)
                .childHandler(init);
        return b.bind(bind);
    }

    public ChannelFuture dial(InetSocketAddress remote, Duration connectTimeout, ChannelInitializer<SocketChannel> init) {
        InetSocketAddress target = remote.isUnresolved() ? new InetSocketAddress(remote.getHostString(), remote.getPort()) : remote;
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.RECVBUF_ALLOCATOR, RECV_ALLOCATOR)
                .option(ChannelOption.ALLOCATOR, SmallHeapBufferAllocator.INSTANCE)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(init);
        return b.connect(target);
    }

    private static final ChannelOption<Boolean> REUSE_PORT = io.netty.channel.socket.nio.NioChannelOption.of(java.net.StandardSocketOptions.SO_REUSEPORT);

    /**
     * Dials from {@code local}, a port we listen on (SO_REUSEADDR and SO_REUSEPORT on both
     * sockets): a NAT that keeps source ports then maps the dial to the same external port as
     * the listener, which is what a TCP hole punch needs.
     */
    public ChannelFuture dialFrom(InetSocketAddress local, InetSocketAddress remote, Duration connectTimeout, ChannelInitializer<SocketChannel> init) {
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(REUSE_PORT, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.RECVBUF_ALLOCATOR, RECV_ALLOCATOR)
                .option(ChannelOption.ALLOCATOR, SmallHeapBufferAllocator.INSTANCE)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(init);
        return b.connect(remote, local);
    }

    /** The multiaddr of a bound or connected socket address. */
    public static Multiaddr toMultiaddr(InetSocketAddress sa) {
        return Multiaddr.tcp(sa.getAddress(), sa.getPort());
    }

    /**
     * The addresses a listener asked to listen on {@code ip} (the address asked for, not what
     * the socket reports: a dual-stack socket reports {@code [::]} for an IPv4 wildcard) at
     * {@code port} can be reached at: {@code ip} itself, or for a wildcard every address of its
     * family on the machine's interfaces (loopback included, link-local left out).
     */
    public static List<Multiaddr> expand(InetAddress ip, int port) {
        InetSocketAddress bound = new InetSocketAddress(ip, port);
        if (!ip.isAnyLocalAddress()) return List.of(toMultiaddr(bound));
        List<Multiaddr> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp()) continue;
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    boolean sameFamily = (ip instanceof Inet4Address && a instanceof Inet4Address)
                            || (ip instanceof Inet6Address && a instanceof Inet6Address);
                    if (!sameFamily || a.isLinkLocalAddress()) continue;
                    out.add(Multiaddr.tcp(stripScope(a), bound.getPort()));
                }
            }
        } catch (SocketException e) {
            return List.of(toMultiaddr(bound));
        }
        return out.isEmpty() ? List.of(toMultiaddr(bound)) : out;
    }

    private static InetAddress stripScope(InetAddress a) {
        if (a instanceof Inet6Address v6 && v6.getScopeId() != 0) {
            try {
                return InetAddress.getByAddress(v6.getAddress());
            } catch (java.net.UnknownHostException e) {
                return a;
            }
        }
        return a;
    }

    public static Optional<InetSocketAddress> socketAddress(Channel ch, boolean remote) {
        Object sa = remote ? ch.remoteAddress() : ch.localAddress();
        return sa instanceof InetSocketAddress isa ? Optional.of(isa) : Optional.empty();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
