package io.ggen.p2p.kad;

import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Kademlia logic of one node, independent of how bytes travel: answering requests
 * ({@link #handle}), the routing table, the record and provider stores, and the iterative
 * queries (put, get, provide, findProviders, findPeer, closestPeers, bootstrap). A real node
 * ({@link KadDht}) gives it a transport over libp2p streams; the simulation an in-memory one.
 * Futures complete on the transport's or the scheduler's threads.
 */
public final class KadNode {
    /** Where peers' addresses are remembered (the host's peer store in a node). */
    public interface AddressBook {
        List<Multiaddr> addrs(PeerId peer);

        void learn(PeerId peer, List<Multiaddr> addrs);
    }

    public record LookupResult(List<KadMessage.PeerInfo> closest, int hops, int requests, int failures) {}

    public record PutResult(int stored, int failed, List<String> errorSamples, LookupResult lookup) {}

    public record GetResult(byte[] value, PeerId from, int peersQueried, int hops) {}

    public record ProvideResult(int stored, LookupResult lookup) {}

    private final PeerId self;
    private final KadKey selfKey;
    private final KadConfig config;
    private final KadTransport transport;
    private final KadScheduler scheduler;
    private final Namespaces namespaces;
    private final Supplier<List<Multiaddr>> selfAddrs;
    private final AddressBook book;
    private final Function<PeerId, CompletableFuture<Boolean>> liveness;
    private final RoutingTable table;
    private final RecordStore records;
    private final ProviderStore providers;
    private final KadMetrics metrics = new KadMetrics();
    private final Map<PeerId, Integer> consecutiveFailures = new HashMap<>();
    private volatile boolean serving;

    public KadNode(PeerId self, KadConfig config, KadTransport transport, KadScheduler scheduler, Namespaces namespaces,
                   Supplier<List<Multiaddr>> selfAddrs, AddressBook book, Function<PeerId, CompletableFuture<Boolean>> liveness) {
        this.self = self;
        this.selfKey = KadKey.of(self);
        this.config = config;
        this.transport = transport;
        this.scheduler = scheduler;
        this.namespaces = namespaces;
        this.selfAddrs = selfAddrs;
        this.book = book;
        this.liveness = liveness;
        this.table = new RoutingTable(selfKey, config.k(), config.maxPerPrefix16PerBucket(), config.maxPerPrefix16());
        this.records = new RecordStore(config.maxRecords(), config.maxRecordAge());
        this.providers = new ProviderStore(config.maxProviderKeys(), config.maxProvidersPerKey());
        this.serving = config.mode() == KadConfig.Mode.SERVER;
    }

    public PeerId self() {
        return self;
    }

    public RoutingTable table() {
        return table;
    }

    public KadMetrics metrics() {
        return metrics;
    }

    public KadConfig config() {
        return config;
    }

    public Namespaces namespaces() {
        return namespaces;
    }

    /** Whether this node answers requests (server mode, or auto once reachable). */
    public boolean serving() {
        return serving;
    }

    void setServing(boolean s) {
        serving = s;
    }

    public int recordCount() {
        return records.size();
    }

    public int providerKeyCount() {
        return providers.keys();
    }

    // ------------------------------------------------------------------ routing table

    /** A peer that serves the DHT protocol was seen (identify said so, or it answered us). */
    public void addPeer(PeerId peer, List<Multiaddr> addrs) {
        RoutingTable.Add r = table.add(peer, addrs, scheduler.nowMillis());
        if (r instanceof RoutingTable.Add.PingOldest(PeerId oldest)) {
            liveness.apply(oldest).whenComplete((alive, err) -> {
                if (err != null || !Boolean.TRUE.equals(alive)) {
                    table.evict(oldest, scheduler.nowMillis());
                    table.add(peer, addrs, scheduler.nowMillis());
                } else {
                    table.seen(oldest, scheduler.nowMillis());
                }
            });
        }
    }

    public void removePeer(PeerId peer) {
        table.evict(peer, scheduler.nowMillis());
    }

    private void answered(PeerId peer) {
        synchronized (consecutiveFailures) {
            consecutiveFailures.remove(peer);
        }
        table.seen(peer, scheduler.nowMillis());
    }

    private void unanswered(PeerId peer) {
        int n;
        synchronized (consecutiveFailures) {
            n = consecutiveFailures.merge(peer, 1, Integer::sum);
            if (consecutiveFailures.size() > 4 * config.k() * 64) consecutiveFailures.clear();
        }
        // Two failures in a row: the peer is gone or overloaded; its replacement gets the slot.
        if (n >= 2) {
            table.evict(peer, scheduler.nowMillis());
            synchronized (consecutiveFailures) {
                consecutiveFailures.remove(peer);
            }
        }
    }

    private KadMessage.PeerInfo info(PeerId p) {
        return new KadMessage.PeerInfo(p, book.addrs(p), false);
    }

    private List<KadMessage.PeerInfo> closerPeers(byte[] key, PeerId exclude) {
        List<KadMessage.PeerInfo> out = new ArrayList<>();
        for (RoutingTable.Entry e : table.closest(KadKey.of(key), config.k() + 1)) {
            if (e.peer().equals(exclude)) continue;
            List<Multiaddr> a = book.addrs(e.peer());
            out.add(new KadMessage.PeerInfo(e.peer(), a.isEmpty() ? e.addrs() : a, false));
            if (out.size() >= config.k()) break;
        }
        return out;
    }

    // ------------------------------------------------------------------ serving

    /**
     * Answers one request from {@code from}; empty for ADD_PROVIDER, which has no answer.
     *
     * @throws KadException when the request breaks the protocol (the caller resets the stream)
     */
    public Optional<KadMessage> handle(PeerId from, KadMessage req) throws KadException {
        return handle(from, null, req);
    }

    /**
     * Answers one request from {@code from}, which came from {@code origin} (the sender's IP
     * address, or null when not limited by origin): an origin adds at most a few providers per
     * key, whatever peer ids it announces under.
     *
     * @throws KadException when the request breaks the protocol (the caller resets the stream)
     */
    public Optional<KadMessage> handle(PeerId from, String origin, KadMessage req) throws KadException {
        metrics.requestsReceived.incrementAndGet();
        Instant now = Instant.ofEpochMilli(scheduler.nowMillis());
        byte[] key = req.key();
        switch (req.type()) {
            case FIND_NODE -> {
                return Optional.of(new KadMessage(KadMessage.Type.FIND_NODE, key, Optional.empty(), closerPeers(key, from), List.of()));
            }
            case PING -> {
                return Optional.of(KadMessage.request(KadMessage.Type.PING, new byte[0]));
            }
            case GET_VALUE -> {
                if (key.length == 0) throw new KadException("GET_VALUE without a key");
                Optional<ValueRecord> r = records.get(key, now);
                return Optional.of(new KadMessage(KadMessage.Type.GET_VALUE, key, r, closerPeers(key, from), List.of()));
            }
            case PUT_VALUE -> {
                ValueRecord r = req.record().orElseThrow(() -> new KadException("PUT_VALUE without a record"));
                if (!java.util.Arrays.equals(r.key(), key)) throw new KadException("PUT_VALUE record key differs from the message key");
                namespaces.validate(key, r.value());
                Optional<ValueRecord> existing = records.get(key, now);
                if (existing.isPresent() && !java.util.Arrays.equals(existing.get().value(), r.value())) {
                    int best = namespaces.rulesFor(key).selector().select(key, List.of(existing.get().value(), r.value()));
                    if (best == 0) return Optional.of(req); // we keep the better one we have; the put is acknowledged as libp2p nodes do
                }
                records.put(new ValueRecord(key, r.value(), now));
                return Optional.of(req);
            }
            case ADD_PROVIDER -> {
                if (key.length == 0) throw new KadException("ADD_PROVIDER without a key");
                for (KadMessage.PeerInfo p : req.providerPeers()) {
                    // Only the sender may announce itself; announcements for others are ignored.
                    if (!p.id().equals(from)) continue;
                    if (!p.addrs().isEmpty()) book.learn(from, p.addrs());
                    if (!providers.add(key, from, now.plus(config.providerTtl()), origin)) metrics.providersRefused.incrementAndGet();
                }
                return Optional.empty();
            }
            case GET_PROVIDERS -> {
                if (key.length == 0) throw new KadException("GET_PROVIDERS without a key");
                List<KadMessage.PeerInfo> found = new ArrayList<>();
                for (PeerId p : providers.get(key, now)) {
                    found.add(info(p));
                    if (found.size() >= config.k()) break;
                }
                return Optional.of(new KadMessage(KadMessage.Type.GET_PROVIDERS, key, Optional.empty(), closerPeers(key, from), found));
            }
        }
        throw new KadException("unhandled type " + req.type());
    }

    /** Drops expired records and providers. */
    public void sweep() {
        Instant now = Instant.ofEpochMilli(scheduler.nowMillis());
        records.sweep(now);
        providers.sweep(now);
    }

    // ------------------------------------------------------------------ queries

    private <T> CompletableFuture<T> withTimeout(CompletableFuture<T> f, long millis) {
        CompletableFuture<T> out = new CompletableFuture<>();
        KadScheduler.Timer timeout = scheduler.schedule(() -> out.completeExceptionally(new TimeoutException("no answer within " + millis + " ms")), millis);
        f.whenComplete((v, e) -> {
            timeout.cancel();
            if (e != null) out.completeExceptionally(e);
            else out.complete(v);
        });
        return out;
    }

    /**
     * Runs an iterative lookup towards {@code key} with requests of {@code type}; each answer goes
     * to {@code onAnswer}, which returns true to stop the lookup early.
     */
    public CompletableFuture<LookupResult> lookup(byte[] key, KadMessage.Type type, BiPredicate<KadMessage.PeerInfo, KadMessage> onAnswer) {
        metrics.queries.incrementAndGet();
        long started = System.nanoTime();
        KadKey target = KadKey.of(key);
        List<KadMessage.PeerInfo> seeds = new ArrayList<>();
        for (RoutingTable.Entry e : table.closest(target, config.k())) seeds.add(new KadMessage.PeerInfo(e.peer(), e.addrs(), false));
        Lookup lookup = new Lookup(target, self, seeds, config.k(), config.alpha());
        CompletableFuture<LookupResult> done = new CompletableFuture<>();
        KadMessage request = KadMessage.request(type, key);
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            List<KadMessage.PeerInfo> send;
            synchronized (lookup) {
                if (done.isDone()) return;
                if (lookup.isDone() && (lookup.inFlight() == 0 || isStopped(lookup))) {
                    finish(lookup, done, type, started);
                    return;
                }
                send = lookup.next();
            }
            for (KadMessage.PeerInfo p : send) {
                metrics.requestsSent.incrementAndGet();
                if (!p.addrs().isEmpty()) book.learn(p.id(), p.addrs());
                withTimeout(transport.request(p, request), config.requestTimeout().toMillis()).whenComplete((resp, err) -> {
                    if (err != null || resp == null || resp.type() != type) {
                        metrics.requestFailures.incrementAndGet();
                        unanswered(p.id());
                        synchronized (lookup) {
                            lookup.failed(p.id());
                        }
                    } else {
                        answered(p.id());
                        boolean stop = false;
                        try {
                            stop = onAnswer.test(p, resp);
                        } catch (RuntimeException e) {
                            // a bad answer is the remote's problem, not the query's
                        }
                        synchronized (lookup) {
                            lookup.succeeded(p.id(), resp.closerPeers());
                            if (stop) lookup.stop();
                        }
                    }
                    pump[0].run();
                });
            }
        };
        KadScheduler.Timer timeout = scheduler.schedule(() -> {
            synchronized (lookup) {
                if (!done.isDone()) {
                    lookup.stop();
                    finish(lookup, done, type, started);
                }
            }
        }, config.queryTimeout().toMillis());
        done.whenComplete((r, e) -> timeout.cancel());
        pump[0].run();
        return done;
    }

    private static boolean isStopped(Lookup l) {
        return l.isDone();
    }

    private void finish(Lookup lookup, CompletableFuture<LookupResult> done, KadMessage.Type type, long startedNanos) {
        metrics.queryLatency(type).observeNanos(System.nanoTime() - startedNanos);
        LookupResult r = new LookupResult(lookup.closestSucceeded(), lookup.hops(), lookup.requests(), lookup.failures());
        metrics.hopsTotal.addAndGet(r.hops());
        if (r.closest().isEmpty() && r.requests() > 0) metrics.queryFailures.incrementAndGet();
        done.complete(r);
    }

    /** The k closest peers to the key that answered. */
    public CompletableFuture<LookupResult> closestPeers(byte[] key) {
        return lookup(key, KadMessage.Type.FIND_NODE, (p, m) -> false);
    }

    /** Stores a value: validated here, then PUT_VALUE to the k closest peers. */
    public CompletableFuture<PutResult> put(byte[] key, byte[] value) {
        try {
            namespaces.validate(key, value);
        } catch (KadException e) {
            return CompletableFuture.failedFuture(e);
        }
        ValueRecord record = new ValueRecord(key, value, Instant.ofEpochMilli(scheduler.nowMillis()));
        if (serving) records.put(record);
        return closestPeers(key).thenCompose(lr -> {
            KadMessage msg = new KadMessage(KadMessage.Type.PUT_VALUE, key, Optional.of(record), List.of(), List.of());
            List<CompletableFuture<Boolean>> puts = new ArrayList<>();
            List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            for (KadMessage.PeerInfo p : lr.closest()) {
                metrics.requestsSent.incrementAndGet();
                puts.add(withTimeout(transport.request(p, msg), config.requestTimeout().toMillis()).handle((resp, err) -> {
                    if (err == null && resp != null && resp.type() == KadMessage.Type.PUT_VALUE) return true;
                    if (errors.size() < 5) errors.add(p.id() + ": " + (err == null ? "unexpected answer" : rootMessage(err)));
                    return false;
                }));
            }
            return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).thenApply(v -> {
                int ok = (int) puts.stream().filter(CompletableFuture::join).count();
                return new PutResult(ok, puts.size() - ok, List.copyOf(errors), lr);
            });
        });
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The best valid value for the key: ours and up to beta peers' answers, chosen by the namespace's selector. */
    public CompletableFuture<Optional<GetResult>> get(byte[] key) {
        Namespaces.Rules rules;
        try {
            rules = namespaces.rulesFor(key);
        } catch (KadException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<byte[]> values = java.util.Collections.synchronizedList(new ArrayList<>());
        List<PeerId> from = java.util.Collections.synchronizedList(new ArrayList<>());
        records.get(key, Instant.ofEpochMilli(scheduler.nowMillis())).ifPresent(r -> {
            values.add(r.value());
            from.add(self);
        });
        int[] queried = new int[1];
        return lookup(key, KadMessage.Type.GET_VALUE, (p, m) -> {
            synchronized (queried) {
                queried[0]++;
            }
            if (m.record().isEmpty()) return false;
            ValueRecord r = m.record().get();
            if (!java.util.Arrays.equals(r.key(), key)) return false;
            try {
                rules.validator().validate(key, r.value());
            } catch (KadException e) {
                return false;
            }
            synchronized (values) {
                values.add(r.value());
                from.add(p.id());
                return values.size() >= config.beta();
            }
        }).thenApply(lr -> {
            synchronized (values) {
                if (values.isEmpty()) return Optional.empty();
                int best = rules.selector().select(key, List.copyOf(values));
                return Optional.of(new GetResult(values.get(best), from.get(best), queried[0], lr.hops()));
            }
        });
    }

    /** Announces this node as a provider of the key to the k closest peers. */
    public CompletableFuture<ProvideResult> provide(byte[] key) {
        providers.add(key, self, Instant.ofEpochMilli(scheduler.nowMillis()).plus(config.providerTtl()));
        return closestPeers(key).thenCompose(lr -> {
            KadMessage msg = new KadMessage(KadMessage.Type.ADD_PROVIDER, key, Optional.empty(), List.of(),
                    List.of(new KadMessage.PeerInfo(self, selfAddrs.get(), true)));
            List<CompletableFuture<Boolean>> sends = new ArrayList<>();
            for (KadMessage.PeerInfo p : lr.closest()) {
                metrics.requestsSent.incrementAndGet();
                sends.add(withTimeout(transport.send(p, msg), config.requestTimeout().toMillis()).handle((v, e) -> e == null));
            }
            return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .thenApply(v -> new ProvideResult((int) sends.stream().filter(CompletableFuture::join).count(), lr));
        });
    }

    /** Providers of the key, each passed to {@code onEach} as found; stops after {@code max}. */
    public CompletableFuture<List<KadMessage.PeerInfo>> findProviders(byte[] key, int max, Consumer<KadMessage.PeerInfo> onEach) {
        Set<PeerId> seen = new HashSet<>();
        List<KadMessage.PeerInfo> found = new ArrayList<>();
        for (PeerId p : providers.get(key, Instant.ofEpochMilli(scheduler.nowMillis()))) {
            if (found.size() >= max) break;
            seen.add(p);
            KadMessage.PeerInfo i = p.equals(self) ? new KadMessage.PeerInfo(self, selfAddrs.get(), true) : info(p);
            found.add(i);
            onEach.accept(i);
        }
        if (found.size() >= max) return CompletableFuture.completedFuture(List.copyOf(found));
        return lookup(key, KadMessage.Type.GET_PROVIDERS, (p, m) -> {
            synchronized (found) {
                for (KadMessage.PeerInfo prov : m.providerPeers()) {
                    if (found.size() >= max) break;
                    if (!seen.add(prov.id())) continue;
                    if (!prov.addrs().isEmpty()) book.learn(prov.id(), prov.addrs());
                    found.add(prov);
                    onEach.accept(prov);
                }
                return found.size() >= max;
            }
        }).thenApply(lr -> {
            synchronized (found) {
                return List.copyOf(found);
            }
        });
    }

    /** A peer's addresses, asking the DHT for the peers closest to its id. */
    public CompletableFuture<Optional<KadMessage.PeerInfo>> findPeer(PeerId peer) {
        KadMessage.PeerInfo[] hit = new KadMessage.PeerInfo[1];
        return lookup(peer.toBytes(), KadMessage.Type.FIND_NODE, (p, m) -> {
            if (p.id().equals(peer)) {
                synchronized (hit) {
                    hit[0] = p;
                }
                return true;
            }
            for (KadMessage.PeerInfo c : m.closerPeers()) {
                if (c.id().equals(peer) && !c.addrs().isEmpty()) {
                    synchronized (hit) {
                        hit[0] = c;
                    }
                    book.learn(peer, c.addrs());
                    return true;
                }
            }
            return false;
        }).thenApply(lr -> {
            synchronized (hit) {
                return Optional.ofNullable(hit[0]);
            }
        });
    }

    /** Joins the network: a lookup of our own id, then one random key per non-empty bucket (at most 16). */
    public CompletableFuture<Integer> bootstrap() {
        return closestPeers(self.toBytes()).thenCompose(lr -> refresh()).thenApply(v -> table.size());
    }

    /**
     * Refreshes buckets: for each non-empty bucket up to common-prefix length 15 (deeper ones are
     * refreshed by the self lookup), a lookup of a random key that falls in that bucket.
     */
    public CompletableFuture<Void> refresh() {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        java.util.Random random = new java.util.Random();
        for (int cpl : table.nonEmptyBuckets()) {
            if (cpl > 15) break;
            byte[] key = keyInBucket(cpl, random);
            if (key == null) continue;
            chain = chain.thenCompose(v -> closestPeers(key).thenApply(r -> null));
        }
        return chain;
    }

    /** A random key whose hash shares exactly {@code cpl} leading bits with ours (2^(cpl+1) tries expected). */
    private byte[] keyInBucket(int cpl, java.util.Random random) {
        byte[] key = new byte[32];
        for (int i = 0; i < (1 << 20); i++) {
            random.nextBytes(key);
            if (selfKey.commonPrefixLength(KadKey.of(key)) == cpl) return key.clone();
        }
        return null;
    }
}
