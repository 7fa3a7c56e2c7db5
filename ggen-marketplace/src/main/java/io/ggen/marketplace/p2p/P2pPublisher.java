package io.ggen.marketplace.p2p;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.ReleaseRow;
import io.ggen.marketplace.keys.KeyStore;
import io.ggen.marketplace.release.PackageHead;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.marketplace.release.YankRecord;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts this node's releases on the network: the signed package head into the DHT under
 * {@code /ggen/pkg/<id>}, a provider record for the archive's CID, and the signed release
 * record on the packages topic. Also the periodic republish of heads and provider records, and
 * the catch-up of releases published while no node ran.
 */
public final class P2pPublisher {
    private static final Logger log = LoggerFactory.getLogger(P2pPublisher.class);

    /** What announcing one release achieved. */
    public record Announced(String coordinates, int gossipPeers, int headStoredOn, int providerStoredOn, List<String> problems) {}

    private final Catalog catalog;
    private final KeyStore keys;
    private final PackageDht dht;
    private final PackageGossip gossip;
    private final PublishState state;
    private final Duration timeout;
    /** Last head sequence put per package id, so a republish in the same millisecond still rises. */
    private final Map<String, Long> lastSequence = new ConcurrentHashMap<>();

    public P2pPublisher(Catalog catalog, KeyStore keys, PackageDht dht, PackageGossip gossip, PublishState state, Duration timeout) {
        this.catalog = catalog;
        this.keys = keys;
        this.dht = dht;
        this.gossip = gossip;
        this.state = state;
        this.timeout = timeout;
    }

    /** Announces a release this node published (its key must be in the key store). */
    public Announced announce(SignedRecord signed) {
        ReleaseRecord r = signed.openRelease();
        List<String> problems = new ArrayList<>();
        CompletableFuture<Integer> gossiped = gossip.announce(signed.encode());
        CompletableFuture<Integer> head = putHead(r.id(), problems);
        CompletableFuture<Integer> provided = dht.provide(r.cid());
        int peers = await(gossiped, "gossip", problems);
        int headNodes = await(head, "DHT head", problems);
        int providerNodes = await(provided, "provider record", problems);
        if (peers > 0 || headNodes > 0) {
            try {
                state.markAnnounced(r.coordinates());
            } catch (IOException e) {
                problems.add("could not record the announcement: " + e.getMessage());
            }
        }
        return new Announced(r.coordinates(), peers, headNodes, providerNodes, problems);
    }

    /**
     * Announces a yank this node's key signed: the signed yank record on the packages topic (as a
     * release is) and a fresh package head, which marks the version yanked, in the DHT.
     */
    public Announced announceYank(SignedRecord signed) {
        YankRecord y = signed.openYank();
        String coordinates = y.id() + "@" + y.version();
        List<String> problems = new ArrayList<>();
        CompletableFuture<Integer> gossiped = gossip.announce(signed.encode());
        CompletableFuture<Integer> head = putHead(y.id(), problems);
        int peers = await(gossiped, "gossip", problems);
        int headNodes = await(head, "DHT head", problems);
        if (peers > 0 || headNodes > 0) {
            try {
                state.markYankAnnounced(coordinates);
            } catch (IOException e) {
                problems.add("could not record the announcement: " + e.getMessage());
            }
        }
        return new Announced(coordinates, peers, headNodes, 0, problems);
    }

    /** At most this many releases, and as many yanks, are announced by one {@link #announcePending} call. */
    public static final int MAX_PENDING_PER_ROUND = 100;

    /**
     * Announces this node's own releases and yanks that no peer has heard of yet: published or
     * yanked while no node ran, while no peer was connected, or by a local command beside the
     * running node. A release counts as announced once a peer took the gossip or a DHT node the
     * head, so calling this when peers arrive, and now and then, gets everything out. Returns the
     * number announced now.
     */
    public int announcePending() {
        List<String> mine = keys.list().stream().map(KeyStore.KeyInfo::fingerprint).toList();
        int n = 0;
        for (SignedRecord s : catalog.unannounced(mine, MAX_PENDING_PER_ROUND)) {
            Announced a = s.type().equals(YankRecord.TYPE) ? announceYank(s) : announce(s);
            if (a.gossipPeers() > 0 || a.headStoredOn() > 0) n++;
            else break; // nobody to tell yet: the next round tries again
        }
        return n;
    }

    private CompletableFuture<Integer> putHead(String id, List<String> problems) {
        Ed25519PrivateKey owner = ownerKey(id);
        if (owner == null) {
            synchronized (problems) {
                problems.add("no local key owns " + id + "; its head was not put in the DHT");
            }
            return CompletableFuture.completedFuture(0);
        }
        long prev = lastSequence.getOrDefault(id, 0L);
        return HeadBuilder.build(catalog, id, owner.publicKey(), prev, System.currentTimeMillis())
                .map(h -> {
                    lastSequence.put(id, h.sequence());
                    return dht.put(HeadBuilder.key(id), SignedRecord.sign(h, owner).encode());
                })
                .orElse(CompletableFuture.completedFuture(0));
    }

    /** The local key that signed releases of {@code id}, if this node holds one. */
    private Ed25519PrivateKey ownerKey(String id) {
        List<ReleaseRow> rows = catalog.releases(id);
        for (KeyStore.KeyInfo k : keys.list()) {
            for (ReleaseRow row : rows) {
                if (row.record().publisher().equals(k.publicKey())) return keys.load(k.name());
            }
        }
        return null;
    }

    /**
     * For every package a local key published: puts a fresh head, provides every CID the store
     * holds, and announces releases never announced (published while no node ran). Returns the
     * number of releases announced now.
     */
    public int republishOwn(java.util.function.Predicate<io.ggen.marketplace.content.ContentId> held) {
        int announcedNow = 0;
        for (KeyStore.KeyInfo k : keys.list()) {
            for (Catalog.Publisher p : catalog.publishers()) {
                if (!p.fingerprint().equals(k.fingerprint())) continue;
                for (String id : p.owns()) {
                    List<String> problems = new ArrayList<>();
                    await(putHead(id, problems), "DHT head of " + id, problems);
                    for (ReleaseRow row : catalog.releases(id)) {
                        if (!row.record().publisher().equals(k.publicKey())) continue;
                        if (held.test(row.record().cid())) await(dht.provide(row.record().cid()), "provider record", problems);
                        if (!state.isAnnounced(row.record().coordinates())) {
                            Announced a = announce(row.signed());
                            if (a.gossipPeers() > 0 || a.headStoredOn() > 0) announcedNow++;
                        }
                    }
                    if (!problems.isEmpty()) log.info("republishing {}: {}", id, problems);
                }
            }
        }
        return announcedNow + announcePending();
    }

    private int await(CompletableFuture<Integer> f, String what, List<String> problems) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            synchronized (problems) {
                problems.add(what + ": no answer within " + timeout.toSeconds() + " s");
            }
        } catch (java.util.concurrent.ExecutionException e) {
            synchronized (problems) {
                problems.add(what + ": " + (e.getCause() == null ? e : e.getCause()).getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The head as the DHT would now hold it for {@code id} (for tests and the API). */
    public java.util.Optional<PackageHead> currentHead(String id) {
        Ed25519PrivateKey owner = ownerKey(id);
        return owner == null ? java.util.Optional.empty() : HeadBuilder.build(catalog, id, owner.publicKey(), 0, System.currentTimeMillis());
    }
}
