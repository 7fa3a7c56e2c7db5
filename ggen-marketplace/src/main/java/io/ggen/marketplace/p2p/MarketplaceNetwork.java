package io.ggen.marketplace.p2p;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.PeerReputation;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.content.ContentStore;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.core.Subscription;
import io.ggen.p2p.kad.KadDht;
import io.ggen.p2p.kad.KadMessage;
import io.ggen.p2p.pubsub.ValidationResult;
import io.ggen.p2p.pubsub.gossipsub.Gossipsub;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The marketplace on the network: the {@code /ggen/} DHT namespace, the announcement topic with
 * its validator, {@code /ggen/fetch/1.0.0}, {@code /ggen/catalog/1.1.0} and {@code 1.0.0}, and the adapters the
 * publisher and installer use ({@link PackageDht}, {@link PackageGossip}, {@link ContentFetcher}).
 * Reputation feeds gossipsub's application score.
 */
public final class MarketplaceNetwork implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MarketplaceNetwork.class);
    static final int MAX_CONCURRENT_SYNCS = 2;

    private final Host host;
    private final KadDht dht;
    private final Gossipsub pubsub;
    private final Catalog catalog;
    private final ContentStore store;
    private final String topic;
    private final ReleaseIntake intake;
    private final CatalogSync sync;
    private final FetchProtocol fetch;
    private final SearchProtocol search;
    /** A peer is synced from again (on a new connection, or by anti-entropy) at most this often. */
    static final Duration MIN_RESYNC_GAP = Duration.ofSeconds(30);
    /** Peers one anti-entropy round syncs from (those synced longest ago first). */
    static final int RESYNC_PEERS_PER_ROUND = 2;
    static final int MAX_PEERS_TRACKED = 10_000;
    private final Semaphore syncs = new Semaphore(MAX_CONCURRENT_SYNCS);
    /** When the last sync from each peer started (System.nanoTime), and the syncs under way. */
    private final Map<PeerId, Long> syncStarted = new ConcurrentHashMap<>();
    private final Set<PeerId> syncing = ConcurrentHashMap.newKeySet();
    private volatile long resyncGapNanos = MIN_RESYNC_GAP.toNanos();
    /** The last automatic catalog sync with each peer in this run (bounded by {@link #MAX_PEERS_TRACKED}). */
    private final Map<PeerId, SyncStatus> lastSync = new ConcurrentHashMap<>();

    /** How the last catalog sync with a peer went: the version spoken, records received and new, whether it reached the end. */
    public record SyncStatus(String protocol, int received, int accepted, boolean complete, java.time.Instant finishedAt) {}
    private final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.ScheduledExecutorService> antiEntropy =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final Subscription subscription;
    private final P2pTimeouts timeouts;

    /**
     * Transfer settings: providers drawn from at once, the pace of each upload (0 = unlimited),
     * the meter that counts and limits all transfers together, and how long a download from a
     * provider reachable only through a relay waits for hole punching to make it direct.
     */
    public record Transfers(int parallelProviders, long uploadBytesPerSecond, TransferMeter meter, Duration directWait) {
        public static final Transfers DEFAULT = new Transfers(4, 0);

        public Transfers(int parallelProviders, long uploadBytesPerSecond) {
            this(parallelProviders, uploadBytesPerSecond, TransferMeter.unlimited());
        }

        public Transfers(int parallelProviders, long uploadBytesPerSecond, TransferMeter meter) {
            this(parallelProviders, uploadBytesPerSecond, meter, NetworkFetcher.DEFAULT_DIRECT_WAIT);
        }
    }

    private final Transfers transfers;

    public MarketplaceNetwork(Host host, KadDht dht, Gossipsub pubsub, Catalog catalog, ContentStore store, String topic, long maxSyncRecords) {
        this(host, dht, pubsub, catalog, store, topic, maxSyncRecords, Transfers.DEFAULT, null);
    }

    /** @param syncCursorFile where catalog-sync cursors survive restarts (null: memory only) */
    public MarketplaceNetwork(Host host, KadDht dht, Gossipsub pubsub, Catalog catalog, ContentStore store, String topic, long maxSyncRecords,
                              Transfers transfers, java.nio.file.Path syncCursorFile) {
        this(host, dht, pubsub, catalog, store, topic, maxSyncRecords, transfers, syncCursorFile, P2pTimeouts.DEFAULT);
    }

    /** @param timeouts deadlines of the marketplace protocols, both sides */
    public MarketplaceNetwork(Host host, KadDht dht, Gossipsub pubsub, Catalog catalog, ContentStore store, String topic, long maxSyncRecords,
                              Transfers transfers, java.nio.file.Path syncCursorFile, P2pTimeouts timeouts) {
        this.timeouts = timeouts;
        this.transfers = transfers;
        this.host = host;
        this.dht = dht;
        this.pubsub = pubsub;
        this.catalog = catalog;
        this.store = store;
        this.topic = topic;
        this.intake = new ReleaseIntake(catalog);
        this.sync = new CatalogSync(catalog, intake, maxSyncRecords, syncCursorFile, timeouts, this::holds);
        this.fetch = new FetchProtocol(store, transfers.uploadBytesPerSecond(), timeouts, transfers.meter());
        this.search = new SearchProtocol(catalog, intake, timeouts);
        dht.registerNamespace("ggen", HeadRecords.validator(catalog), HeadRecords.selector());
        pubsub.addValidator(topic, (from, m) -> {
            // The author of the gossip message is the publishing node: it provides the archive.
            // The peer that forwarded it, and its address, vouch for that provider entry: each
            // only for a few per CID (ProviderAdmission).
            // Checked now and forwarded at once; the release itself is committed with the others
            // of the next few tens of milliseconds (ReleaseIntake.announce).
            ReleaseIntake.Result r = intake.announce(m.data(), m.from().toString(), source(host, from));
            if (r.outcome() == ReleaseIntake.Outcome.REJECTED) log.warn("announcement from {} refused: {}", from, r.reason());
            if (r.outcome() == ReleaseIntake.Outcome.DEFERRED) log.info("announcement {} from {} not taken now: {}", r.coordinates(), from, r.reason());
            return CompletableFuture.completedFuture(switch (r.outcome()) {
                case ACCEPTED -> ValidationResult.ACCEPT;
                case KNOWN, DEFERRED -> ValidationResult.IGNORE;
                case REJECTED -> ValidationResult.REJECT;
            });
        });
        pubsub.setAppScore(p -> {
            PeerReputation rep = catalog.peer(p.toString());
            // Reputation 1.0 with no history: no bonus; failed retrievals pull the score down.
            return rep.successful() + rep.failed() == 0 ? 0 : (rep.reputation() - 0.5) * 2;
        });
        pubsub.subscribe(topic);
        host.handle(FetchProtocol.ID, fetch::serve);
        for (String id : CatalogSync.IDS) host.handle(id, sync::serve);
        host.handle(SearchProtocol.ID, search::serve);
        // New peers with a catalog, from the host's bus: identified, or (by a push) newly serving it.
        this.subscription = host.events().subscribe("marketplace", e -> {
            switch (e) {
                case Event.PeerIdentified p -> {
                    if (CatalogSync.servedBy(p.info().protocols())) syncSoon(p.peer());
                }
                case Event.PeerProtocolsChanged p -> {
                    if (CatalogSync.servedBy(p.added())) syncSoon(p.peer());
                }
                default -> { }
            }
        }, Set.of(Event.PeerIdentified.class, Event.PeerProtocolsChanged.class));
        for (Connection c : host.connections()) {
            c.identifyInfo().filter(i -> CatalogSync.servedBy(i.protocols())).ifPresent(i -> syncSoon(c.remotePeer()));
        }
    }

    /** Whether the store holds the archive of {@code cid} (false for a CID a damaged row spells wrong). */
    private boolean holds(String cid) {
        try {
            return store.contains(ContentId.parse(cid));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The archive bytes this node fetched and served, under its bandwidth limits. */
    public TransferMeter transfers() {
        return transfers.meter();
    }

    /** A connected peer as the source of provider entries: its id and the IP of its connection (an IPv6 one by its /64). */
    static ProviderAdmission.Source source(Host host, PeerId peer) {
        String ip = host.connection(peer).flatMap(c -> c.remoteAddr().toTcpSocketAddress()).map(a -> {
            if (a.isUnresolved()) return a.getHostString();
            byte[] b = a.getAddress().getAddress();
            return b.length == 16 ? java.util.HexFormat.of().formatHex(b, 0, 8) + "/64" : a.getAddress().getHostAddress();
        }).orElse(null);
        return new ProviderAdmission.Source(peer.toString(), ip);
    }

    /**
     * Pulls a peer's catalog from the cursor reached last time: when the peer is identified (each
     * new connection), and by anti-entropy; never two syncs from one peer at once, at most one
     * start per peer every {@link #MIN_RESYNC_GAP} (or the anti-entropy interval, if shorter), and at most two syncs at a time overall.
     */
    private void syncSoon(PeerId peer) {
        long now = System.nanoTime();
        Long last = syncStarted.get(peer);
        if (last != null && now - last < resyncGapNanos) return;
        if (!syncing.add(peer)) return;
        if (syncStarted.size() > MAX_PEERS_TRACKED) syncStarted.clear();
        syncStarted.put(peer, now);
        Thread.ofVirtual().name("catalog-sync").start(() -> {
            try {
                syncs.acquire();
                try {
                    CatalogSync.Result r = sync.syncFrom(host, peer);
                    if (r.received() > 0) log.info("catalog sync from {} ({}): {} records, {} new", peer, r.protocol(), r.received(), r.accepted());
                    if (lastSync.size() > MAX_PEERS_TRACKED) lastSync.clear();
                    lastSync.put(peer, new SyncStatus(r.protocol(), r.received(), r.accepted(), r.complete(), java.time.Instant.now()));
                } finally {
                    syncs.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                syncing.remove(peer);
            }
        });
    }

    /**
     * Anti-entropy: every {@code interval}, syncs again from the connected peers that serve the
     * catalog and were synced from longest ago ({@link #RESYNC_PEERS_PER_ROUND} a round), so what
     * gossip missed (a message lost, a release added beside the running node) arrives anyway. A
     * sync resumes from its cursor: with nothing new it is one request and one empty page.
     * Calling it again replaces the interval; {@code Duration.ZERO} stops it.
     */
    public void resyncEvery(Duration interval) {
        java.util.concurrent.ScheduledExecutorService old = antiEntropy.getAndSet(null);
        if (old != null) old.shutdownNow();
        if (interval.isZero() || interval.isNegative()) return;
        resyncGapNanos = Math.min(MIN_RESYNC_GAP.toNanos(), interval.toNanos());
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("catalog-anti-entropy").unstarted(r));
        antiEntropy.set(timer);
        timer.scheduleWithFixedDelay(this::resyncRound, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One anti-entropy round (see {@link #resyncEvery}). */
    void resyncRound() {
        try {
            List<PeerId> peers = new ArrayList<>();
            for (Connection c : host.connections()) {
                PeerId p = c.remotePeer();
                if (!peers.contains(p) && c.identifyInfo().map(i -> CatalogSync.servedBy(i.protocols())).orElse(false)) peers.add(p);
            }
            peers.sort(java.util.Comparator.comparingLong(p -> syncStarted.getOrDefault(p, Long.MIN_VALUE)));
            for (PeerId p : peers.subList(0, Math.min(RESYNC_PEERS_PER_ROUND, peers.size()))) syncSoon(p);
        } catch (RuntimeException e) {
            log.warn("anti-entropy round failed", e);
        }
    }

    /** Whether the automatic catalog sync with {@code peer} has run (finished or given up) in this run. */
    public boolean catalogSynced(PeerId peer) {
        return lastSync.containsKey(peer);
    }

    /** The last automatic catalog sync with {@code peer} in this run, if one has run. */
    public Optional<SyncStatus> catalogSync(PeerId peer) {
        return Optional.ofNullable(lastSync.get(peer));
    }

    public CatalogSync.Result syncNow(PeerId peer) {
        return sync.syncFrom(host, peer);
    }

    public PackageDht packageDht() {
        return new PackageDht() {
            @Override
            public CompletableFuture<Integer> put(String key, byte[] value) {
                return dht.put(key.getBytes(StandardCharsets.UTF_8), value).thenApply(r -> r.stored());
            }

            @Override
            public CompletableFuture<Optional<byte[]>> get(String key) {
                return dht.get(key.getBytes(StandardCharsets.UTF_8)).thenApply(r -> r.map(g -> g.value()));
            }

            @Override
            public CompletableFuture<Integer> provide(ContentId cid) {
                return dht.provide(cid.cid().multihash().toBytes()).thenApply(r -> r.stored());
            }

            @Override
            public CompletableFuture<List<PeerId>> findProviders(ContentId cid, int max) {
                return dht.findProviders(cid.cid().multihash().toBytes(), max, p -> { }).thenApply(l -> l.stream().map(KadMessage.PeerInfo::id).toList());
            }
        };
    }

    public PackageGossip packageGossip() {
        return data -> CompletableFuture.completedFuture(pubsub.publish(topic, data));
    }

    /** Providers of a CID: the catalog's (best reputation first), then the DHT's. */
    public List<PeerId> providers(ContentId cid) {
        Set<PeerId> out = new LinkedHashSet<>();
        for (PeerReputation r : catalog.providers(cid.toString())) {
            try {
                out.add(PeerId.fromString(r.peerId()));
            } catch (RuntimeException ignored) {
                // a damaged row
            }
        }
        try {
            for (PeerId p : packageDht().findProviders(cid, 8).get(30, TimeUnit.SECONDS)) {
                if (out.add(p)) catalog.addProvider(cid.toString(), p.toString());
            }
        } catch (Exception e) {
            log.info("DHT provider lookup for {} failed: {}", cid, e.toString());
        }
        out.remove(host.peerId());
        List<PeerId> sorted = new ArrayList<>(out);
        sorted.sort((a, b) -> Double.compare(catalog.peer(b.toString()).reputation(), catalog.peer(a.toString()).reputation()));
        return sorted;
    }

    /**
     * Asks the best connected peers that serve {@code /ggen/search/1.0.0} (highest reputation
     * first, at most {@code maxPeers}); their verified records join the local catalog.
     */
    public SearchProtocol.Outcome searchNetwork(SearchProtocol.Query q, int maxPeers, Duration timeout) {
        List<PeerId> candidates = new ArrayList<>();
        for (Connection c : host.connections()) {
            if (c.identifyInfo().map(i -> i.protocols().contains(SearchProtocol.ID)).orElse(false) && !candidates.contains(c.remotePeer())) {
                candidates.add(c.remotePeer());
            }
        }
        candidates.sort((a, b) -> Double.compare(catalog.peer(b.toString()).reputation(), catalog.peer(a.toString()).reputation()));
        return search.ask(host, candidates, q, maxPeers, timeout);
    }

    /** What the network says of a package before an install resolves it. */
    public record PackageRefresh(boolean headFound, List<String> headVersions, List<String> missingBefore, Set<String> learned) {}

    /**
     * Brings the catalog up to date with the network for one package: reads its head from the
     * DHT ({@code /ggen/pkg/<id>}, signed by the owner, checked against the owner this node
     * knows) and, when the head names versions the catalog lacks (or there is no head and the
     * catalog knows nothing of the package), asks the best peers for the signed release records,
     * which go through the usual intake. Bounded by {@code timeout} for each of the two steps.
     */
    public PackageRefresh refreshPackage(String id, int searchPeers, Duration timeout) {
        List<String> headVersions = new ArrayList<>();
        boolean found = false;
        try {
            Optional<byte[]> v = packageDht().get(HeadBuilder.key(id)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (v.isPresent()) {
                Optional<io.ggen.marketplace.release.PackageHead> head = HeadRecords.read(catalog, id, v.get());
                if (head.isPresent()) {
                    found = true;
                    // The owner's signed head carries its yanks: a yank this node missed applies now.
                    List<String> yanked = catalog.yankFromHead(head.get());
                    if (!yanked.isEmpty()) log.info("{}: versions {} are yanked in the owner's DHT head; yanked here too", id, yanked);
                    for (io.ggen.marketplace.release.PackageHead.Entry e : head.get().versions()) {
                        if (!e.yanked()) headVersions.add(e.version());
                    }
                } else {
                    log.warn("the DHT head of {} is not valid here; ignored", id);
                }
            }
        } catch (Exception e) {
            log.info("DHT head of {}: {}", id, e.toString());
        }
        Set<String> known = new java.util.HashSet<>();
        for (io.ggen.marketplace.catalog.ReleaseRow r : catalog.releases(id)) known.add(r.record().version());
        List<String> missing = headVersions.stream().filter(v -> !known.contains(v)).toList();
        Set<String> learned = Set.of();
        if (searchPeers > 0 && (!missing.isEmpty() || (!found && known.isEmpty()))) {
            learned = searchNetwork(new SearchProtocol.Query(id, null, List.of(), SearchProtocol.MAX_HITS), searchPeers, timeout).learned();
        }
        return new PackageRefresh(found, headVersions, missing, learned);
    }

    public ContentFetcher fetcher() {
        return new NetworkFetcher(host, store, catalog, this::providers, timeouts, transfers.parallelProviders(), transfers.meter(), transfers.directWait());
    }

    @Override
    public void close() {
        resyncEvery(Duration.ZERO);
        subscription.close();
        host.unhandle(FetchProtocol.ID);
        for (String id : CatalogSync.IDS) host.unhandle(id);
        host.unhandle(SearchProtocol.ID);
    }
}
