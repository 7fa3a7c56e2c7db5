package io.ggen.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.api.ApiServer;
import io.ggen.cli.api.ApiServer.ApiError;
import io.ggen.cli.api.ApiServer.Response;
import io.ggen.cli.config.ConfigKey;
import io.ggen.cli.config.NodeConfig;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.PeerReputation;
import io.ggen.p2p.ProductVersion;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.host.Connection;
import io.ggen.p2p.host.Host;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.host.HostListener;
import io.ggen.p2p.host.PeerStore.PeerRecord;
import io.ggen.p2p.host.Stream;
import io.ggen.p2p.multiformats.Multiaddr;
import io.ggen.p2p.multiformats.MultiformatException;
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
    /** Most addresses one bootstrap request may name. */
    static final int MAX_BOOTSTRAP_ADDRS = 64;

    private final DataDir dir;
    private final NodeConfig config;
    private final Host host;
    private final ApiServer api;
    private final Catalog catalog;
    private final NodeLock lock;
    private io.ggen.p2p.kad.KadDht dht;
    private io.ggen.p2p.pubsub.gossipsub.Gossipsub pubsub;
    private io.ggen.marketplace.p2p.MarketplaceNetwork market;
    private io.ggen.marketplace.p2p.P2pPublisher publisher;
    private final Instant startedAt = Instant.now();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("ggen-node-timer").unstarted(r));
    private final Semaphore pings = new Semaphore(MAX_CONCURRENT_PINGS);
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ObjectMapper json = new ObjectMapper();

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
        Host host = null;
        Catalog catalog = null;
        ApiServer api = null;
        try {
            String token = ApiToken.loadOrCreate(dir);
            host = Host.start(HostConfig.defaults(identity)
                    .withListenAddrs(config.listenAddresses())
                    .withLimits(config.limits())
                    .withConnectionManager(config.connectionManager()));
            catalog = new io.ggen.marketplace.MarketplaceHome(dir.root()).openCatalog();
            try {
                api = new ApiServer(config.apiPort(), token);
            } catch (java.net.BindException e) {
                throw new io.ggen.cli.CliErrors.UserError("the control API cannot listen on 127.0.0.1:" + config.apiPort() + " (" + e.getMessage()
                        + "); set api.port in " + dir.configFile() + " to another port, or 0 for any free port");
            }
            Node node = new Node(dir, config, lock, host, catalog, api);
            node.dht = io.ggen.p2p.kad.KadDht.start(host, kadConfig(config, dir));
            node.pubsub = io.ggen.p2p.pubsub.gossipsub.Gossipsub.start(host, config.gossipsub());
            io.ggen.marketplace.MarketplaceHome home = new io.ggen.marketplace.MarketplaceHome(dir.root());
            node.market = new io.ggen.marketplace.p2p.MarketplaceNetwork(host, node.dht, node.pubsub, catalog, home.store(), config.packagesTopic(), 100_000,
                    new io.ggen.marketplace.p2p.MarketplaceNetwork.Transfers(config.intValue("marketplace.parallel_providers"),
                            config.intValue("marketplace.upload_limit_kib_per_sec") * 1024L), dir.resolve("catalog-sync.txt"));
            node.publisher = new io.ggen.marketplace.p2p.P2pPublisher(catalog, home.keys(), node.market.packageDht(), node.market.packageGossip(),
                    new io.ggen.marketplace.p2p.PublishState(catalog), Duration.ofSeconds(30));
            node.registerRoutes();
            MarketplaceRoutes routes = new MarketplaceRoutes(home, catalog, host.peerId(), Optional.of(node.publisher), Optional.of(node.market.fetcher()),
                    Optional.of(new MarketplaceRoutes.NetworkSearch() {
                        @Override
                        public io.ggen.marketplace.p2p.SearchProtocol.Outcome ask(io.ggen.marketplace.p2p.SearchProtocol.Query q) {
                            return node.market.searchNetwork(q, config.searchPeers(), Duration.ofSeconds(3));
                        }

                        @Override
                        public io.ggen.marketplace.p2p.MarketplaceNetwork.PackageRefresh refresh(String id) {
                            return node.market.refreshPackage(id, config.searchPeers(), Duration.ofSeconds(5));
                        }
                    }));
            // What we fetched we serve: providing it lets installers find this node as well.
            io.ggen.marketplace.p2p.PackageDht packageDht = node.market.packageDht();
            routes.onFetched(cid -> packageDht.provide(cid));
            routes.register(api);
            node.watchPeers();
            api.start();
            new NodeInfo(ProcessHandle.current().pid(), api.port(), host.peerId().toString(),
                    host.listenAddrs().stream().map(a -> a.withPeerId(node.host.peerId()).toString()).toList(),
                    node.startedAt.toEpochMilli(), ProductVersion.get()).write(dir);
            node.warmUpSoon(config.intValue("pubsub.warmup_messages"));
            return node;
        } catch (IOException | RuntimeException e) {
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
        io.ggen.marketplace.content.ContentStore store = new io.ggen.marketplace.MarketplaceHome(dir.root()).store();
        return publisher.republishOwn(store::contains);
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

    /** The outcome of dialing one bootstrap address. */
    public record BootstrapResult(String addr, Optional<String> peerId, boolean connected, String error, double millis) {}

    /** Dials every address in parallel; each result says connected or why not, within the timeout. */
    public List<BootstrapResult> bootstrap(List<Multiaddr> addrs, Duration timeout) {
        List<CompletableFuture<BootstrapResult>> dials = new ArrayList<>();
        for (Multiaddr a : addrs) {
            long t0 = System.nanoTime();
            // Waits for identify too: it tells whether the peer serves the DHT, which the DHT
            // bootstrap that follows needs to know.
            dials.add(host.dial(a)
                    .thenCompose(c -> c.identified().handle((info, e) -> c))
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((c, err) -> {
                        double ms = (System.nanoTime() - t0) / 1e6;
                        if (err == null) {
                            host.connectionManager().protect(c.remotePeer(), "bootstrap");
                            return new BootstrapResult(a.toString(), Optional.of(c.remotePeer().toString()), true, "", ms);
                        }
                        return new BootstrapResult(a.toString(), a.peerId().map(PeerId::toString), false, reason(err, timeout), ms);
                    }));
        }
        List<BootstrapResult> out = new ArrayList<>();
        for (CompletableFuture<BootstrapResult> f : dials) out.add(f.join());
        return out;
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

    public ObjectNode status() {
        ObjectNode o = json.createObjectNode();
        o.put("running", true);
        o.put("peer_id", host.peerId().toString());
        o.put("version", ProductVersion.get());
        o.put("pid", ProcessHandle.current().pid());
        o.put("started_at", startedAt.toString());
        o.put("uptime_secs", Duration.between(startedAt, Instant.now()).toSeconds());
        o.put("data_dir", dir.root().toString());
        o.put("api_port", api.port());
        ArrayNode listen = o.putArray("listen_addrs");
        for (Multiaddr a : host.listenAddrs()) listen.add(a.withPeerId(host.peerId()).toString());
        Set<String> observed = new LinkedHashSet<>();
        for (Connection c : host.connections()) c.identifyInfo().flatMap(i -> i.observedAddr()).ifPresent(a -> observed.add(a.toString()));
        ArrayNode obs = o.putArray("observed_addrs");
        observed.stream().limit(32).forEach(obs::add);
        o.put("connected_peers", host.connectedPeers().size());
        o.put("connections", host.connectionCount());
        o.put("known_peers", host.peerStore().size());
        ArrayNode protocols = o.putArray("protocols");
        host.protocols().stream().sorted().forEach(protocols::add);
        o.put("packages_topic", config.packagesTopic());
        ObjectNode d = o.putObject("dht");
        d.put("protocol", dht.config().protocol());
        d.put("mode", dht.mode());
        d.put("routing_table_size", dht.routingTable().size());
        io.ggen.p2p.kad.KadMetrics.Snapshot m = dht.metrics();
        d.put("queries", m.queries());
        d.put("mean_hops", m.meanHops());
        d.put("requests_sent", m.requestsSent());
        d.put("request_failures", m.requestFailures());
        d.put("requests_received", m.requestsReceived());
        d.put("records_stored", dht.node().recordCount());
        d.put("provider_keys", dht.node().providerKeyCount());
        ObjectNode ps = o.putObject("pubsub");
        ArrayNode topics = ps.putArray("topics");
        for (String t : pubsub.topics()) {
            ObjectNode to = topics.addObject();
            to.put("topic", t);
            to.put("mesh_peers", pubsub.meshPeers(t).size());
            to.put("topic_peers", pubsub.topicPeers(t).size());
        }
        ps.put("messages_received", pubsub.stats().received);
        ps.put("messages_delivered", pubsub.stats().delivered);
        ps.put("invalid_messages", pubsub.stats().invalid);
        o.put("releases_known", catalog.releaseCount());
        return o;
    }

    /** Connected peers first, then known ones, as the API's peer list. */
    public ArrayNode peers(boolean verbose) {
        ArrayNode arr = json.createArrayNode();
        Set<PeerId> connected = host.connectedPeers();
        List<PeerRecord> records = new ArrayList<>(host.peerStore().all());
        Set<PeerId> inStore = new java.util.HashSet<>();
        for (PeerRecord r : records) inStore.add(r.peerId());
        for (PeerId p : connected) {
            if (!inStore.contains(p)) records.add(new PeerRecord(p, List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Instant.now()));
        }
        records.removeIf(r -> r.peerId().equals(host.peerId()));
        records.sort(Comparator.comparing((PeerRecord r) -> !connected.contains(r.peerId())).thenComparing(r -> r.peerId().toString()));
        for (PeerRecord r : records) arr.add(peerJson(r, connected.contains(r.peerId()), verbose));
        return arr;
    }

    public Optional<ObjectNode> peer(PeerId id, boolean verbose) {
        Optional<PeerRecord> r = host.peerStore().get(id);
        boolean connected = host.connection(id).isPresent();
        if (r.isEmpty() && !connected) {
            PeerReputation rep = catalog.peer(id.toString());
            if (rep.successful() + rep.failed() == 0 && rep.lastSeenMillis() == 0) return Optional.empty();
        }
        PeerRecord rec = r.orElse(new PeerRecord(id, List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Instant.EPOCH));
        return Optional.of(peerJson(rec, connected, verbose));
    }

    private ObjectNode peerJson(PeerRecord r, boolean connected, boolean verbose) {
        ObjectNode o = json.createObjectNode();
        String id = r.peerId().toString();
        o.put("peer_id", id);
        ArrayNode addrs = o.putArray("addresses");
        r.addrs().forEach(a -> addrs.add(a.toString()));
        o.put("connected", connected);
        List<Connection> conns = host.connections(r.peerId());
        o.put("direction", conns.isEmpty() ? "" : conns.get(0).direction().wireName());
        if (r.latency().isPresent()) o.put("latency_ms", r.latency().get().toNanos() / 1e6);
        else o.putNull("latency_ms");
        o.put("agent_version", r.agentVersion().orElse(""));
        PeerReputation rep = catalog.peer(id);
        o.put("reputation", rep.reputation());
        o.put("successful_retrievals", rep.successful());
        o.put("failed_retrievals", rep.failed());
        long lastSeen = Math.max(r.lastSeen().toEpochMilli(), rep.lastSeenMillis());
        o.put("last_seen", lastSeen == 0 ? "" : Instant.ofEpochMilli(lastSeen).toString());
        o.put("packages_provided", catalog.providedCount(id));
        if (verbose) {
            o.put("protocol_version", r.protocolVersion().orElse(""));
            ArrayNode protos = o.putArray("protocols");
            r.protocols().stream().sorted().forEach(protos::add);
            ArrayNode cs = o.putArray("connections");
            for (Connection c : conns) {
                ObjectNode co = cs.addObject();
                co.put("remote_addr", c.remoteAddr().toString());
                co.put("local_addr", c.localAddr().toString());
                co.put("direction", c.direction().wireName());
                co.put("security", c.security());
                co.put("muxer", c.muxer());
                co.put("opened_at", c.openedAt().toString());
                ArrayNode streams = co.putArray("streams");
                for (Stream s : c.streams()) streams.add(s.protocol());
            }
        }
        return o;
    }

    // ---------------------------------------------------------------- API

    private void registerRoutes() {
        api.route("GET", "/v1/status", false, req -> {
            String render = req.query().get("render");
            if (render == null) return Response.ok(status());
            // The CLI's status asks for its output ready to print (see StatusCommand.show).
            io.ggen.cli.p2p.P2pSubcommand.Format f;
            try {
                f = io.ggen.cli.p2p.P2pSubcommand.Format.valueOf(render);
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "render must be table, json or yaml");
            }
            return Response.text(io.ggen.cli.p2p.StatusCommand.render(status(), f));
        });
        api.route("GET", "/v1/peers", false, req -> {
            ObjectNode o = json.createObjectNode();
            ArrayNode peers = peers(Boolean.parseBoolean(req.query().getOrDefault("verbose", "false")));
            o.set("peers", peers);
            o.put("total", peers.size());
            return Response.ok(o);
        });
        api.route("GET", "/v1/peers/", true, req -> {
            PeerId id;
            try {
                id = PeerId.fromString(req.path());
            } catch (RuntimeException e) {
                throw new ApiError(400, "'" + req.path() + "' is not a peer id (expected base58 like 12D3KooW... or a CID)");
            }
            return Response.ok(peer(id, true).orElseThrow(() -> new ApiError(404, "this node knows nothing of peer " + id)));
        });
        api.route("POST", "/v1/bootstrap", false, req -> {
            JsonNode list = req.body().path("addrs");
            if (!list.isArray() || list.isEmpty()) throw new ApiError(400, "give at least one multiaddr in \"addrs\"");
            if (list.size() > MAX_BOOTSTRAP_ADDRS) throw new ApiError(400, "at most " + MAX_BOOTSTRAP_ADDRS + " addresses at once");
            long timeoutMs = req.body().path("timeout_ms").asLong(30_000);
            if (timeoutMs < 1 || timeoutMs > 600_000) throw new ApiError(400, "timeout_ms must be between 1 and 600000");
            List<Multiaddr> addrs = new ArrayList<>();
            for (JsonNode a : list) {
                try {
                    Multiaddr m = Multiaddr.fromString(a.asText());
                    if (m.peerId().isEmpty()) throw new ApiError(400, a.asText() + ": needs /p2p/<peer id> at the end");
                    addrs.add(m);
                } catch (MultiformatException e) {
                    throw new ApiError(400, a.asText() + ": not a multiaddr (" + e.getMessage() + ")");
                }
            }
            ObjectNode o = json.createObjectNode();
            ArrayNode results = o.putArray("results");
            int ok = 0;
            for (BootstrapResult r : bootstrap(addrs, Duration.ofMillis(timeoutMs))) {
                ObjectNode ro = results.addObject();
                ro.put("addr", r.addr());
                ro.put("peer_id", r.peerId().orElse(""));
                ro.put("connected", r.connected());
                ro.put("error", r.error());
                ro.put("ms", r.millis());
                if (r.connected()) ok++;
            }
            o.put("connected", ok);
            ObjectNode d = o.putObject("dht");
            try {
                int size = dht.bootstrap().get(timeoutMs, TimeUnit.MILLISECONDS);
                d.put("ok", size > 0);
                d.put("routing_table_size", size);
                if (size == 0) d.put("error", "no DHT server among the connected peers");
            } catch (java.util.concurrent.TimeoutException e) {
                d.put("ok", false);
                d.put("error", "not finished within the timeout");
                d.put("routing_table_size", dht.routingTable().size());
            } catch (java.util.concurrent.ExecutionException e) {
                d.put("ok", false);
                d.put("error", String.valueOf(e.getCause()));
                d.put("routing_table_size", dht.routingTable().size());
            }
            return Response.ok(o);
        });
        api.route("POST", "/v1/stop", false, req -> {
            requestStop();
            ObjectNode o = json.createObjectNode();
            o.put("stopping", true);
            o.put("pid", ProcessHandle.current().pid());
            return new Response(202, o);
        });
    }

    private void watchPeers() {
        host.addListener(new HostListener() {
            @Override
            public void identified(Connection c, io.ggen.p2p.protocol.identify.IdentifyInfo info) {
                pingSoon(c);
            }
        });
        timer.scheduleWithFixedDelay(() -> {
            for (Connection c : host.connections()) pingSoon(c);
        }, PING_INTERVAL.toMillis(), PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pingSoon(Connection c) {
        if (closed.get() || !pings.tryAcquire()) return;
        Thread.ofVirtual().name("ggen-ping").start(() -> {
            try {
                host.ping().ping(c, 1);
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
        api.close();
        if (market != null) market.close();
        if (pubsub != null) pubsub.close();
        if (dht != null) dht.close();
        host.close();
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
