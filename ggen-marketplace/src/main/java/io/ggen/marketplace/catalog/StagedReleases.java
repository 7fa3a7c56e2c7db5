package io.ggen.marketplace.catalog;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.error.MarketplaceException.Kind;
import io.ggen.marketplace.release.ReleaseRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Releases learned from gossip, verified and checked, that wait for the one transaction that
 * commits them together ({@link Catalog#stageRelease}). Every commit on the writer makes SQLite
 * drop the page cache of each read connection that starts a read after it, so a search that
 * follows a commit reads its pages again; grouping the announcements of a few tens of
 * milliseconds into one commit spares most searches that cost (BENCHMARKS.md, Catalog).
 *
 * <p>A staged record is a fact the next checks must see before it is in the database: a release
 * of the same id@version with another CID conflicts with it, and the first staged release of an
 * id nobody owns yet claims the id for its key ({@link #claim}). Pure state: no I/O, no clock
 * (times are passed in, in nanoseconds of one monotonic clock), no locking ({@link Catalog}
 * holds its lock around every call). Bounded: at most {@code capacity} records.
 */
final class StagedReleases {
    /** One staged record, under its id@version key. */
    record Entry(Catalog.Verified record, String key, long stagedAtNanos) {}

    private final Catalog.Batching batching;
    /** Staged records by id@version (build metadata left out), oldest first. */
    private final LinkedHashMap<String, Entry> byVersion = new LinkedHashMap<>();
    /** The staged record that claims each id the database has no owner for. */
    private final Map<String, Entry> claims = new HashMap<>();
    /** After a failed commit, no commit is due before this time. */
    private long notBeforeNanos;
    private boolean retrying;

    StagedReleases(Catalog.Batching batching) {
        this.batching = batching;
    }

    static String key(ReleaseRecord r) {
        return r.id() + "@" + Releases.versionKey(r.parsedVersion());
    }

    /**
     * Checks {@code r} against the staged records: {@link Catalog.Added#ALREADY_PRESENT} when the
     * same release is staged, {@link Catalog.Added#NEW} when nothing staged binds its id@version;
     * CONFLICT when id@version is staged with another CID.
     */
    Catalog.Added check(ReleaseRecord r) {
        Entry e = byVersion.get(key(r));
        if (e == null) return Catalog.Added.NEW;
        ReleaseRecord staged = e.record().release();
        if (staged.cid().equals(r.cid()) && staged.version().equals(r.version())) return Catalog.Added.ALREADY_PRESENT;
        throw new MarketplaceException(Kind.CONFLICT, r.id() + "@" + staged.version() + " is already released as " + staged.cid()
                + "; a released version never changes. Publish it as a new version");
    }

    /** The ownership the first staged release of {@code id} will create, if one is staged. */
    Optional<Ownership> claim(String id) {
        Entry e = claims.get(id);
        if (e == null) return Optional.empty();
        return Optional.of(TrustPolicy.firstUse(id, e.record().release().fingerprint(), 0));
    }

    boolean full() {
        return byVersion.size() >= batching.capacity();
    }

    boolean isEmpty() {
        return byVersion.isEmpty();
    }

    int size() {
        return byVersion.size();
    }

    /**
     * Stages a record the caller checked ({@link #check}, then the database with {@link #claim}
     * over it): {@code claimsId} when the database has no owner for its id.
     */
    void add(Catalog.Verified v, boolean claimsId, long nowNanos) {
        if (full()) throw new IllegalStateException("staging full");
        ReleaseRecord r = v.release();
        Entry e = new Entry(v, key(r), nowNanos);
        if (byVersion.putIfAbsent(e.key(), e) != null) throw new IllegalStateException(e.key() + " is staged already");
        if (claimsId) claims.putIfAbsent(r.id(), e);
    }

    /** Whether a commit is due: a full batch, or the oldest record staged an interval ago. */
    boolean due(long nowNanos) {
        return nanosUntilDue(nowNanos) == 0;
    }

    /** Nanoseconds until a commit is due (0: now), or {@link Long#MAX_VALUE} with nothing staged. */
    long nanosUntilDue(long nowNanos) {
        if (byVersion.isEmpty()) return Long.MAX_VALUE;
        long wait = 0;
        if (byVersion.size() < batching.batchSize()) {
            long oldest = byVersion.firstEntry().getValue().stagedAtNanos();
            wait = Math.max(0, oldest + batching.interval().toNanos() - nowNanos);
        }
        if (retrying) wait = Math.max(wait, notBeforeNanos - nowNanos);
        return Math.max(0, wait);
    }

    /** The records to commit now, oldest first: every record staged (they stay staged until {@link #committed}). */
    List<Entry> batch() {
        return new ArrayList<>(byVersion.values());
    }

    /** The records of {@code batch} are in the database now: no longer staged. */
    void committed(List<Entry> batch) {
        for (Entry e : batch) {
            byVersion.remove(e.key(), e);
            claims.remove(e.record().release().id(), e);
        }
        retrying = false;
    }

    /** A commit failed (the disk): the records stay, and the next try waits an interval. */
    void commitFailed(long nowNanos) {
        retrying = true;
        notBeforeNanos = nowNanos + batching.interval().toNanos();
    }
}
