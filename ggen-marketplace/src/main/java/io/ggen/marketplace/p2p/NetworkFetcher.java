package io.ggen.marketplace.p2p;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.content.ContentStore;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.protocol.LengthPrefixed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads content over {@code /ggen/fetch/1.0.0} from providers in order of reputation. Small
 * archives come from one provider at a time, a transfer that breaks or stalls resuming from the
 * bytes already received with the next; large ones are cut into byte ranges drawn from several
 * providers at once. The whole is verified against its CID before it enters the store.
 *
 * <p>Every byte range is remembered with the provider that sent it. When the assembled bytes do
 * not verify, the contributors are tried alone until one delivers content that does; that
 * content then shows exactly which ranges were wrong, so only the providers that sent wrong bytes
 * lose reputation. Nothing unverified is ever kept.
 *
 * <p>A failure to write on this node's own disk (full, a file size limit, an I/O error) is not a
 * provider's failure: it ends the download at once with {@link LocalStorageException}, and no
 * provider's reputation changes.
 */
public final class NetworkFetcher implements ContentFetcher {
    private static final Logger log = LoggerFactory.getLogger(NetworkFetcher.class);

    /** Archives from this size on are drawn from several providers at once. */
    static final long PARALLEL_THRESHOLD = 4L << 20;
    static final long MIN_SEGMENT = 1L << 20;
    static final long MAX_SEGMENT = 8L << 20;

    private final Host host;
    private final ContentStore store;
    private final Catalog catalog;
    private final Function<ContentId, List<PeerId>> providers;
    private final P2pTimeouts timeouts;
    private final int parallelProviders;

    public NetworkFetcher(Host host, ContentStore store, Catalog catalog, Function<ContentId, List<PeerId>> providers, Duration stallTimeout) {
        this(host, store, catalog, providers, stallTimeout, 4);
    }

    /** @param parallelProviders providers a large archive is drawn from at once (1 = one after another) */
    public NetworkFetcher(Host host, ContentStore store, Catalog catalog, Function<ContentId, List<PeerId>> providers, Duration stallTimeout,
                          int parallelProviders) {
        this(host, store, catalog, providers, P2pTimeouts.DEFAULT.withTransferStall(stallTimeout), parallelProviders);
    }

    /** @param timeouts stream set-up, the answer's header, and the stall bound of a transfer */
    public NetworkFetcher(Host host, ContentStore store, Catalog catalog, Function<ContentId, List<PeerId>> providers, P2pTimeouts timeouts,
                          int parallelProviders) {
        this(host, store, catalog, providers, timeouts, parallelProviders, TransferMeter.unlimited());
    }

    private final TransferMeter meter;

    /** @param meter counts what arrives, under the node's total download limit */
    public NetworkFetcher(Host host, ContentStore store, Catalog catalog, Function<ContentId, List<PeerId>> providers, P2pTimeouts timeouts,
                          int parallelProviders, TransferMeter meter) {
        this(host, store, catalog, providers, timeouts, parallelProviders, meter, DEFAULT_DIRECT_WAIT);
    }

    /** @param directWait how long a provider reachable only through a relay is given to become direct (hole punching) */
    public NetworkFetcher(Host host, ContentStore store, Catalog catalog, Function<ContentId, List<PeerId>> providers, P2pTimeouts timeouts,
                          int parallelProviders, TransferMeter meter, Duration directWait) {
        if (directWait.isNegative()) throw new IllegalArgumentException("directWait must not be negative");
        this.directWait = directWait;
        this.meter = meter;
        if (parallelProviders < 1 || parallelProviders > 64) throw new IllegalArgumentException("parallelProviders must be 1..64");
        this.host = host;
        this.store = store;
        this.catalog = catalog;
        this.providers = providers;
        this.timeouts = timeouts;
        this.parallelProviders = parallelProviders;
    }

    /** A download could not be written on this machine: our problem, which no provider is blamed for. */
    public static final class LocalStorageException extends MarketplaceException {
        private static final long serialVersionUID = 1L;

        LocalStorageException(ContentId cid, IOException cause) {
            super(Kind.IO, "cannot write the download of " + cid + " on this machine: " + cause.getMessage()
                    + " (a local problem, not the providers': their reputation is unchanged; free some disk space and retry)", cause);
        }
    }

    /** Who sent which bytes in one attempt, and (when they did not verify) a copy of them. */
    private static final class Evidence {
        final Map<PeerId, List<long[]>> ranges = new java.util.concurrent.ConcurrentHashMap<>();
        Path suspect;

        void sent(PeerId p, long offset, long length) {
            if (length <= 0) return;
            List<long[]> l = ranges.computeIfAbsent(p, k -> java.util.Collections.synchronizedList(new ArrayList<>()));
            l.add(new long[] {offset, length});
        }

        List<PeerId> contributors(List<PeerId> order) {
            return order.stream().filter(ranges::containsKey).toList();
        }
    }

    /** How long a download waits for a hole-punched connection before it considers the relay, unless told otherwise. */
    public static final Duration DEFAULT_DIRECT_WAIT = Duration.ofSeconds(10);
    private final Duration directWait;
    /** Where each running fetch's notes go (by content id), for the downloads it starts. */
    private final Map<ContentId, java.util.function.Consumer<String>> noteSinks = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void fetch(ContentId cid, long expectedSize, LongConsumer progress) throws Exception {
        fetch(cid, expectedSize, progress, note -> log.info("{}", note));
    }

    @Override
    public void fetch(ContentId cid, long expectedSize, LongConsumer progress, java.util.function.Consumer<String> notes) throws Exception {
        noteSinks.put(cid, notes);
        try {
            fetchNoted(cid, expectedSize, progress);
        } finally {
            noteSinks.remove(cid, notes);
        }
    }

    private void fetchNoted(ContentId cid, long expectedSize, LongConsumer progress) throws Exception {
        if (store.contains(cid)) return;
        List<PeerId> candidates = new ArrayList<>(new LinkedHashSet<>(providers.apply(cid)));
        candidates.remove(host.peerId());
        // Providers reached only through a relay last: a direct provider is faster and unlimited.
        candidates.sort(java.util.Comparator.comparing(p -> host.connection(p).map(io.ggen.p2p.core.Connection::relayed).orElse(false)));
        if (candidates.isEmpty()) throw new IOException("no provider of " + cid + " is known; is a node that has it online?");
        Evidence ev = new Evidence();
        List<String> reasons = new ArrayList<>();
        try {
            try {
                if (attempt(cid, expectedSize, candidates, ev, progress)) return;
                reasons.add("the bytes from " + ev.contributors(candidates) + " do not match the CID");
            } catch (IOException e) {
                reasons.add(e.getMessage());
            }
            List<PeerId> contributors = ev.contributors(candidates);
            if (contributors.isEmpty() || ev.suspect == null) throw new IOException("no provider delivered " + cid + ": " + String.join("; ", reasons));
            // The bytes did not verify. Alone, one provider at a time (contributors first, a lone
            // contributor excluded: it is the culprit), until one delivers the right content.
            List<PeerId> order = new ArrayList<>(contributors.size() == 1 ? List.of() : contributors);
            for (PeerId c : candidates) if (!order.contains(c) && !contributors.equals(List.of(c))) order.add(c);
            for (PeerId p : order) {
                Evidence alone = new Evidence();
                try {
                    if (attempt(cid, expectedSize, List.of(p), alone, progress)) break;
                    reasons.add(p + " sent bytes that do not match the CID");
                    catalog.recordRetrieval(p.toString(), false);
                } catch (IOException e) {
                    reasons.add(e.getMessage());
                } finally {
                    if (alone.suspect != null) Files.deleteIfExists(alone.suspect);
                }
            }
            blame(cid, ev, contributors);
            if (!store.contains(cid)) throw new IOException("no provider delivered " + cid + " with the right content (" + String.join("; ", reasons) + ")");
        } finally {
            if (ev.suspect != null) Files.deleteIfExists(ev.suspect);
        }
    }

    /**
     * Compares each contributor's ranges of the failed attempt with the verified content, when
     * there is one; without it, every contributor is suspect.
     */
    private void blame(ContentId cid, Evidence ev, List<PeerId> contributors) throws IOException {
        if (!store.contains(cid)) {
            for (PeerId c : contributors) catalog.recordRetrieval(c.toString(), false);
            return;
        }
        try (java.nio.channels.FileChannel bad = java.nio.channels.FileChannel.open(ev.suspect, StandardOpenOption.READ);
             java.nio.channels.FileChannel good = java.nio.channels.FileChannel.open(store.pathOf(cid), StandardOpenOption.READ)) {
            for (PeerId c : contributors) {
                boolean wrong = false;
                for (long[] r : List.copyOf(ev.ranges.get(c))) {
                    if (!sameBytes(bad, good, r[0], r[1])) {
                        wrong = true;
                        break;
                    }
                }
                if (wrong) {
                    log.warn("provider {} sent bytes of {} that do not match its CID", c, cid);
                    catalog.recordRetrieval(c.toString(), false);
                }
            }
        }
    }

    private static boolean sameBytes(java.nio.channels.FileChannel a, java.nio.channels.FileChannel b, long offset, long length) throws IOException {
        java.nio.ByteBuffer x = java.nio.ByteBuffer.allocate(1 << 16);
        java.nio.ByteBuffer y = java.nio.ByteBuffer.allocate(1 << 16);
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(x.capacity(), length - done);
            x.clear().limit(n);
            y.clear().limit(n);
            while (x.hasRemaining()) if (a.read(x, offset + done + x.position()) < 0) return false;
            while (y.hasRemaining()) if (b.read(y, offset + done + y.position()) < 0) return false;
            if (!x.flip().equals(y.flip())) return false;
            done += n;
        }
        return true;
    }

    /** One download; true when the content verified and is in the store. */
    private boolean attempt(ContentId cid, long expectedSize, List<PeerId> order, Evidence ev, LongConsumer progress) throws IOException {
        if (parallelProviders > 1 && order.size() > 1 && expectedSize >= PARALLEL_THRESHOLD) {
            return attemptParallel(cid, expectedSize, order, ev, progress);
        }
        return attemptSequential(cid, expectedSize, order, ev, progress);
    }

    /** Providers in turn, each resuming where the last one stopped. */
    private boolean attemptSequential(ContentId cid, long expectedSize, List<PeerId> order, Evidence ev, LongConsumer progress) throws IOException {
        AtomicLong received = new AtomicLong();
        IOException[] last = new IOException[1];
        try (ContentStore.Staged staged = store.stage(out -> {
            for (PeerId p : order) {
                if (received.get() >= expectedSize && expectedSize > 0) break;
                long from = received.get();
                try {
                    download(p, cid, from, expectedSize - from, expectedSize, (pos, chunk) -> {
                        out.write(chunk);
                        progress.accept(received.addAndGet(chunk.length));
                    });
                    ev.sent(p, from, received.get() - from);
                    if (received.get() >= expectedSize) return;
                } catch (IOException e) {
                    ev.sent(p, from, received.get() - from);
                    log.info("fetch of {} from {} stopped at {} bytes: {}", cid, p, received.get(), e.getMessage());
                    catalog.recordRetrieval(p.toString(), false);
                    last[0] = e;
                }
            }
        })) {
            return settle(cid, staged, received.get(), expectedSize, ev, order, last[0]);
        }
    }

    /** Keeps verified content and credits its providers; false (with a copy kept as evidence) when the bytes do not match. */
    private boolean settle(ContentId cid, ContentStore.Staged staged, long received, long expectedSize, Evidence ev, List<PeerId> order, IOException last)
            throws IOException {
        List<PeerId> contributors = ev.contributors(order);
        if (received < expectedSize) {
            if (contributors.isEmpty()) throw last != null ? last : new IOException("no provider answered");
            throw new IOException("only " + received + " of " + expectedSize + " bytes arrived" + (last == null ? "" : ": " + last.getMessage()));
        }
        if (!staged.id().equals(cid)) {
            try {
                Path copy = Files.createTempFile(staged.file().getParent(), "suspect-", ".tmp");
                ev.suspect = copy;
                Files.copy(staged.file(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new LocalStorageException(cid, e);
            }
            return false;
        }
        staged.commit();
        for (PeerId p : contributors) catalog.recordRetrieval(p.toString(), true);
        return true;
    }

    /**
     * Byte ranges from several providers at once: the archive is cut into segments; each of the
     * first {@link #parallelProviders} providers takes the next free segment until none is left.
     * A provider that fails or stalls gives its unfinished remainder back, loses reputation and
     * is replaced by the next provider in the list, so the download goes on while anyone can serve.
     */
    private boolean attemptParallel(ContentId cid, long expectedSize, List<PeerId> order, Evidence ev, LongConsumer progress) throws IOException {
        int workers = Math.min(parallelProviders, order.size());
        long segment = Math.max(MIN_SEGMENT, Math.min(MAX_SEGMENT, expectedSize / (workers * 4L)));
        java.util.concurrent.ConcurrentLinkedDeque<long[]> free = new java.util.concurrent.ConcurrentLinkedDeque<>();
        for (long off = 0; off < expectedSize; off += segment) free.add(new long[] {off, Math.min(segment, expectedSize - off)});
        java.util.concurrent.ConcurrentLinkedQueue<PeerId> spares = new java.util.concurrent.ConcurrentLinkedQueue<>(order.subList(workers, order.size()));
        AtomicLong received = new AtomicLong();
        IOException[] last = new IOException[1];
        Set<PeerId> failed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> local = new java.util.concurrent.atomic.AtomicReference<>();
        try (ContentStore.Staged staged = store.stagePositional(ch -> {
            // Rounds: a provider that fails hands its remainder back; when the others had already
            // finished, the next round gives that remainder to the providers still in good standing.
            List<PeerId> healthy = new ArrayList<>(order.subList(0, workers));
            for (int round = 0; round < order.size() && !free.isEmpty() && !healthy.isEmpty(); round++) {
                List<Thread> threads = new ArrayList<>();
                for (PeerId first : healthy) {
                    threads.add(Thread.ofVirtual().name("fetch-range").start(() -> {
                        PeerId p = first;
                        while (p != null) {
                            try {
                                pullSegments(p, cid, expectedSize, ch, free, received, ev, progress);
                                return; // nothing left to take
                            } catch (RuntimeException e) {
                                // Our own disk, a cancel (thrown by the progress callback) or a bug: no
                                // provider is to blame; the others stop too.
                                local.compareAndSet(null, e);
                                free.clear();
                                return;
                            } catch (IOException e) {
                                log.info("ranged fetch of {} from {} failed: {}", cid, p, e.getMessage());
                                failed.add(p);
                                catalog.recordRetrieval(p.toString(), false);
                                synchronized (last) {
                                    last[0] = e;
                                }
                                p = free.isEmpty() ? null : spares.poll();
                            }
                        }
                    }));
                }
                for (Thread t : threads) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted");
                    }
                }
                if (local.get() != null) throw local.get();
                healthy = new ArrayList<>(order.stream().filter(q -> ev.ranges.containsKey(q) && !failed.contains(q)).toList());
                PeerId spare;
                while (healthy.size() < workers && (spare = spares.poll()) != null) healthy.add(spare);
            }
        })) {
            // Segments still free mean nobody could finish them: incomplete, whatever the count says.
            long got = free.isEmpty() ? received.get() : Math.min(received.get(), expectedSize - 1);
            return settle(cid, staged, got, expectedSize, ev, order, last[0]);
        }
    }

    /** Takes free segments one after another from one provider; a failure returns the unfinished part. */
    private void pullSegments(PeerId p, ContentId cid, long expectedSize, java.nio.channels.FileChannel ch, java.util.Deque<long[]> free,
                              AtomicLong received, Evidence ev, LongConsumer progress) throws IOException {
        long[] seg;
        while ((seg = free.pollFirst()) != null) {
            long start = seg[0];
            long[] done = {0};
            try {
                download(p, cid, start, seg[1], expectedSize, (pos, chunk) -> {
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(chunk);
                    long at = start + pos;
                    while (b.hasRemaining()) at += ch.write(b, at);
                    done[0] += chunk.length;
                    progress.accept(received.addAndGet(chunk.length));
                });
                ev.sent(p, start, done[0]);
            } catch (IOException e) {
                ev.sent(p, start, done[0]);
                if (done[0] < seg[1]) free.addFirst(new long[] {start + done[0], seg[1] - done[0]});
                throw e;
            }
        }
    }

    /**
     * A provider reachable only through a relay: wait a little for the hole punch (DCUtR runs on
     * every relayed connection) and take the direct connection if it comes; otherwise use the
     * relay when its data limit leaves room for this transfer, and say so, or give up on this
     * provider saying why (the caller moves to the next one).
     */
    private io.ggen.p2p.core.Connection relayOrDirect(PeerId p, ContentId cid, io.ggen.p2p.core.Connection relayed, long length) throws IOException {
        java.util.concurrent.CompletableFuture<io.ggen.p2p.core.Connection> direct = new java.util.concurrent.CompletableFuture<>();
        try (io.ggen.p2p.core.Subscription sub = host.events().subscribe(io.ggen.p2p.core.Event.ConnectionOpened.class, e -> {
            if (e.connection().remotePeer().equals(p) && !e.connection().relayed()) direct.complete(e.connection());
        })) {
            host.connection(p).filter(c -> !c.relayed()).ifPresent(direct::complete);
            if (!directWait.isZero()) return direct.get(directWait.toMillis(), TimeUnit.MILLISECONDS);
            io.ggen.p2p.core.Connection already = direct.getNow(null);
            if (already != null) return already;
        } catch (java.util.concurrent.TimeoutException e) {
            // no direct connection came: the relay, if it allows this much
        } catch (Exception e) {
            throw new IOException("cannot reach " + p + ": " + e.getMessage());
        }
        // Fetch frames, Yamux and Noise add a little to the bytes of the range.
        long need = length + length / 20 + 16 * 1024;
        Optional<io.ggen.p2p.core.ConnectionLimit> limit = relayed.limit();
        if (limit.isPresent() && !limit.get().allows(need)) {
            throw new IOException(p + " is reachable only through a relay, which allows " + limit.get().dataBytes() + " bytes per connection, less than the "
                    + length + " bytes to fetch, and no direct connection came within " + directWait.toSeconds() + " s (hole punching did not succeed)");
        }
        java.util.function.Consumer<String> notes = noteSinks.get(cid);
        String note = "fetched " + cid + " from " + p + " through a relay (" + relayed.remoteAddr() + "): no direct connection came within "
                + directWait.toSeconds() + " s (hole punching did not succeed), and the relay's limit allows the " + length + " bytes";
        if (notes != null) notes.accept(note);
        else log.info("{}", note);
        return relayed;
    }

    private interface RangeSink {
        void accept(long position, byte[] chunk) throws IOException;
    }

    /** Asks {@code p} for {@code length} bytes from {@code offset} and hands them to the sink as they come. */
    private void download(PeerId p, ContentId cid, long offset, long length, long expectedSize, RangeSink sink) throws IOException {
        Stream s;
        try {
            io.ggen.p2p.core.Connection conn = host.dial(p).get(timeouts.connect().toMillis(), TimeUnit.MILLISECONDS);
            if (conn.relayed()) conn = relayOrDirect(p, cid, conn, length);
            s = conn.newStream(List.of(FetchProtocol.ID)).get(timeouts.connect().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot reach " + p + ": " + e.getMessage());
        }
        // Deadlines instead of a watchdog: the header within the request time, then each chunk
        // within the stall time, and the whole range at the minimum rate. A provider past one is
        // given up (its stream reset) and another takes over where it stopped.
        Instant stallBound = Instant.now().plus(timeouts.transferStall());
        Instant rangeDeadline = stallBound.plus(timeouts.request()).plusMillis(length * 1000 / P2pTimeouts.MIN_TRANSFER_RATE);
        boolean ok = false;
        try {
            s.setDeadline(Instant.now().plus(timeouts.request()));
            LengthPrefixed.write(s.out(), FetchProtocol.request(cid, offset, length));
            s.closeWrite();
            FetchCodec.Header h = FetchProtocol.readHeader(s.in());
            if (h.status() != FetchProtocol.OK) throw new IOException("provider answered status " + h.status() + " " + h.message());
            if (h.total() != expectedSize) throw new IOException("provider's content is " + h.total() + " bytes, the release says " + expectedSize);
            long got = 0;
            while (got < length) {
                Instant next = Instant.now().plus(timeouts.transferStall());
                s.setReadDeadline(next.isBefore(rangeDeadline) ? next : rangeDeadline);
                Optional<byte[]> chunk = LengthPrefixed.read(s.in(), FetchProtocol.CHUNK);
                if (chunk.isEmpty()) throw new IOException("provider closed at " + (offset + got) + " of " + expectedSize + " bytes");
                byte[] c = chunk.get();
                if (got + c.length > length) throw new IOException("provider sent more than the range asked for");
                try {
                    sink.accept(got, c);
                } catch (IOException e) {
                    throw new LocalStorageException(cid, e);
                }
                got += c.length;
                // After the chunk, before the next read: a paced reader holds the sender back
                // through the stream's window. Our own limit's wait is not the provider's delay.
                long waitStarted = System.nanoTime();
                meter.fetched(c.length);
                rangeDeadline = rangeDeadline.plusNanos(System.nanoTime() - waitStarted);
            }
            ok = true;
        } catch (io.ggen.p2p.core.StreamTimeoutException e) {
            throw new IOException("provider " + p + " stalled: " + e.getMessage(), e);
        } finally {
            if (ok) s.close();
            else s.reset();
        }
    }
}
