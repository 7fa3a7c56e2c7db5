package io.ggen.marketplace.p2p;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.release.RecordException;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.protocol.LengthPrefixed;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ggen/catalog/1.0.0}: a joining node pages through a peer's catalog. Request
 * {1: cursor, 2: limit}; answer {1: repeated signed record, 2: next cursor, 3: done}. Pages are
 * bounded ({@link #MAX_PAGE} records, 4 MiB), a whole sync by {@code maxRecords}, and every
 * record goes through {@link ReleaseIntake} exactly as a gossip announcement would. A peer that
 * sends an invalid record is not synced from again. The cursor reached with each peer is kept,
 * so a broken sync resumes where it stopped.
 */
public final class CatalogSync {
    private static final Logger log = LoggerFactory.getLogger(CatalogSync.class);
    public static final String ID = "/ggen/catalog/1.0.0";
    public static final int MAX_PAGE = 500;
    static final int MAX_ANSWER = 4 << 20;
    static final int MAX_PEERS_REMEMBERED = 4096;

    /** What one sync achieved. */
    public record Result(int received, int accepted, int rejected, boolean complete) {}

    private final Catalog catalog;
    private final ReleaseIntake intake;
    private final long maxRecords;
    private final Map<PeerId, Long> cursors = new LinkedHashMap<>();
    private final Map<PeerId, Boolean> banned = new LinkedHashMap<>();
    private final boolean keepCursors;
    private final P2pTimeouts timeouts;

    public CatalogSync(Catalog catalog, ReleaseIntake intake, long maxRecords) {
        this(catalog, intake, maxRecords, null);
    }

    public CatalogSync(Catalog catalog, ReleaseIntake intake, long maxRecords, Path cursorFile) {
        this(catalog, intake, maxRecords, cursorFile, P2pTimeouts.DEFAULT);
    }

    /**
     * @param cursorFile null to keep the cursor reached with each peer in memory only; otherwise
     *                   cursors are kept in the catalog across restarts, and this file (the
     *                   "peer-id cursor" lines of older versions), if present, is imported once
     */
    public CatalogSync(Catalog catalog, ReleaseIntake intake, long maxRecords, Path cursorFile, P2pTimeouts timeouts) {
        this.timeouts = timeouts;
        this.catalog = catalog;
        this.intake = intake;
        this.maxRecords = maxRecords;
        this.keepCursors = cursorFile != null;
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

    public void serve(Stream s) throws IOException {
        for (int pages = 0; pages < 100_000; pages++) {
            s.setReadDeadline(timeouts.requestDeadline());
            Optional<byte[]> req = LengthPrefixed.read(s.in(), CatalogSyncCodec.MAX_REQUEST);
            if (req.isEmpty()) return;
            CatalogSyncCodec.Request request;
            try {
                request = CatalogSyncCodec.decodeRequest(req.get());
            } catch (RecordException e) {
                s.reset();
                return;
            }
            Catalog.Page page = catalog.signedRecords(request.cursor(), request.limit());
            int bytes = 0;
            int taken = 0;
            List<byte[]> records = page.records();
            for (byte[] rec : records) {
                if (bytes + rec.length > MAX_ANSWER - 1024) break;
                bytes += rec.length + 8;
                taken++;
            }
            // A page cut short by the size bound resumes from the same cursor next time: simple,
            // and pages of 500 releases are far below 4 MiB.
            byte[] answer = CatalogSyncCodec.encodePage(new CatalogSyncCodec.Page(records.subList(0, taken), page.nextCursor(), page.done() && taken == records.size()));
            s.setWriteDeadline(timeouts.requestDeadline());
            LengthPrefixed.write(s.out(), answer);
        }
    }

    /** Pulls the peer's catalog from where the last sync with it stopped. */
    public Result syncFrom(Host host, PeerId peer) {
        synchronized (this) {
            if (banned.containsKey(peer)) return new Result(0, 0, 0, false);
        }
        int received = 0;
        int accepted = 0;
        int rejected = 0;
        long cursor = cursor(peer);
        Stream s = null;
        try {
            s = host.newStream(peer, List.of(ID)).get(timeouts.connect().toMillis(), TimeUnit.MILLISECONDS);
            while (received < maxRecords) {
                // Each page has its deadline: a peer that accepts the protocol and never
                // answers (or drips its answer) gives up its sync slot at a known time.
                s.setDeadline(timeouts.requestDeadline());
                LengthPrefixed.write(s.out(), CatalogSyncCodec.encodeRequest(cursor, MAX_PAGE));
                byte[] answer = LengthPrefixed.read(s.in(), MAX_ANSWER).orElseThrow(() -> new IOException("closed mid-sync"));
                CatalogSyncCodec.Page page = CatalogSyncCodec.decodePage(answer);
                List<byte[]> records = page.records();
                long next = page.nextCursor();
                boolean done = page.done();
                for (byte[] rec : records) {
                    received++;
                    ReleaseIntake.Result res = intake.accept(rec, null);
                    if (res.outcome() == ReleaseIntake.Outcome.REJECTED) {
                        rejected++;
                        log.warn("catalog sync from {}: refused a record ({}); not syncing from it again", peer, res.reason());
                        synchronized (this) {
                            banned.put(peer, true);
                            while (banned.size() > MAX_PEERS_REMEMBERED) banned.remove(banned.keySet().iterator().next());
                        }
                        s.reset();
                        return new Result(received, accepted, rejected, false);
                    }
                    if (res.outcome() == ReleaseIntake.Outcome.ACCEPTED) accepted++;
                }
                if (next < cursor) throw new IOException("cursor went backwards");
                cursor = next;
                saveCursor(peer, cursor);
                if (done || records.isEmpty()) {
                    s.close();
                    return new Result(received, accepted, rejected, true);
                }
            }
            s.close();
            return new Result(received, accepted, rejected, false);
        } catch (Exception e) {
            if (s != null) s.reset();
            log.info("catalog sync from {} stopped after {} records: {}", peer, received, e.toString());
            return new Result(received, accepted, rejected, false);
        }
    }
}
