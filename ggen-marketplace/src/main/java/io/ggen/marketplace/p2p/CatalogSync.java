package io.ggen.marketplace.p2p;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.release.RecordException;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.protocol.LengthPrefixed;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catalog sync: a joining node pages through a peer's catalog ({@link CatalogSyncCodec} for the
 * messages). Pages are bounded ({@link CatalogSyncCodec#MAX_PAGE} records, 4 MiB), a whole sync
 * by {@code maxRecords}. Each page goes through {@link ReleaseIntake}'s two halves: every record
 * verified as a gossip announcement would be ({@link ReleaseIntake#check}, while the page before
 * it is stored), then the page stored in one transaction ({@link ReleaseIntake#store}). A peer that
 * sends an invalid record is not synced from again. The cursor reached with each peer is kept,
 * so a broken sync resumes where it stopped.
 *
 * <p>Both versions are served; the asking side offers {@code 1.1.0} first and falls back to
 * {@code 1.0.0} (multistream-select). In {@code 1.1.0} a page says which of its releases' archives
 * the serving peer holds; the asking node records that peer as their provider (within the
 * peer's share, {@link ProviderAdmission}), so a search right after a sync names a provider
 * without a DHT lookup. It is only the peer's word: fetching verifies the bytes, and a provider
 * that fails loses reputation.
 */
public final class CatalogSync {
    private static final Logger log = LoggerFactory.getLogger(CatalogSync.class);
    /** The newest version, which the asking side offers first. */
    public static final String ID = CatalogSyncCodec.V1_1;
    /** Every version served, newest first. */
    public static final List<String> IDS = List.of(CatalogSyncCodec.V1_1, CatalogSyncCodec.V1_0);
    public static final int MAX_PAGE = CatalogSyncCodec.MAX_PAGE;
    static final int MAX_ANSWER = CatalogSyncCodec.MAX_ANSWER;
    static final int MAX_PEERS_REMEMBERED = 4096;

    /** Whether a peer's protocols include a version of catalog sync. */
    public static boolean servedBy(java.util.Collection<String> protocols) {
        for (String id : IDS) if (protocols.contains(id)) return true;
        return false;
    }

    /** What one sync achieved, and the version spoken. */
    public record Result(int received, int accepted, int rejected, boolean complete, String protocol) {}

    private final Catalog catalog;
    private final ReleaseIntake intake;
    private final long maxRecords;
    private final Map<PeerId, Long> cursors = new LinkedHashMap<>();
    private final Map<PeerId, Boolean> banned = new LinkedHashMap<>();
    private final boolean keepCursors;
    private final P2pTimeouts timeouts;
    private final Predicate<String> holds;

    public CatalogSync(Catalog catalog, ReleaseIntake intake, long maxRecords) {
        this(catalog, intake, maxRecords, null);
    }

    public CatalogSync(Catalog catalog, ReleaseIntake intake, long maxRecords, Path cursorFile) {
        this(catalog, intake, maxRecords, cursorFile, P2pTimeouts.DEFAULT, cid -> false);
    }

    /**
     * @param cursorFile null to keep the cursor reached with each peer in memory only; otherwise
     *                   cursors are kept in the catalog across restarts, and this file (the
     *                   "peer-id cursor" lines of older versions), if present, is imported once
     * @param holds      whether this node's store holds the archive of a CID (the hints it serves)
     */
    public CatalogSync(Catalog catalog, ReleaseIntake intake, long maxRecords, Path cursorFile, P2pTimeouts timeouts, Predicate<String> holds) {
        this.timeouts = timeouts;
        this.catalog = catalog;
        this.intake = intake;
        this.maxRecords = maxRecords;
        this.keepCursors = cursorFile != null;
        this.holds = holds;
        if (cursorFile != null) catalog.importSyncCursors(cursorFile);
    }

    private void saveCursor(PeerId peer, long cursor) {
        if (keepCursors) {
            catalog.setSyncCursor(peer.toString(), cursor);
            return;
        }
        synchronized (this) {
            cursors.put(peer, cursor);
            while (cursors.size() > MAX_PEERS_REMEMBERED) cursors.remove(cursors.keySet().iterator().next());
        }
    }

    /** The cursor reached with a peer (0 when never synced). */
    public long cursor(PeerId peer) {
        if (keepCursors) return catalog.syncCursor(peer.toString()).orElse(0L);
        synchronized (this) {
            return cursors.getOrDefault(peer, 0L);
        }
    }

    /** Serves pages of this node's catalog, in the version the stream was opened with. */
    public void serve(Stream s) throws IOException {
        boolean hints = CatalogSyncCodec.hasHints(s.protocol());
        for (int pages = 0; pages < 100_000; pages++) {
            s.setReadDeadline(timeouts.requestDeadline());
            Optional<byte[]> bytes = LengthPrefixed.read(s.in(), CatalogSyncCodec.MAX_REQUEST);
            if (bytes.isEmpty()) return;
            CatalogSyncCodec.Request req;
            try {
                req = CatalogSyncCodec.decodeRequest(bytes.get());
            } catch (RecordException | IllegalArgumentException e) {
                s.reset();
                return;
            }
            byte[] answer = CatalogSyncCodec.encodePage(page(req, hints), hints);
            s.setWriteDeadline(timeouts.requestDeadline());
            LengthPrefixed.write(s.out(), answer);
        }
    }

    /**
     * The page answering {@code req}: whole catalog rows (a release with its yank) while they fit
     * the answer's bound, at least one, the cursor being the last row sent; with hints, the
     * releases whose archives this node's store holds.
     */
    CatalogSyncCodec.Page page(CatalogSyncCodec.Request req, boolean hints) {
        Catalog.Page page = catalog.signedRecords(req.cursor(), req.limit());
        List<Catalog.Page.Entry> entries = page.entries();
        int taken = 0;
        int bytes = 0;
        while (taken < entries.size()) {
            long seq = entries.get(taken).seq();
            int end = taken;
            int rowBytes = 0;
            while (end < entries.size() && entries.get(end).seq() == seq) rowBytes += entries.get(end++).record().length + 8;
            if (taken > 0 && bytes + rowBytes > MAX_ANSWER - 1024) break;
            bytes += rowBytes;
            taken = end;
        }
        List<byte[]> records = new ArrayList<>(taken);
        BitSet held = new BitSet();
        for (int i = 0; i < taken; i++) {
            Catalog.Page.Entry e = entries.get(i);
            records.add(e.record());
            if (hints && !e.cid().isEmpty() && holds.test(e.cid())) held.set(i);
        }
        boolean all = taken == entries.size();
        long next = all ? page.nextCursor() : entries.get(taken - 1).seq();
        return new CatalogSyncCodec.Page(records, next, page.done() && all, held);
    }

    private synchronized void ban(PeerId peer) {
        banned.put(peer, true);
        while (banned.size() > MAX_PEERS_REMEMBERED) banned.remove(banned.keySet().iterator().next());
    }

    /** The peer's answer to the last request: a page whose cursor does not go back before {@code from}. */
    private static CatalogSyncCodec.Page readPage(Stream s, boolean hints, long from) throws IOException {
        byte[] answer = LengthPrefixed.read(s.in(), MAX_ANSWER).orElseThrow(() -> new IOException("closed mid-sync"));
        CatalogSyncCodec.Page page = CatalogSyncCodec.decodePage(answer, hints);
        if (page.nextCursor() < from) throw new IOException("cursor went backwards");
        return page;
    }

    /** Asks for the page after {@code page} unless it was the last or {@code readSoFar} records reach the bound; true when asked. */
    private boolean requestNext(Stream s, CatalogSyncCodec.Page page, long readSoFar) throws IOException {
        if (page.done() || page.records().isEmpty() || readSoFar >= maxRecords) return false;
        s.setDeadline(timeouts.requestDeadline());
        LengthPrefixed.write(s.out(), CatalogSyncCodec.encodeRequest(new CatalogSyncCodec.Request(page.nextCursor(), MAX_PAGE)));
        return true;
    }

    /** Pulls the peer's catalog from where the last sync with it stopped. */
    public Result syncFrom(Host host, PeerId peer) {
        synchronized (this) {
            if (banned.containsKey(peer)) return new Result(0, 0, 0, false, "");
        }
        int received = 0;
        int accepted = 0;
        int rejected = 0;
        long cursor = cursor(peer);
        Stream s = null;
        String protocol = "";
        try {
            s = host.newStream(peer, IDS).get(timeouts.connect().toMillis(), TimeUnit.MILLISECONDS);
            protocol = s.protocol();
            boolean hints = CatalogSyncCodec.hasHints(protocol);
            ProviderAdmission.Source source = MarketplaceNetwork.source(host, peer);
            // Each page has its deadline: a peer that accepts the protocol and never answers (or
            // drips its answer) gives up its sync slot at a known time.
            s.setDeadline(timeouts.requestDeadline());
            LengthPrefixed.write(s.out(), CatalogSyncCodec.encodeRequest(new CatalogSyncCodec.Request(cursor, MAX_PAGE)));
            CatalogSyncCodec.Page page = readPage(s, hints, cursor);
            long pagesRecords = page.records().size();
            // The next page is asked for before this one is verified and stored: the peer reads
            // it from its catalog while this node checks signatures.
            boolean more = requestNext(s, page, pagesRecords);
            ReleaseIntake.Checked checked = intake.check(page.records());
            while (true) {
                // The next page is read and its signatures checked while this one is stored: the
                // cores verify and write at once instead of in turn. Ownership and immutability
                // are still decided page after page, in order, when each is stored.
                CatalogSyncCodec.Page nextPage = null;
                boolean nextMore = false;
                java.util.concurrent.FutureTask<ReleaseIntake.Checked> nextChecked = null;
                Exception readFailure = null;
                if (more) {
                    try {
                        nextPage = readPage(s, hints, page.nextCursor());
                        pagesRecords += nextPage.records().size();
                        nextMore = requestNext(s, nextPage, pagesRecords);
                        List<byte[]> records = nextPage.records();
                        nextChecked = new java.util.concurrent.FutureTask<>(() -> intake.check(records));
                        Thread.ofVirtual().name("catalog-sync-check").start(nextChecked);
                    } catch (IOException | RecordException e) {
                        readFailure = e; // this page is stored first: it was verified and is good
                    }
                }
                for (ReleaseIntake.Result res : intake.store(checked, page.held(), source)) {
                    received++;
                    if (res.outcome() == ReleaseIntake.Outcome.REJECTED) {
                        rejected++;
                        log.warn("catalog sync from {}: refused a record ({}); not syncing from it again", peer, res.reason());
                        ban(peer);
                        s.reset();
                        return new Result(received, accepted, rejected, false, protocol);
                    }
                    if (res.outcome() == ReleaseIntake.Outcome.ACCEPTED) accepted++;
                }
                cursor = page.nextCursor();
                saveCursor(peer, cursor);
                if (readFailure != null) throw readFailure;
                if (page.done() || page.records().isEmpty()) {
                    s.close();
                    return new Result(received, accepted, rejected, true, protocol);
                }
                if (!more) break;
                page = nextPage;
                more = nextMore;
                try {
                    checked = nextChecked.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            s.close();
            return new Result(received, accepted, rejected, false, protocol);
        } catch (RecordException e) {
            // A page that breaks the protocol (not a record the intake refused: those are above).
            s.reset();
            log.warn("catalog sync from {}: malformed page ({}); not syncing from it again", peer, e.getMessage());
            ban(peer);
            return new Result(received, accepted, rejected, false, protocol);
        } catch (Exception e) {
            if (s != null) s.reset();
            log.info("catalog sync from {} stopped after {} records: {}", peer, received, e.toString());
            return new Result(received, accepted, rejected, false, protocol);
        }
    }
}
