package io.ggen.p2p.kad;

import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kademlia routing table: one bucket per common-prefix length with the local key (256), each
 * holding at most k peers, least recently seen first, with a replacement cache of up to k
 * candidates. A full bucket does not drop its oldest peer on its own: the owner pings it
 * ({@link Add#pingOldest}) and evicts it only when it does not answer. IP diversity limits
 * stop one network from filling the table: at most {@code maxPerPrefix16PerBucket} peers per IPv4
 * /16 (or IPv6 /32) in one bucket and {@code maxPerPrefix16} in the table; loopback and private
 * addresses are exempt (they cannot be used to eclipse a node on the internet, and local
 * networks and tests use them). A state machine: no I/O, no clock of its own.
 */
public final class RoutingTable {
    /** What happened to a peer offered to the table. */
    public sealed interface Add {
        record Added() implements Add {}
        record Updated() implements Add {}
        /** The bucket is full; the peer waits in the replacement cache; ping {@code oldest} and evict it if it fails. */
        record PingOldest(PeerId oldest) implements Add {}
        record Rejected(String reason) implements Add {}
    }

    /** A peer in the table. */
    public record Entry(PeerId peer, KadKey key, List<Multiaddr> addrs, long lastSeenMillis, long addedMillis) {}

    private final KadKey local;
    private final int k;
    private final int maxPerPrefix16PerBucket;
    private final int maxPerPrefix16;
    private final List<Deque<Entry>> buckets = new ArrayList<>();
    private final List<Deque<Entry>> replacements = new ArrayList<>();
    private final Map<PeerId, Integer> bucketOf = new HashMap<>();
    private final Map<String, Integer> prefixCount = new HashMap<>();

    public RoutingTable(KadKey local, int k, int maxPerPrefix16PerBucket, int maxPerPrefix16) {
        if (k < 1 || k > 256) throw new IllegalArgumentException("k must be 1..256");
        this.local = local;
        this.k = k;
        this.maxPerPrefix16PerBucket = maxPerPrefix16PerBucket;
        this.maxPerPrefix16 = maxPerPrefix16;
        for (int i = 0; i <= KadKey.BITS; i++) {
            buckets.add(new ArrayDeque<>());
            replacements.add(new ArrayDeque<>());
        }
    }

    public KadKey localKey() {
        return local;
    }

    public synchronized int size() {
        return bucketOf.size();
    }

    public synchronized boolean contains(PeerId p) {
        return bucketOf.containsKey(p);
    }

    /** Offers a peer that serves the DHT protocol (seen now). */
    public synchronized Add add(PeerId peer, List<Multiaddr> addrs, long now) {
        KadKey key = KadKey.of(peer);
        int cpl = local.commonPrefixLength(key);
        if (cpl == KadKey.BITS) return new Add.Rejected("that is us");
        Deque<Entry> bucket = buckets.get(cpl);
        Integer existing = bucketOf.get(peer);
        if (existing != null) {
            Entry old = remove(bucket, peer);
            bucket.addLast(new Entry(peer, key, addrs.isEmpty() ? old.addrs() : List.copyOf(addrs), now, old.addedMillis()));
            return new Add.Updated();
        }
        Optional<String> prefix = diversityPrefix(addrs);
        if (prefix.isPresent()) {
            long inBucket = bucket.stream().filter(e -> diversityPrefix(e.addrs()).equals(prefix)).count();
            if (inBucket >= maxPerPrefix16PerBucket) return new Add.Rejected("bucket already has " + inBucket + " peers from " + prefix.get());
            if (prefixCount.getOrDefault(prefix.get(), 0) >= maxPerPrefix16) return new Add.Rejected("table already has " + maxPerPrefix16 + " peers from " + prefix.get());
        }
        if (bucket.size() < k) {
            bucket.addLast(new Entry(peer, key, List.copyOf(addrs), now, now));
            bucketOf.put(peer, cpl);
            prefix.ifPresent(p -> prefixCount.merge(p, 1, Integer::sum));
            return new Add.Added();
        }
        Deque<Entry> repl = replacements.get(cpl);
        remove(repl, peer);
        repl.addLast(new Entry(peer, key, List.copyOf(addrs), now, now));
        while (repl.size() > k) repl.removeFirst();
        return new Add.PingOldest(bucket.peekFirst().peer());
    }

    /** Marks a peer as seen (it answered); moves it to the end of its bucket. */
    public synchronized void seen(PeerId peer, long now) {
        Integer cpl = bucketOf.get(peer);
        if (cpl == null) return;
        Entry e = remove(buckets.get(cpl), peer);
        buckets.get(cpl).addLast(new Entry(e.peer(), e.key(), e.addrs(), now, e.addedMillis()));
    }

    /** Removes a peer that failed (a ping, or too many requests); the freshest replacement takes its place. */
    public synchronized boolean evict(PeerId peer, long now) {
        Integer cpl = bucketOf.remove(peer);
        if (cpl == null) {
            for (Deque<Entry> r : replacements) remove(r, peer);
            return false;
        }
        Entry gone = remove(buckets.get(cpl), peer);
        diversityPrefix(gone.addrs()).ifPresent(p -> prefixCount.computeIfPresent(p, (x, n) -> n <= 1 ? null : n - 1));
        Deque<Entry> repl = replacements.get(cpl);
        while (!repl.isEmpty()) {
            Entry r = repl.pollLast();
            if (add(r.peer(), r.addrs(), now) instanceof Add.Added) break;
        }
        return true;
    }

    /** Up to {@code count} peers closest to the key, closest first. */
    public synchronized List<Entry> closest(KadKey target, int count) {
        List<Entry> all = new ArrayList<>(bucketOf.size());
        for (Deque<Entry> b : buckets) all.addAll(b);
        all.sort(Comparator.comparing(Entry::key, target.byDistance()));
        return List.copyOf(all.subList(0, Math.min(count, all.size())));
    }

    public synchronized List<Entry> all() {
        List<Entry> all = new ArrayList<>();
        for (Deque<Entry> b : buckets) all.addAll(b);
        return all;
    }

    public synchronized Optional<Entry> get(PeerId p) {
        Integer cpl = bucketOf.get(p);
        if (cpl == null) return Optional.empty();
        return buckets.get(cpl).stream().filter(e -> e.peer().equals(p)).findFirst();
    }

    /** Common-prefix lengths of the non-empty buckets (the ones refresh looks up). */
    public synchronized List<Integer> nonEmptyBuckets() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) if (!buckets.get(i).isEmpty()) out.add(i);
        return out;
    }

    /** Peers not seen since {@code before}, oldest first: the ones to ping. */
    public synchronized List<PeerId> staleSince(long before) {
        List<PeerId> out = new ArrayList<>();
        for (Deque<Entry> b : buckets) for (Entry e : b) if (e.lastSeenMillis() < before) out.add(e.peer());
        return out;
    }

    private static Entry remove(Deque<Entry> d, PeerId p) {
        for (Iterator<Entry> it = d.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.peer().equals(p)) {
                it.remove();
                return e;
            }
        }
        return null;
    }

    /** The /16 (IPv4) or /32 (IPv6) a peer's first public address is in; empty when it has none. */
    static Optional<String> diversityPrefix(List<Multiaddr> addrs) {
        for (Multiaddr a : addrs) {
            if (!a.isPublic()) continue;
            Optional<InetSocketAddress> sa = a.toTcpSocketAddress();
            if (sa.isEmpty() || sa.get().isUnresolved()) continue;
            InetAddress ip = sa.get().getAddress();
            byte[] b = ip.getAddress();
            return Optional.of(b.length == 4 ? (b[0] & 0xff) + "." + (b[1] & 0xff) + "/16"
                    : String.format("%02x%02x:%02x%02x::/32", b[0], b[1], b[2], b[3]));
        }
        return Optional.empty();
    }
}
