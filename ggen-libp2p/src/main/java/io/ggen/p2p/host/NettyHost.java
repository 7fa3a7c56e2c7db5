package io.ggen.p2p.host;

import io.ggen.p2p.core.ConnManager;
import io.ggen.p2p.core.ConnectionSetupEvent;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Direction;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.HostException;
import io.ggen.p2p.core.PeerStore;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.core.StreamHandler;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.core.BandwidthMeter;
import io.ggen.p2p.core.EventBus;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.mux.MemoryBudget;
import io.ggen.p2p.mux.yamux.YamuxSession;
import io.ggen.p2p.protocol.identify.IdentifyService;
import io.ggen.p2p.protocol.ping.PingService;
import io.ggen.p2p.relay.CircuitAddress;
import io.ggen.p2p.relay.RelayClient;
import io.ggen.p2p.security.noise.NoiseCredentials;
import io.ggen.p2p.core.ConnectionLimit;
import io.ggen.p2p.transport.tcp.TcpTransport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libp2p host over Netty: listens and dials over TCP, upgrades every connection with multistream-select,
 * Noise and Yamux, serves registered protocols on inbound streams, runs identify and ping, keeps
 * a peer store, and enforces {@link ResourceLimits} and the connection manager's water marks.
 *
 * <p>Stream handlers and stream negotiation run on virtual threads with blocking I/O; Netty's
 * event loops only move bytes.
 */
public final class NettyHost implements Host {
    private static final Logger log = LoggerFactory.getLogger(NettyHost.class);

    private final HostConfig config;
    private final PeerId peerId;
    private final TcpTransport transport;
    private final PeerStore peerStore;
    private final ExecutorService streamExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ggen-stream-", 0).factory());
    /** Stream negotiations and handlers running now (virtual threads of {@link #streamExecutor}). */
    private final AtomicInteger streamTasks = new AtomicInteger();
    private final EventBus events = new EventBus();
    private final BandwidthMeter bandwidth = new BandwidthMeter();
    private final Map<String, StreamHandler> handlers = new ConcurrentHashMap<>();
    private final Map<PeerId, List<NettyConnection>> connections = new ConcurrentHashMap<>();
    private final Map<PeerId, CompletableFuture<Connection>> pendingDials = new ConcurrentHashMap<>();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final AtomicInteger pendingInbound = new AtomicInteger();
    private final AtomicInteger pendingOutbound = new AtomicInteger();
    /** Inbound handshakes in progress, and upgraded inbound connections, per remote address. */
    private final PerAddressCounter pendingPerIp = new PerAddressCounter();
    private final PerAddressCounter inboundPerIp = new PerAddressCounter();
    private final AtomicLong refusedInbound = new AtomicLong();
    private final AtomicLong nextConnectionId = new AtomicLong(1);
    private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();
    private final List<Multiaddr> listenAddrs = new CopyOnWriteArrayList<>();
    private final ConnectionManager connectionManager;
    /** Receive-buffer growth of all connections together ({@link ResourceLimits#maxBufferedBytes}). */
    private final MemoryBudget memoryBudget;
    private final IdentifyService identify;
    private final PingService ping;
    /** Our Noise static key and signed handshake payload, made once for every connection. */
    private final NoiseCredentials noiseCredentials;
    private final RelayClient relayClient;
    private final CircuitChannels circuits = new CircuitChannels();
    /** Addresses advertised beyond the listen addresses: our relayed addresses. */
    private final List<Multiaddr> extraAddrs = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private NettyHost(HostConfig config) {
        this.config = config;
        this.peerId = PeerId.fromPublicKey(config.identity().publicKey());
        this.noiseCredentials = NoiseCredentials.generate(config.identity(), config.noise().streamMuxers());
        this.transport = new TcpTransport(config.ioThreads());
        this.peerStore = new PeerStore(config.maxKnownPeers());
        this.connectionManager = new ConnectionManager(this, config.connectionManager());
        this.memoryBudget = MemoryBudget.of(config.limits().maxBufferedBytes());
        this.identify = new IdentifyService(this, config.protocolVersion(), config.agentVersion(), config.identifyTimeout(), config.addressClassifier());
        this.ping = new PingService(this);
        this.relayClient = new RelayClient(this, this::upgradeCircuit, config.dialTimeout());
    }

    /** Starts a host listening on the configured addresses. */
    public static NettyHost start(HostConfig config) {
        io.ggen.p2p.security.noise.ChaChaPolyEngine.prepareInBackground();
        NettyHost h = new NettyHost(config);
        try {
            h.identify.start();
            h.ping.register();
            h.relayClient.start();
            h.listenAll(config.listenAddrs());
            h.events.publish(new Event.LocalAddressesChanged(h.listenAddrs()));
            h.events.publish(new Event.ReachabilityChanged(Event.Reachability.UNKNOWN));
            h.connectionManager.start(h.transport.group().next());
            h.transport.group().next().scheduleAtFixedRate(() -> h.bandwidth.tick(h.connections::containsKey), 1, 1, java.util.concurrent.TimeUnit.SECONDS);
            return h;
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    /**
     * A host for dial-backs (AutoNAT): a throwaway identity, no listen address, one I/O thread,
     * otherwise {@code like}'s settings. Its connections are fresh and leave from ephemeral
     * ports, never from a listening port, so a dial-back through it proves something.
     */
    public static NettyHost startDialer(HostConfig like) {
        return start(new HostConfig(io.ggen.p2p.crypto.Ed25519PrivateKey.generate(), List.of(), like.agentVersion(),
                like.protocolVersion(), like.limits(), like.connectionManager(), like.dialTimeout(), like.upgradeTimeout(),
                like.negotiationTimeout(), like.identifyTimeout(), like.yamux(), like.noise(), 1, 1024, like.addressClassifier()));
    }

    // ------------------------------------------------------------------ accessors

    @Override
    public PeerId peerId() {
        return peerId;
    }

    @Override
    public PrivateKey identity() {
        return config.identity();
    }

    @Override
    public BandwidthMeter bandwidth() {
        return bandwidth;
    }

    @Override
    public EventBus events() {
        return events;
    }

    /** Stream negotiations and stream handlers running now, each on its own virtual thread. */
    public int activeStreamTasks() {
        return streamTasks.get();
    }

    /** Streams open now on all connections. */
    public int openStreams() {
        int n = 0;
        for (Connection c : connections()) n += c.streams().size();
        return n;
    }

    public io.ggen.p2p.multiaddr.AddressClassifier addressClassifier() {
        return config.addressClassifier();
    }

    public HostConfig config() {
        return config;
    }

    @Override
    public PeerStore peerStore() {
        return peerStore;
    }

    public IdentifyService identify() {
        return identify;
    }

    public PingService ping() {
        return ping;
    }

    /** Circuit Relay v2's client: relayed dials, reservations, the stop protocol. */
    public RelayClient relayClient() {
        return relayClient;
    }

    /**
     * Listen addresses, then our confirmed observed addresses (identify, AutoNAT), then our
     * relayed addresses: what identify sends a peer, before it leaves out those the peer cannot
     * use, and what the DHT puts in our provider records.
     */
    @Override
    public List<Multiaddr> advertisedAddrs() {
        List<Multiaddr> out = new ArrayList<>(listenAddrs);
        if (identify != null) for (Multiaddr a : identify.confirmedAddrs()) if (!out.contains(a)) out.add(a);
        for (Multiaddr a : extraAddrs) if (!out.contains(a)) out.add(a);
        return out;
    }

    /**
     * Sets the relayed addresses we advertise ({@code <relay>/p2p-circuit}); publishes
     * {@link Event.LocalAddressesChanged} when they change, which identify pushes to our peers.
     */
    public void setRelayedAddrs(List<Multiaddr> addrs) {
        synchronized (extraAddrs) {
            if (extraAddrs.equals(addrs)) return;
            extraAddrs.clear();
            extraAddrs.addAll(addrs);
        }
        if (!closed) events.publish(new Event.LocalAddressesChanged(advertisedAddrs()));
    }

    @Override
    public ConnectionManager connectionManager() {
        return connectionManager;
    }

    /** Addresses we listen on (wildcards expanded), without {@code /p2p/}. */
    @Override
    public List<Multiaddr> listenAddrs() {
        return List.copyOf(listenAddrs);
    }

    /** Runs {@code task} on a virtual thread of its own, counted in {@link #activeStreamTasks}. */
    void runStreamTask(Runnable task) {
        streamTasks.incrementAndGet();
        try {
            streamExecutor.execute(() -> {
                try {
                    task.run();
                } finally {
                    streamTasks.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            streamTasks.decrementAndGet();
            throw e;
        }
    }

    ExecutorService streamExecutor() {
        return streamExecutor;
    }

    // ------------------------------------------------------------------ protocols

    @Override
    public void handle(String protocol, StreamHandler handler) {
        boolean added = handlers.put(protocol, handler) == null;
        if (added && !closed) events.publish(new Event.LocalProtocolsChanged(List.of(protocol), List.of()));
    }

    @Override
    public void unhandle(String protocol) {
        if (handlers.remove(protocol) != null && !closed) events.publish(new Event.LocalProtocolsChanged(List.of(), List.of(protocol)));
    }

    @Override
    public boolean handles(String protocol) {
        return handlers.containsKey(protocol);
    }

    @Override
    public List<String> protocols() {
        return handlers.keySet().stream().sorted().toList();
    }

    /** The handler of {@code protocol}, or null. */
    StreamHandler handler(String protocol) {
        return handlers.get(protocol);
    }

    void serveInbound(HostStream stream) {
        StreamHandler h = handlers.get(stream.protocol());
        if (h == null) {
            stream.reset();
            return;
        }
        try {
            h.handle(stream);
            stream.close();
        } catch (Exception | StackOverflowError e) {
            log.debug("handler for {} from {} failed: {}", stream.protocol(), stream.connection().remotePeer(), e.toString());
            stream.reset();
        }
    }

    // ------------------------------------------------------------------ listening

    /**
     * Listens on every address. An IPv4 address gets an IPv4 socket, an IPv6 one an IPv6 socket,
     * and each advertises addresses of the family asked for. An IPv6 wildcard socket is
     * dual-stack (the JDK cannot make it IPv6-only), so it also takes IPv4 connections on its
     * port and Linux refuses a second socket on an IPv4 address of that port: IPv4 addresses
     * asked for on the port of an IPv6 wildcard are served by that one socket (and advertised).
     */
    private void listenAll(List<Multiaddr> addrs) {
        List<InetSocketAddress> binds = new ArrayList<>();
        for (Multiaddr addr : addrs) {
            InetSocketAddress bind = addr.toTcpSocketAddress()
                    .orElseThrow(() -> new HostException("cannot listen on " + addr + ": only /ip4 or /ip6 with /tcp is supported"));
            if (bind.isUnresolved()) throw new HostException("cannot listen on " + addr + ": listen on an IP address, not a DNS name");
            binds.add(bind);
        }
        Set<Integer> dualStackPorts = new java.util.HashSet<>();
        for (InetSocketAddress b : binds) {
            if (b.getAddress() instanceof java.net.Inet6Address && b.getAddress().isAnyLocalAddress() && b.getPort() != 0) dualStackPorts.add(b.getPort());
        }
        for (int i = 0; i < binds.size(); i++) {
            InetSocketAddress b = binds.get(i);
            boolean v4 = b.getAddress() instanceof java.net.Inet4Address;
            if (v4 && dualStackPorts.contains(b.getPort())) continue; // served by the IPv6 wildcard socket
            InetSocketAddress bound = listen(addrs.get(i), b);
            if (!v4 && dualStackPorts.contains(b.getPort())) {
                for (InetSocketAddress other : binds) {
                    if (other.getAddress() instanceof java.net.Inet4Address && other.getPort() == b.getPort()) {
                        listenAddrs.addAll(TcpTransport.expand(other.getAddress(), bound.getPort()));
                    }
                }
            }
            listenAddrs.addAll(TcpTransport.expand(b.getAddress(), bound.getPort()));
        }
    }

    private InetSocketAddress listen(Multiaddr addr, InetSocketAddress bind) {
        // The listener has SO_REUSEPORT (hole punches dial from its port), which would let a second
        // process of the same user share a fixed port silently; a plain bind first keeps "in use" an error.
        if (bind.getPort() != 0) {
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.bind(bind);
            } catch (java.io.IOException e) {
                throw new HostException("cannot listen on " + addr + ": " + e.getMessage(), e);
            }
        }
        ChannelFuture f = transport.listen(bind, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                acceptInbound(ch);
            }
        });
        f.awaitUninterruptibly();
        if (!f.isSuccess()) throw new HostException("cannot listen on " + addr + ": " + f.cause().getMessage(), f.cause());
        serverChannels.add(f.channel());
        return (InetSocketAddress) f.channel().localAddress();
    }

    private void acceptInbound(SocketChannel ch) {
        if (closed) {
            ch.close();
            return;
        }
        ResourceLimits limits = config.limits();
        java.net.InetAddress ip = ch.remoteAddress() == null ? null : ch.remoteAddress().getAddress();
        boolean perIp = ip != null && PerAddressCounter.limited(ip, limits.limitLoopback());
        if (connectionCount.get() >= limits.maxConnections()) {
            refuse(ch, connectionCount.get() + " connections open");
            return;
        }
        if (perIp && inboundPerIp.count(ip) >= limits.maxInboundConnectionsPerIp()) {
            refuse(ch, "already " + limits.maxInboundConnectionsPerIp() + " connections from that address");
            return;
        }
        // Per address first, so that one address never holds more than its share of the slots.
        if (perIp && !pendingPerIp.tryAcquire(ip, limits.maxPendingInboundPerIp())) {
            refuse(ch, "too many pending handshakes from that address");
            return;
        }
        if (pendingInbound.incrementAndGet() > limits.maxPendingInbound()) {
            pendingInbound.decrementAndGet();
            if (perIp) pendingPerIp.release(ip);
            refuse(ch, "too many pending handshakes");
            return;
        }
        long start = System.nanoTime();
        ExpectedPunch punch = takeExpectedPunch(ch.remoteAddress());
        UpgradeHandler up = punch == null
                ? new UpgradeHandler(false, noiseCredentials, Optional.empty(), config.noise(), config.upgradeTimeout())
                : new UpgradeHandler(punch.asClient(), noiseCredentials, Optional.of(punch.peer()), config.noise(), config.upgradeTimeout());
        up.result.whenComplete((u, e) -> {
            pendingInbound.decrementAndGet();
            if (perIp) pendingPerIp.release(ip);
        });
        up.result.whenComplete((u, e) -> {
            if (e == null) {
                try {
                    finishUpgrade(ch, Direction.INBOUND, u, start);
                } catch (RuntimeException ex) {
                    log.debug("inbound connection from {} dropped: {}", ch.remoteAddress(), ex.getMessage());
                    ch.close();
                }
            } else {
                log.debug("inbound upgrade from {} failed: {}", ch.remoteAddress(), e.getMessage());
            }
        });
        ch.pipeline().addLast("upgrade", up);
    }

    private void refuse(SocketChannel ch, String why) {
        refusedInbound.incrementAndGet();
        log.debug("refusing inbound connection from {}: {}", ch.remoteAddress(), why);
        ch.close();
    }

    /** Inbound connections still in their handshake. */
    public int pendingInbound() {
        return pendingInbound.get();
    }

    /** Inbound connections refused at accept (a limit reached) since start. */
    public long refusedInbound() {
        return refusedInbound.get();
    }

    // ------------------------------------------------------------------ dialing

    /**
     * Connects to {@code addr}. With {@code /p2p/<id>} the remote must prove that identity, and an
     * open connection to that peer is returned instead of dialing again; concurrent dials to the
     * same peer share one attempt.
     */
    @Override
    public CompletableFuture<Connection> dial(Multiaddr addr) {
        if (closed) return CompletableFuture.failedFuture(new HostException("host is closed"));
        Optional<PeerId> expected = addr.peerId();
        if (expected.isPresent()) {
            PeerId p = expected.get();
            if (p.equals(peerId)) return CompletableFuture.failedFuture(new HostException("refusing to dial ourselves (" + p + ")"));
            Optional<Connection> open = connection(p);
            if (open.isPresent()) return CompletableFuture.completedFuture(open.get());
            CompletableFuture<Connection> mine = new CompletableFuture<>();
            CompletableFuture<Connection> prior = pendingDials.putIfAbsent(p, mine);
            if (prior != null) return prior;
            dialNew(addr, expected).whenComplete((c, e) -> {
                pendingDials.remove(p, mine);
                if (e != null) mine.completeExceptionally(unwrap(e));
                else mine.complete(c);
            });
            return mine;
        }
        return dialNew(addr, Optional.empty());
    }

    @Override
    public CompletableFuture<Connection> dialAddress(Multiaddr addr) {
        if (closed) return CompletableFuture.failedFuture(new HostException("host is closed"));
        if (CircuitAddress.isCircuit(addr)) return relayClient.dial(addr);
        Optional<PeerId> expected = addr.peerId();
        if (expected.isPresent()) {
            if (expected.get().equals(peerId)) return CompletableFuture.failedFuture(new HostException("refusing to dial ourselves (" + peerId + ")"));
            Multiaddr bare = addr.withoutPeerId();
            for (Connection c : connections(expected.get())) {
                if (c.isOpen() && c.remoteAddr().equals(bare)) return CompletableFuture.completedFuture(c);
            }
        }
        return dialNew(addr, expected);
    }

    /** Connects to a peer through the addresses the peer store holds for it. */
    @Override
    public CompletableFuture<Connection> dial(PeerId peer) {
        Optional<Connection> open = connection(peer);
        if (open.isPresent()) return CompletableFuture.completedFuture(open.get());
        // Direct addresses first; a relay only when none of them answers.
        List<Multiaddr> addrs = new ArrayList<>(peerStore.addrs(peer).stream().filter(a -> !CircuitAddress.isCircuit(a) && TcpTransport.canHandle(a)).toList());
        addrs.addAll(peerStore.addrs(peer).stream().filter(a -> CircuitAddress.parse(a).isPresent()).limit(MAX_CIRCUIT_DIALS).toList());
        if (addrs.isEmpty()) return CompletableFuture.failedFuture(new HostException("no known address for " + peer));
        return dialFirst(peer, addrs, 0, null);
    }

    private CompletableFuture<Connection> dialFirst(PeerId peer, List<Multiaddr> addrs, int i, Throwable last) {
        if (i >= addrs.size()) return CompletableFuture.failedFuture(new HostException("could not reach " + peer + " at any of " + addrs.size() + " addresses", last));
        return dial(addrs.get(i).withPeerId(peer)).handle((c, e) -> e == null
                ? CompletableFuture.completedFuture(c)
                : dialFirst(peer, addrs, i + 1, unwrap(e))).thenCompose(f -> f);
    }

    private CompletableFuture<Connection> dialNew(Multiaddr addr, Optional<PeerId> expected) {
        if (CircuitAddress.isCircuit(addr)) return relayClient.dial(addr);
        return dialTcp(addr, expected, true, Optional.empty());
    }

    /** Inbound connections a hole-punch round expects: who the peer is and which role we take. */
    private record ExpectedPunch(PeerId peer, boolean asClient, long untilNanos) {}

    /** Bounds what peers' CONNECT messages can make us remember (four addresses per round). */
    static final int MAX_EXPECTED_PUNCHES = 64;
    private final Map<InetSocketAddress, ExpectedPunch> expectedPunches = new ConcurrentHashMap<>();

    /** Dials and expectations for DCUtR's simultaneous open ({@link io.ggen.p2p.holepunch.HolePunchService}). */
    public io.ggen.p2p.holepunch.HolePunchDialer holePunchDialer() {
        return new io.ggen.p2p.holepunch.HolePunchDialer() {
            @Override
            public CompletableFuture<Connection> dial(Multiaddr addr, PeerId peer, boolean asClient) {
                return dialForHolePunch(addr, peer, asClient);
            }

            @Override
            public void expect(List<Multiaddr> from, PeerId peer, boolean asClient, Duration within) {
                expectHolePunch(from, peer, asClient, within);
            }
        };
    }

    private void expectHolePunch(List<Multiaddr> from, PeerId peer, boolean asClient, Duration within) {
        long now = System.nanoTime();
        expectedPunches.values().removeIf(e -> e.untilNanos() - now < 0);
        ExpectedPunch punch = new ExpectedPunch(peer, asClient, now + within.toNanos());
        for (Multiaddr a : from) {
            Optional<InetSocketAddress> sa = a.withoutPeerId().toTcpSocketAddress();
            if (sa.isEmpty() || sa.get().isUnresolved()) continue;
            // A peer can only name addresses to expect for a few seconds, and only this many.
            if (expectedPunches.size() >= MAX_EXPECTED_PUNCHES && !expectedPunches.containsKey(sa.get())) break;
            expectedPunches.put(sa.get(), punch);
        }
    }

    private ExpectedPunch takeExpectedPunch(InetSocketAddress remote) {
        if (remote == null || expectedPunches.isEmpty()) return null;
        ExpectedPunch p = expectedPunches.remove(remote);
        return p != null && p.untilNanos() - System.nanoTime() > 0 ? p : null;
    }

    /**
     * Dials {@code addr} from our listening port of its family, for a hole punch (DCUtR): both
     * peers dial each other at once and TCP's simultaneous open joins the two attempts into one
     * connection, which both sides see as outbound; {@code asClient} says which side leads the
     * upgrade (the spec's A), so that exactly one side negotiates as responder.
     */
    public CompletableFuture<Connection> dialForHolePunch(Multiaddr addr, PeerId expected, boolean asClient) {
        if (closed) return CompletableFuture.failedFuture(new HostException("host is closed"));
        Optional<InetSocketAddress> sa = addr.toTcpSocketAddress();
        if (sa.isEmpty() || sa.get().isUnresolved()) return CompletableFuture.failedFuture(new HostException("cannot hole-punch to " + addr));
        boolean v4 = sa.get().getAddress() instanceof java.net.Inet4Address;
        Optional<InetSocketAddress> local = serverChannels.stream().map(c -> (InetSocketAddress) c.localAddress())
                .filter(l -> (l.getAddress() instanceof java.net.Inet4Address) == v4 || (!v4 && l.getAddress().isAnyLocalAddress()))
                .findFirst();
        if (local.isEmpty()) return CompletableFuture.failedFuture(new HostException("no listening port of the family of " + addr));
        return dialTcp(addr.withPeerId(expected), Optional.of(expected), asClient, local);
    }

    private CompletableFuture<Connection> dialTcp(Multiaddr addr, Optional<PeerId> expected, boolean asClient, Optional<InetSocketAddress> fromLocal) {
        Optional<InetSocketAddress> sa = addr.toTcpSocketAddress();
        if (sa.isEmpty()) return CompletableFuture.failedFuture(new HostException("cannot dial " + addr + ": no /ip4, /ip6 or /dns address with /tcp"));
        if (connectionCount.get() >= config.limits().maxConnections()) {
            return CompletableFuture.failedFuture(new ResourceLimitException("connection limit reached (" + config.limits().maxConnections() + ")"));
        }
        if (pendingOutbound.incrementAndGet() > config.limits().maxPendingOutbound()) {
            pendingOutbound.decrementAndGet();
            return CompletableFuture.failedFuture(new ResourceLimitException("too many dials in progress (" + config.limits().maxPendingOutbound() + ")"));
        }
        long start = System.nanoTime();
        ConnectionSetupEvent connectStep = ConnectionSetupEvent.begin("tcp-connect");
        ConnectionSetupEvent dialStep = ConnectionSetupEvent.begin("dial");
        CompletableFuture<Connection> result = new CompletableFuture<>();
        result.whenComplete((c, e) -> pendingOutbound.decrementAndGet());
        UpgradeHandler up = new UpgradeHandler(asClient, noiseCredentials, expected, config.noise(), config.dialTimeout());
        // Subscribed before the upgrade handler joins the pipeline, so the muxer goes in on the I/O
        // thread as the upgrade completes (see UpgradeHandler.Upgraded). Subscribed after
        // transport.dial, it would run on this thread whenever the whole handshake finished
        // first (a loaded machine), and the remote's first frames would be lost meanwhile.
        up.result.whenComplete((u, e) -> {
            if (e != null) {
                result.completeExceptionally(e instanceof HostException ? e : new HostException("dial " + addr + " failed: " + e.getMessage(), e));
                return;
            }
            Channel ch = u.channel();
            try {
                NettyConnection conn = finishUpgrade(ch, Direction.OUTBOUND, u, start);
                dialStep.end(true, ch.localAddress(), ch.remoteAddress());
                result.complete(conn);
            } catch (RuntimeException ex) {
                ch.close();
                result.completeExceptionally(ex);
            }
        });
        ConnectionSetupEvent[] registeredStep = new ConnectionSetupEvent[1];
        ChannelFuture cf;
        try {
            ChannelInitializer<SocketChannel> init = new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    registeredStep[0] = ConnectionSetupEvent.begin("tcp-registered");
                    ch.pipeline().addLast("upgrade", up);
                }
            };
            cf = fromLocal.isPresent()
                    ? transport.dialFrom(fromLocal.get(), sa.get(), config.dialTimeout(), init)
                    : transport.dial(sa.get(), config.dialTimeout(), init);
        } catch (RuntimeException e) {
            result.completeExceptionally(new HostException("cannot dial " + addr + ": " + e.getMessage(), e));
            return result;
        }
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new HostException("cannot connect to " + addr + ": " + f.cause().getMessage(), f.cause()));
                up.result.completeExceptionally(f.cause());
            } else {
                connectStep.end(true, cf.channel().localAddress(), cf.channel().remoteAddress());
                if (registeredStep[0] != null) registeredStep[0].end(true, cf.channel().localAddress(), cf.channel().remoteAddress());
            }
        });
        return result;
    }

    /** Relayed addresses tried for one peer, at most, after its direct ones. */
    private static final int MAX_CIRCUIT_DIALS = 4;

    /** Runs on the channel's event loop once security and muxer are agreed. */
    private NettyConnection finishUpgrade(Channel ch, Direction direction, UpgradeHandler.Upgraded u, long startNanos) {
        Multiaddr remoteAddr = TcpTransport.socketAddress(ch, true).map(TcpTransport::toMultiaddr).orElseThrow();
        Multiaddr localAddr = TcpTransport.socketAddress(ch, false).map(TcpTransport::toMultiaddr).orElseThrow();
        return finishUpgrade(ch, direction, u, startNanos, remoteAddr, localAddr, Optional.empty());
    }

    private NettyConnection finishUpgrade(Channel ch, Direction direction, UpgradeHandler.Upgraded u, long startNanos,
            Multiaddr remoteAddr, Multiaddr localAddr, Optional<ConnectionLimit> relayLimit) {
        PeerId remote = u.security().remotePeer();
        if (closed) throw new HostException("host is closed");
        if (connectionCount.incrementAndGet() > config.limits().maxConnections()) {
            connectionCount.decrementAndGet();
            throw new ResourceLimitException("connection limit reached (" + config.limits().maxConnections() + ")");
        }
        java.net.InetAddress ip = relayLimit.isPresent() ? null : TcpTransport.socketAddress(ch, true).map(InetSocketAddress::getAddress).orElse(null);
        boolean countedIp = direction == Direction.INBOUND && ip != null && PerAddressCounter.limited(ip, config.limits().limitLoopback());
        if (countedIp && !inboundPerIp.tryAcquire(ip, config.limits().maxInboundConnectionsPerIp())) {
            connectionCount.decrementAndGet();
            throw new ResourceLimitException("already " + config.limits().maxInboundConnectionsPerIp() + " connections from " + ip.getHostAddress());
        }
        List<NettyConnection> mine = connections.computeIfAbsent(remote, k -> new CopyOnWriteArrayList<>());
        if (mine.size() >= config.limits().maxConnectionsPerPeer()) {
            connectionCount.decrementAndGet();
            if (countedIp) inboundPerIp.release(ip);
            throw new ResourceLimitException("already " + mine.size() + " connections to " + remote);
        }
        NettyConnection conn = new NettyConnection(nextConnectionId.getAndIncrement(), this, ch, remote, remoteAddr, localAddr,
                direction, UpgradeHandler.NOISE, u.muxer(), Duration.ofNanos(System.nanoTime() - startNanos), relayLimit);
        conn.attach(YamuxSession.install(ch.pipeline(), u.initiator(),
                config.yamux().withMaxStreams(config.limits().maxStreamsPerConnection()), conn::onInboundStream, memoryBudget));
        mine.add(conn);
        peerStore.setPublicKey(remote, u.security().remoteIdentityKey());
        if (direction == Direction.OUTBOUND && relayLimit.isEmpty()) peerStore.addAddrs(remote, List.of(remoteAddr));
        ch.closeFuture().addListener(f -> {
            if (countedIp) inboundPerIp.release(ip);
            onClosed(conn);
            conn.markClosed();
        });
        ConnectionSetupEvent.mark("upgraded", conn);
        // Identify starts here, on the I/O thread, rather than from the ConnectionOpened event:
        // its proposal then leaves right behind the handshake, not after a hand-off to the bus's
        // thread and back (it also answers ConnectionOpened, and does nothing the second time).
        identify.identifyAsync(conn);
        // The initiator's last handshake message and identify's first frames leave in one
        // packet, before anyone hears of the connection (see NoiseHandshakeHandler). The
        // responder's go with its answer to the initiator's identify, which came with message 3.
        if (u.initiator()) ch.flush();
        events.publish(new Event.ConnectionOpened(conn));
        connectionManager.onConnected();
        return conn;
    }

    /** Upgrades a circuit through a relay as a connection of its own (the {@link io.ggen.p2p.relay.CircuitUpgrader}). */
    private CompletableFuture<Connection> upgradeCircuit(Stream circuit, Direction direction, PeerId remote, Multiaddr remoteAddr,
            Optional<ConnectionLimit> limit) {
        if (closed) return CompletableFuture.failedFuture(new HostException("host is closed"));
        if (connectionCount.get() >= config.limits().maxConnections()) {
            circuit.reset();
            return CompletableFuture.failedFuture(new ResourceLimitException("connection limit reached (" + config.limits().maxConnections() + ")"));
        }
        long start = System.nanoTime();
        CompletableFuture<Connection> result = new CompletableFuture<>();
        UpgradeHandler up = new UpgradeHandler(direction == Direction.OUTBOUND, noiseCredentials, Optional.of(remote), config.noise(),
                direction == Direction.OUTBOUND ? config.dialTimeout() : config.upgradeTimeout());
        // Subscribed before the channel opens, for the reason given in dialTcp.
        CompletableFuture<ChannelFuture> opened = new CompletableFuture<>();
        up.result.whenComplete((u, e) -> {
            if (e != null) {
                opened.thenAccept(cf -> cf.channel().close());
                circuit.reset();
                result.completeExceptionally(e instanceof HostException ? e : new HostException("relayed connection to " + remote + " failed its upgrade: " + e.getMessage(), e));
                return;
            }
            try {
                Multiaddr local = circuit.connection().localAddr();
                result.complete(finishUpgrade(u.channel(), direction, u, start, remoteAddr, local, Optional.of(limit.orElse(ConnectionLimit.NONE))));
            } catch (RuntimeException ex) {
                u.channel().close();
                result.completeExceptionally(ex);
            }
        });
        opened.complete(circuits.open(circuit, up));
        return result;
    }

    private void onClosed(NettyConnection conn) {
        connectionCount.decrementAndGet();
        connections.computeIfPresent(conn.remotePeer(), (p, list) -> {
            list.remove(conn);
            return list.isEmpty() ? null : list;
        });
        events.publish(new Event.ConnectionClosed(conn));
    }

    // ------------------------------------------------------------------ connections

    /**
     * The best open connection to {@code peer}: a direct one before a relayed one (so that new
     * streams move to a hole-punched connection as soon as it exists), then the oldest, which
     * both sides tend to keep.
     */
    @Override
    public Optional<Connection> connection(PeerId peer) {
        List<NettyConnection> list = connections.get(peer);
        if (list == null) return Optional.empty();
        return list.stream().filter(NettyConnection::isOpen)
                .min(Comparator.comparing(NettyConnection::relayed).thenComparing(NettyConnection::openedAt)).map(c -> c);
    }

    @Override
    public List<Connection> connections(PeerId peer) {
        List<NettyConnection> list = connections.get(peer);
        return list == null ? List.of() : List.copyOf(list);
    }

    @Override
    public List<Connection> connections() {
        List<Connection> out = new ArrayList<>();
        connections.values().forEach(out::addAll);
        return out;
    }

    @Override
    public Set<PeerId> connectedPeers() {
        return Set.copyOf(connections.keySet());
    }

    /** Receive-buffer bytes reserved beyond the streams' initial windows, across all connections. */
    public long bufferedBytesReserved() {
        return memoryBudget.reserved();
    }

    @Override
    public int connectionCount() {
        return connectionCount.get();
    }

    @Override
    public CompletableFuture<Void> hangup(PeerId peer) {
        List<Connection> list = connections(peer);
        list.forEach(Connection::close);
        return CompletableFuture.allOf(list.stream().map(Connection::closed).toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        connectionManager.stop();
        identify.stop();
        for (Channel l : serverChannels) l.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        List<Connection> all = connections();
        all.forEach(Connection::close);
        try {
            // one bound for all: sessions flush their resets, then their channels close
            CompletableFuture.allOf(all.stream().map(Connection::closed).toArray(CompletableFuture[]::new)).get(3, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the event loops are shut down next, which closes whatever is left
        }
        transport.close();
        circuits.close();
        streamExecutor.shutdownNow();
        events.close();
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof java.util.concurrent.CompletionException || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    @Override
    public String toString() {
        return "NettyHost[" + peerId + " " + listenAddrs + "]";
    }
}
