package io.ggen.node;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.PeerReputation;
import io.ggen.marketplace.service.MarketplaceService;
import io.ggen.marketplace.service.NetworkAccess;
import io.ggen.node.api.ApiServer;
import io.ggen.node.config.ConfigKey;
import io.ggen.node.config.NodeConfig;
import io.ggen.node.error.NodeError;
import io.ggen.node.home.ApiToken;
import io.ggen.node.home.DataDir;
import io.ggen.node.home.NodeInfo;
import io.ggen.node.home.NodeLock;
import io.ggen.p2p.ProductVersion;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.PeerStore.PeerRecord;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running marketplace node: the libp2p host, the control API and the node's housekeeping
 * (latency pings, node.json). Built by {@link #start}; {@link #close} stops everything and
 * flushes state. The DHT, gossipsub and marketplace services attach here.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    /** Connected peers are pinged this often so peer-list shows a current latency. */
    static final Duration PING_INTERVAL = Duration.ofSeconds(30);
    static final int MAX_CONCURRENT_PINGS = 8;
    /** How long the dials to the configured bootstrap nodes may take at start. */
    static final Duration BOOTSTRAP_TIMEOUT = Duration.ofSeconds(20);

    private final DataDir dir;
    private final NodeConfig config;
    private final Host host;
    private final ApiServer api;
    private final Catalog catalog;
    private final NodeLock lock;
    private io.ggen.p2p.kad.KadDht dht;
    /** Dial-backs for AutoNAT leave from this second host (its own identity, no listener). */
    private Host autonatDialer;
    private io.ggen.p2p.autonat.AutonatService autonat;
    private io.ggen.p2p.discovery.mdns.MdnsService mdns;
    private io.ggen.p2p.pubsub.gossipsub.Gossipsub pubsub;
    private NatServices nat;
    private io.ggen.marketplace.p2p.MarketplaceNetwork market;
    private io.ggen.marketplace.p2p.P2pPublisher publisher;
    private MarketplaceService marketplace;
    private io.ggen.marketplace.p2p.TransferMeter transfers;
    private io.ggen.node.metrics.MetricsServer metrics;
    private final Instant startedAt = Instant.now();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("ggen-node-timer").unstarted(r));
    private final Semaphore pings = new Semaphore(MAX_CONCURRENT_PINGS);
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    private Node(DataDir dir, NodeConfig config, NodeLock lock, Host host, Catalog catalog, ApiServer api) {
        this.dir = dir;
        this.config = config;
        this.lock = lock;
        this.host = host;
        this.catalog = catalog;
        this.api = api;
    }

    /**
     * Starts a node on the data directory: takes the lock (refusing a second node), starts the
     * host and the API, and writes node.json once everything answers.
     */
    public static Node start(DataDir dir, NodeConfig config, PrivateKey identity) throws IOException {
        NodeLock lock = NodeLock.acquire(dir);
        dir.looseMode().ifPresent(mode -> log.warn("data directory {} is open to other users (mode {}); 'chmod 700 {}' keeps the catalog, store and logs private",
                dir.root(), mode, dir.root()));
        NettyHost host = null;
        Catalog catalog = null;
        ApiServer api = null;
        Node node = null;
        try {
            String token = ApiToken.loadOrCreate(dir);
            // The catalog first, checked: a damaged one stops the node before it serves anything.
            MarketplaceHome marketplaceHome = new MarketplaceHome(dir.root());
            catalog = marketplaceHome.openCatalog();
            catalog.checkIntegrity(marketplaceHome.catalogFile());
            // What a killed node, download or publish left in the store (its process gone), and
            // whatever no one touched for an hour; a live command's work is never touched.
            var leftovers = marketplaceHome.store().cleanTemp(MarketplaceService.LEFTOVER_AGE);
            if (leftovers.count() > 0) log.info("removed {} leftover temp files ({} bytes) from the store", leftovers.count(), leftovers.bytes());
            // And what a process killed while replacing a small file (node.json, a key) left beside it.
            for (java.nio.file.Path d : List.of(dir.root(), dir.root().resolve("keys"))) {
                try {
                    int n = io.ggen.marketplace.fs.AtomicFiles.removeLeftovers(d);
                    if (n > 0) log.info("removed {} half-written files of killed processes from {}", n, d);
                } catch (IOException e) {
                    log.warn("cannot remove half-written files from {}: {}", d, e.toString());
                }
            }
            HostConfig hostConfig = HostConfig.defaults(identity)
                    .withListenAddrs(config.listenAddresses())
                    .withLimits(config.limits())
                    .withConnectionManager(config.connectionManager())
                    .withAddressClassifier(config.addressClassifier());
            host = NettyHost.start(hostConfig);
            try {
                api = new ApiServer(config.apiPort(), token);
            } catch (java.net.BindException e) {
                throw new NodeError("the control API cannot listen on 127.0.0.1:" + config.apiPort() + " (" + e.getMessage()
                        + "); set api.port in " + dir.configFile() + " to another port, or 0 for any free port");
            }
            node = new Node(dir, config, lock, host, catalog, api);
            io.ggen.p2p.autonat.AutonatConfig natConfig = config.autonat();
            if (natConfig.server()) node.autonatDialer = NettyHost.startDialer(hostConfig);
            node.autonat = io.ggen.p2p.autonat.AutonatService.start(host, node.autonatDialer, natConfig);
            node.mdns = startMdns(host, config);
            node.transfers = io.ggen.marketplace.p2p.TransferMeter.ofRates(config.downloadLimit(), config.uploadLimit());
            node.dht = io.ggen.p2p.kad.KadDht.start(host, kadConfig(config, dir));
            node.pubsub = io.ggen.p2p.pubsub.gossipsub.Gossipsub.start(host, config.gossipsub());
            node.nat = new NatServices(host, config, node.autonat);
            node.nat.start();
            MarketplaceHome home = new MarketplaceHome(dir.root());
            node.market = new io.ggen.marketplace.p2p.MarketplaceNetwork(host, node.dht, node.pubsub, catalog, home.store(), config.packagesTopic(), 100_000,
                    new io.ggen.marketplace.p2p.MarketplaceNetwork.Transfers(config.intValue("marketplace.parallel_providers"),
                            config.intValue("marketplace.upload_limit_kib_per_sec") * 1024L, node.transfers, config.directWait()), dir.resolve("catalog-sync.txt"));
            node.publisher = new io.ggen.marketplace.p2p.P2pPublisher(catalog, home.keys(), node.market.packageDht(), node.market.packageGossip(),
                    new io.ggen.marketplace.p2p.PublishState(catalog), Duration.ofSeconds(30));
            node.marketplace = new MarketplaceService(home, catalog, Optional.of(
                    NetworkAccess.of(host.peerId(), node.market, node.publisher, config.searchPeers(), Duration.ofSeconds(3), Duration.ofSeconds(5))));
            new NodeRoutes(node, node.marketplace).register(api);
            new io.ggen.node.ui.WebUi(new io.ggen.node.ui.UiLogins(), io.ggen.node.ui.UiAssets.load(), api.port()).register(api);
            node.startMetrics();
            node.watchPeers();
            node.keepAnnouncing(Duration.ofSeconds(config.intValue("marketplace.sync_interval_secs")));
            api.start();
            Node started = node;
            new NodeInfo(ProcessHandle.current().pid(), api.port(), host.peerId().toString(),
                    host.listenAddrs().stream().map(a -> a.withPeerId(started.host.peerId()).toString()).toList(),
                    node.startedAt.toEpochMilli(), ProductVersion.get()).write(dir);
            node.warmUpSoon(config.intValue("pubsub.warmup_messages"));
            return node;
        } catch (IOException | RuntimeException e) {
            if (node != null && node.mdns != null) node.mdns.close();
            if (node != null && node.autonat != null) node.autonat.close();
            if (node != null && node.autonatDialer != null) node.autonatDialer.close();
            if (node != null && node.metrics != null) node.metrics.close();
            if (api != null) api.close();
            if (host != null) host.close();
            if (catalog != null) catalog.close();
            lock.close();
            throw e;
        }
    }

    public Host host() {
        return host;
    }

    /** Serves /metrics when {@code metrics.listen} is set; a listen address that cannot be bound stops the start. */
    private void startMetrics() {
        Optional<java.net.InetSocketAddress> listen = config.metricsListen();
        if (listen.isEmpty()) return;
        io.ggen.node.metrics.NodeCollector collector = new io.ggen.node.metrics.NodeCollector(new io.ggen.node.metrics.NodeCollector.Sources(
                host, dht, pubsub, transfers, marketplace.metrics(), catalog, nat::portMappingsByMethod));
        try {
            metrics = io.ggen.node.metrics.MetricsServer.start(listen.get(), collector);
        } catch (IOException e) {
            String where = config.settings().get("metrics.listen").source();
            throw new NodeError("metrics cannot listen on " + config.string("metrics.listen") + " (" + e.getMessage() + ", from " + where
                    + "); choose another address or port, or leave metrics.listen empty to turn metrics off");
        }
        log.info("metrics at {}", metrics.url());
    }

    /** Where /metrics is served, when it is. */
    public Optional<String> metricsUrl() {
        return Optional.ofNullable(metrics).map(io.ggen.node.metrics.MetricsServer::url);
    }

    /**
     * mDNS when configured and the node listens beyond loopback: a loopback-only node (a test,
     * a local tool) has nothing to tell the local network. A socket that cannot be opened
     * (port 5353 taken without address reuse, say) is logged, not fatal.
     */
    private static io.ggen.p2p.discovery.mdns.MdnsService startMdns(Host host, NodeConfig config) {
        var cfg = config.mdns();
        if (cfg.isEmpty()) return null;
        if (host.listenAddrs().stream().allMatch(io.ggen.p2p.multiaddr.Multiaddr::isLoopback)) {
            log.info("mDNS: off, the node listens on loopback only");
            return null;
        }
        try {
            return io.ggen.p2p.discovery.mdns.MdnsService.start(host, config.addressClassifier(), cfg.get()).orElse(null);
        } catch (IOException e) {
            log.warn("mDNS: cannot start ({}); local discovery is off", e.getMessage());
            return null;
        }
    }

    /**
     * Compiles the gossip path in the background (see GossipsubWarmup: a fresh JVM relays its
     * first hundreds of messages several times slower); the node serves meanwhile.
     */
    private void warmUpSoon(int messages) {
        if (messages <= 0) return;
        Thread.ofPlatform().daemon().name("gossip-warmup").start(() -> {
            io.ggen.p2p.pubsub.gossipsub.GossipsubWarmup.Result r = io.ggen.p2p.pubsub.gossipsub.GossipsubWarmup.run(messages, Duration.ofSeconds(60));
            log.info("gossip path warmed: {} messages published, {} deliveries, in {} ms ({} ms of CPU)",
                    r.published(), r.delivered(), r.wall().toMillis(), r.processCpu().toMillis());
        });
    }

    /** The DHT settings from the node's configuration; the routing table persists in the data directory. */
    static io.ggen.p2p.kad.KadConfig kadConfig(NodeConfig config, DataDir dir) {
        io.ggen.p2p.kad.KadConfig.Mode mode = switch (config.dhtMode()) {
            case "client" -> io.ggen.p2p.kad.KadConfig.Mode.CLIENT;
            case "auto" -> io.ggen.p2p.kad.KadConfig.Mode.AUTO;
            default -> io.ggen.p2p.kad.KadConfig.Mode.SERVER;
        };
        io.ggen.p2p.kad.KadConfig d = io.ggen.p2p.kad.KadConfig.defaults();
        return d.withProtocol(config.dhtProtocol()).withMode(mode).withAlpha(config.dhtAlpha())
                .withTimeouts(d.requestTimeout(), config.dhtQueryTimeout()).withRoutingTableFile(dir.resolve("dht-routing-table.txt"));
    }

    public io.ggen.p2p.kad.KadDht dht() {
        return dht;
    }

    public io.ggen.p2p.pubsub.gossipsub.Gossipsub pubsub() {
        return pubsub;
    }

    /**
     * Puts this node's own packages back on the network: fresh heads, provider records, and the
     * announcements of releases published while no node ran. Returns how many were announced now.
     */
    public int republishOwn() {
        io.ggen.marketplace.content.ContentStore store = new MarketplaceHome(dir.root()).store();
        return publisher.republishOwn(store::contains);
    }

    /** After a peer is identified, pending announcements wait this long, so the peer's topic subscription and DHT entry are in. */
    static final Duration ANNOUNCE_AFTER_PEER = Duration.ofSeconds(2);
    private final AtomicBoolean announcing = new AtomicBoolean();
    private final AtomicBoolean announceAgain = new AtomicBoolean();

    /**
     * Gets this node's own releases and yanks out that no peer has taken yet (published with no
     * peer connected, or by a local command beside the node): when a peer is identified, and
     * every {@code interval}, which also paces the anti-entropy catalog sync (zero: neither).
     */
    private void keepAnnouncing(Duration interval) {
        host.events().subscribe(Event.PeerIdentified.class, e -> {
            if (closed.get()) return;
            try {
                timer.schedule(this::announcePendingSoon, ANNOUNCE_AFTER_PEER.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // closing
            }
        });
        if (interval.isZero()) return;
        market.resyncEvery(interval);
        timer.scheduleWithFixedDelay(this::announcePendingSoon, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs one pending-announcement round on a virtual thread; a request during a round runs one more after it. */
    void announcePendingSoon() {
        if (closed.get()) return;
        announceAgain.set(true);
        if (!announcing.compareAndSet(false, true)) return;
        Thread.ofVirtual().name("announce-pending").start(() -> {
            try {
                for (int round = 0; round < 8 && announceAgain.getAndSet(false) && !closed.get(); round++) {
                    int n = publisher.announcePending();
                    if (n > 0) log.info("announced {} of this node's releases and yanks that no peer had yet", n);
                }
            } catch (RuntimeException e) {
                log.warn("announcing pending releases failed", e);
            } finally {
                announcing.set(false);
                if (announceAgain.get() && !closed.get()) announcePendingSoon();
            }
        });
    }

    public NodeConfig config() {
        return config;
    }

    public ApiServer api() {
        return api;
    }

    public Catalog catalog() {
        return catalog;
    }

    /** The marketplace's use cases, with this node's network. */
    public MarketplaceService marketplace() {
        return marketplace;
    }

    public DataDir dataDir() {
        return dir;
    }

    /** Blocks until a stop is requested through the API (or {@link #requestStop}). */
    public void awaitStopRequest() throws InterruptedException {
        stopRequested.await();
    }

    public void requestStop() {
        stopRequested.countDown();
    }

    // ---------------------------------------------------------------- bootstrap

    /**
     * Joins the network after start: dials the configured bootstrap nodes (the results are
     * returned), then, in the background, bootstraps the DHT through them (or through the routing
     * table saved by the last run) and puts this node's own packages back on the network: fresh
     * heads and provider records, and the releases published while no node ran.
     */
    public List<BootstrapReport.Dial> joinNetwork() {
        List<BootstrapReport.Dial> results = config.bootstrapNodes().isEmpty() ? List.of() : dial(config.bootstrapNodes(), BOOTSTRAP_TIMEOUT);
        dht.bootstrap().whenComplete((size, err) -> {
            if (err != null) log.warn("DHT bootstrap failed: {}", err.toString());
            else log.info("DHT bootstrap done: routing table has {} peers", size);
            Thread.ofVirtual().name("republish").start(() -> {
                try {
                    long t0 = System.nanoTime();
                    int n = republishOwn();
                    if (n > 0) log.info("announced {} releases published while the node was not running", n);
                    log.info("republished this node's packages (DHT heads, provider records) in {} ms", (System.nanoTime() - t0) / 1_000_000);
                } catch (RuntimeException e) {
                    log.warn("republishing own packages failed", e);
                }
            });
        });
        return results;
    }

    /** Dials every address in parallel; each result says connected or why not, within the timeout. */
    public List<BootstrapReport.Dial> dial(List<Multiaddr> addrs, Duration timeout) {
        List<CompletableFuture<BootstrapReport.Dial>> dials = new ArrayList<>();
        for (Multiaddr a : addrs) {
            long t0 = System.nanoTime();
            // Waits for identify too: it tells whether the peer serves the DHT, which the DHT
            // bootstrap that follows needs to know.
            // Through this very address: an open connection to the peer over another address
            // proves nothing about this one.
            dials.add(host.dialAddress(a)
                    .thenCompose(c -> c.identified().handle((info, e) -> c))
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((c, err) -> {
                        double ms = (System.nanoTime() - t0) / 1e6;
                        if (err == null) {
                            host.connectionManager().protect(c.remotePeer(), "bootstrap");
                            return new BootstrapReport.Dial(a.toString(), c.remotePeer().toString(), true, "", ms);
                        }
                        return new BootstrapReport.Dial(a.toString(), a.peerId().map(PeerId::toString).orElse(""), false, reason(err, timeout), ms);
                    }));
        }
        List<BootstrapReport.Dial> out = new ArrayList<>();
        for (CompletableFuture<BootstrapReport.Dial> f : dials) out.add(f.join());
        return out;
    }

    /** Dials the request's peers, then bootstraps the DHT through whoever answered, within the request's time limit. */
    public BootstrapReport bootstrap(BootstrapRequest req) {
        List<BootstrapReport.Dial> results = dial(req.multiaddrs(), req.timeout());
        int connected = (int) results.stream().filter(BootstrapReport.Dial::connected).count();
        BootstrapReport.DhtBootstrap d;
        try {
            int size = dht.bootstrap().get(req.timeoutMs(), TimeUnit.MILLISECONDS);
            d = new BootstrapReport.DhtBootstrap(size > 0, size, size == 0 ? "no DHT server among the connected peers" : null);
        } catch (java.util.concurrent.TimeoutException e) {
            d = new BootstrapReport.DhtBootstrap(false, dht.routingTable().size(), "not finished within the timeout");
        } catch (java.util.concurrent.ExecutionException e) {
            d = new BootstrapReport.DhtBootstrap(false, dht.routingTable().size(), String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            d = new BootstrapReport.DhtBootstrap(false, dht.routingTable().size(), "interrupted");
        }
        return new BootstrapReport(results, connected, d);
    }

    private static String reason(Throwable err, Duration timeout) {
        Throwable t = err;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof java.util.concurrent.TimeoutException) return "no connection within " + timeout.toSeconds() + " s";
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    // ---------------------------------------------------------------- views

    public NodeStatus status() {
        Set<String> observed = new LinkedHashSet<>();
        for (Connection c : host.connections()) c.identifyInfo().flatMap(i -> i.observedAddr()).ifPresent(a -> observed.add(a.toString()));
        io.ggen.p2p.kad.KadMetrics.Snapshot m = dht.metrics();
        NodeStatus.Dht d = new NodeStatus.Dht(dht.config().protocol(), dht.mode(), dht.routingTable().size(), m.queries(), m.meanHops(),
                m.requestsSent(), m.requestFailures(), m.requestsReceived(), dht.node().recordCount(), dht.node().providerKeyCount());
        List<NodeStatus.Topic> topics = pubsub.topics().stream()
                .map(t -> new NodeStatus.Topic(t, pubsub.meshPeers(t).size(), pubsub.topicPeers(t).size())).toList();
        NodeStatus.Pubsub ps = new NodeStatus.Pubsub(topics, pubsub.stats().received, pubsub.stats().delivered, pubsub.stats().invalid);
        return new NodeStatus(true, host.peerId().toString(), ProductVersion.get(), ProcessHandle.current().pid(), startedAt.toString(),
                Duration.between(startedAt, Instant.now()).toSeconds(), dir.root().toString(), api.port(),
                host.listenAddrs().stream().map(a -> a.withPeerId(host.peerId()).toString()).toList(),
                observed.stream().limit(32).toList(), host.connectedPeers().size(), host.connectionCount(), host.peerStore().size(),
                host.protocols().stream().sorted().toList(), config.packagesTopic(), d, ps, catalog.releaseCount(),
                autonat.reachability().name().toLowerCase(java.util.Locale.ROOT), autonat.confidence(), autonat.forced() ? "forced" : "autonat",
                advertised(), natStatus(), bandwidth(), io.ggen.p2p.security.noise.ChaChaPolyEngine.description(), metricsUrl().orElse(null));
    }

    /** What identify tells a peer on a public address we listen on (our public and confirmed addresses). */
    private List<String> advertised() {
        if (!(host instanceof NettyHost nh)) return List.of();
        return nh.identify().advertisedToPublicPeers().stream()
                .map(a -> a.withPeerId(host.peerId()).toString()).toList();
    }

    public io.ggen.p2p.autonat.AutonatService autonat() {
        return autonat;
    }

    private NodeStatus.Bandwidth bandwidth() {
        Map<String, NodeStatus.Traffic> byProtocol = new java.util.LinkedHashMap<>();
        host.bandwidth().byProtocol().forEach((p, t) -> byProtocol.put(p, traffic(t)));
        NodeStatus.Traffic total = traffic(host.bandwidth().total());
        return new NodeStatus.Bandwidth(total.bytesIn(), total.bytesOut(), total.rateIn(), total.rateOut(), byProtocol,
                transfers.fetchedBytes(), transfers.servedBytes(), transfers.download().bytesPerSecond(), transfers.upload().bytesPerSecond());
    }

    private static NodeStatus.Traffic traffic(io.ggen.p2p.core.BandwidthMeter.Totals t) {
        return new NodeStatus.Traffic(t.bytesIn(), t.bytesOut(), Math.round(t.rateIn() * 10) / 10.0, Math.round(t.rateOut() * 10) / 10.0);
    }

    /** The DHT routing table's non-empty buckets, nearest (longest common prefix) last. */
    public RoutingTableView routingTable() {
        List<io.ggen.p2p.kad.RoutingTable.Entry> entries = dht.routingTable();
        io.ggen.p2p.kad.KadKey local = io.ggen.p2p.kad.KadKey.of(host.peerId());
        Set<PeerId> connected = host.connectedPeers();
        java.util.TreeMap<Integer, List<RoutingTableView.Peer>> buckets = new java.util.TreeMap<>();
        for (io.ggen.p2p.kad.RoutingTable.Entry e : entries) {
            buckets.computeIfAbsent(local.commonPrefixLength(e.key()), b -> new ArrayList<>())
                    .add(new RoutingTableView.Peer(e.peer().toString(), connected.contains(e.peer()), Instant.ofEpochMilli(e.lastSeenMillis()).toString()));
        }
        List<RoutingTableView.Bucket> out = new ArrayList<>();
        buckets.forEach((cpl, peers) -> {
            peers.sort(Comparator.comparing(RoutingTableView.Peer::peerId));
            out.add(new RoutingTableView.Bucket(cpl, List.copyOf(peers)));
        });
        return new RoutingTableView(host.peerId().toString(), dht.config().protocol(), dht.mode(), dht.config().k(), entries.size(), out);
    }

    private NodeStatus.Nat natStatus() {
        List<String> relayed = nat.relayedAddrs().stream().map(a -> a.toString() + "/p2p/" + host.peerId()).toList();
        long punches = nat.holePunch().map(h -> h.punches()).orElse(0L);
        long direct = nat.holePunch().map(h -> h.successes()).orElse(0L);
        return new NodeStatus.Nat(config.relayService(), nat.relayServiceOn(),
                nat.relay().map(r -> r.reservations()).orElse(0), nat.relay().map(r -> r.circuits()).orElse(0), relayed,
                config.holePunching(), punches, direct, config.portMapping(), nat.portMappings(), nat.portMappingError());
    }

    /** Connected peers first, then known ones. */
    public List<PeerView> peers(boolean verbose) {
        Set<PeerId> connected = host.connectedPeers();
        List<PeerRecord> records = new ArrayList<>(host.peerStore().all());
        Set<PeerId> inStore = new java.util.HashSet<>();
        for (PeerRecord r : records) inStore.add(r.peerId());
        for (PeerId p : connected) {
            if (!inStore.contains(p)) records.add(new PeerRecord(p, List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Instant.now()));
        }
        records.removeIf(r -> r.peerId().equals(host.peerId()));
        records.sort(Comparator.comparing((PeerRecord r) -> !connected.contains(r.peerId())).thenComparing(r -> r.peerId().toString()));
        return records.stream().map(r -> peerView(r, connected.contains(r.peerId()), verbose)).toList();
    }

    public Optional<PeerView> peer(PeerId id, boolean verbose) {
        Optional<PeerRecord> r = host.peerStore().get(id);
        boolean connected = host.connection(id).isPresent();
        if (r.isEmpty() && !connected) {
            PeerReputation rep = catalog.peer(id.toString());
            if (rep.successful() + rep.failed() == 0 && rep.lastSeenMillis() == 0) return Optional.empty();
        }
        PeerRecord rec = r.orElse(new PeerRecord(id, List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Instant.EPOCH));
        return Optional.of(peerView(rec, connected, verbose));
    }

    private PeerView peerView(PeerRecord r, boolean connected, boolean verbose) {
        String id = r.peerId().toString();
        List<Connection> conns = host.connections(r.peerId());
        PeerReputation rep = catalog.peer(id);
        long lastSeen = Math.max(r.lastSeen().toEpochMilli(), rep.lastSeenMillis());
        List<PeerView.ConnectionView> cs = null;
        if (verbose) {
            cs = conns.stream().map(c -> new PeerView.ConnectionView(c.remoteAddr().toString(), c.localAddr().toString(), c.direction().wireName(),
                    c.security(), c.muxer(), c.openedAt().toString(), c.streams().stream().map(Stream::protocol).toList(), c.relayed())).toList();
        }
        Optional<Connection> best = host.connection(r.peerId());
        String holePunch = nat == null ? null : nat.holePunch().flatMap(h -> h.outcome(r.peerId())).map(o -> o.detail()).orElse(null);
        return new PeerView(id, r.addrs().stream().map(Multiaddr::toString).toList(), connected,
                best.map(c -> c.direction().wireName()).orElse(""), best.map(Connection::relayed).orElse(false), holePunch,
                r.latency().map(l -> l.toNanos() / 1e6).orElse(null), r.agentVersion().orElse(""),
                rep.reputation(), rep.successful(), rep.failed(), lastSeen == 0 ? "" : Instant.ofEpochMilli(lastSeen).toString(),
                catalog.providedCount(id),
                verbose ? r.protocolVersion().orElse("") : null, verbose ? r.protocols().stream().sorted().toList() : null, cs,
                verbose ? traffic(host.bandwidth().peer(r.peerId()).orElse(io.ggen.p2p.core.BandwidthMeter.Totals.ZERO)) : null,
                market == null ? null : market.catalogSync(r.peerId()).map(st -> new PeerView.CatalogSyncView(st.protocol(), st.received(), st.accepted(),
                        st.complete(), st.finishedAt().toString())).orElse(null));
    }

    private void watchPeers() {
        host.events().subscribe(Event.PeerIdentified.class, e -> pingSoon(e.connection()));
        timer.scheduleWithFixedDelay(() -> {
            for (Connection c : host.connections()) pingSoon(c);
        }, PING_INTERVAL.toMillis(), PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pingSoon(Connection c) {
        if (closed.get() || !pings.tryAcquire()) return;
        Thread.ofVirtual().name("ggen-ping").start(() -> {
            try {
                new io.ggen.p2p.protocol.ping.PingService(host).ping(c, 1);
            } catch (RuntimeException e) {
                log.debug("ping {} failed: {}", c.remotePeer(), e.toString());
            } finally {
                pings.release();
            }
        });
    }

    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) return;
        requestStop();
        timer.shutdownNow();
        if (metrics != null) metrics.close();
        api.close();
        if (market != null) market.close();
        if (pubsub != null) pubsub.close();
        if (dht != null) dht.close();
        if (nat != null) nat.close();
        if (autonat != null) autonat.close();
        if (mdns != null) mdns.close();
        host.close();
        if (autonatDialer != null) autonatDialer.close();
        catalog.close();
        NodeInfo.remove(dir, ProcessHandle.current().pid());
        lock.close();
    }

    /** Settings worth logging at start. */
    public static Map<String, String> describe(NodeConfig config) {
        return Map.of("listen", config.listenAddresses().toString(), "bootstrap", config.bootstrapNodes().toString(),
                "dht_mode", config.dhtMode(), ConfigKey.TOPIC, config.packagesTopic());
    }
}
