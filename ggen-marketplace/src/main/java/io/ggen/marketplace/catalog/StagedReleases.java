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
    record Entry(Catalog.Verified record, String key) {}

    private final Catalog.Batching batching;
    /** Staged records by id@version (build metadata left out), oldest first. */
    private final LinkedHashMap<String, Entry> byVersion = new LinkedHashMap<>();
    /** The staged record that claims each id the database has no owner for. */
    private final Map<String, Entry> claims = new HashMap<>();
    /** When the last commit (or failed attempt) ended: the next is due an interval after it. */
    private long lastCommitNanos;
    /** The last attempt failed: the next waits a whole interval, full batch or not. */
    private boolean failed;

    /** @param nowNanos counts as the time of the last commit: a record staged sooner than an interval later waits for it */
    StagedReleases(Catalog.Batching batching, long nowNanos) {
        this.batching = batching;
        this.lastCommitNanos = nowNanos;
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
    void add(Catalog.Verified v, boolean claimsId) {
        if (full()) throw new IllegalStateException("staging full");
        ReleaseRecord r = v.release();
        Entry e = new Entry(v, key(r));
        if (byVersion.putIfAbsent(e.key(), e) != null) throw new IllegalStateException(e.key() + " is staged already");
        if (claimsId) claims.putIfAbsent(r.id(), e);
    }

    /**
     * Whether a commit is due: a full batch, or records staged and the last commit an interval
     * ago. So commits come at most once an interval while announcements stream in (a batch
     * gathers what arrived since the last), and a lone announcement after a quiet spell is
     * committed at once instead of waiting.
     */
    boolean due(long nowNanos) {
        return nanosUntilDue(nowNanos) == 0;
    }

    /** Nanoseconds until a commit is due (0: now), or {@link Long#MAX_VALUE} with nothing staged. */
    long nanosUntilDue(long nowNanos) {
        if (byVersion.isEmpty()) return Long.MAX_VALUE;
        if (byVersion.size() >= batching.batchSize() && !failed) return 0;
        return Math.max(0, lastCommitNanos + batching.interval().toNanos() - nowNanos);
    }

    /** The records to commit now, oldest first: every record staged (they stay staged until {@link #committed}). */
    List<Entry> batch() {
        return new ArrayList<>(byVersion.values());
    }

    /** The records of {@code batch} are in the database now, committed at {@code nowNanos}: no longer staged. */
    void committed(List<Entry> batch, long nowNanos) {
        for (Entry e : batch) {
            byVersion.remove(e.key(), e);
            claims.remove(e.record().release().id(), e);
        }
        lastCommitNanos = nowNanos;
        failed = false;
    }

    /** A commit failed (the disk): the records stay, and the next try waits an interval. */
    void commitFailed(long nowNanos) {
        lastCommitNanos = nowNanos;
        failed = true;
    }
}
