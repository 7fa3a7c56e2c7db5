package io.ggen.marketplace.catalog;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.error.MarketplaceException.Kind;
import io.ggen.marketplace.keys.Fingerprint;
import io.ggen.marketplace.release.PackageHead;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.marketplace.release.YankRecord;
import io.ggen.marketplace.version.Version;
import io.ggen.p2p.crypto.Ed25519PublicKey;
import io.ggen.p2p.crypto.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The local catalog: a SQLite database (WAL) of releases, publishers, package ownership (trust
 * on first use, or pinned), providers, peers and their reputation, an FTS5 index over each
 * package's latest release for search, and the node's own bookkeeping (announced releases, sync
 * cursors). This class is the facade; the parts are {@link Releases}, {@link TrustPolicy} with
 * {@link Owners}, {@link SearchIndex}, {@link PeerStats} and {@link NodeState}, over
 * {@link Database} (one writer, a pool of readers) and {@link Migrations}. Every change is one
 * transaction, so a crash (kill -9) leaves either all of it or none. Every release is verified
 * (signature, ownership, immutability of id@version) before it is stored, wherever it came from.
 */
public final class Catalog implements AutoCloseable {
    /** Bounds on network-fed tables, so a flood of announcements cannot grow them without end. */
    public static final int MAX_PROVIDERS_PER_CID = 64;
    public static final int MAX_PEERS = 10_000;

    /** What adding a release did. */
    public enum Added { NEW, ALREADY_PRESENT }

    private final Database db;
    private final SearchIndex index = new SearchIndex();
    /** Changes to the full-text index since it was last merged ({@link #indexChanged}). */
    private final java.util.concurrent.atomic.AtomicLong indexChanges = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean merging = new java.util.concurrent.atomic.AtomicBoolean();
    /** The index is merged after at least this many changes... */
    static final int MERGE_AFTER_CHANGES = 1000;
    /** ...and changes amounting to at least 1/this of its packages, so merging costs a bounded share of writing. */
    static final int MERGE_FRACTION = 20;
    private final PeerStats peers;

    /**
     * How announcements from the network are grouped into commits ({@link #stageRelease}): at
     * most one commit per {@code interval} while they stream in (each gathers what arrived since
     * the last; a lone one after a quiet interval is committed at once), or sooner when
     * {@code batchSize} are staged; at most {@code capacity} staged, and a record that finds no
     * room waits up to {@code stageWait} for the next commit to make some.
     */
    public record Batching(Duration interval, int batchSize, int capacity, Duration stageWait) {
        public static final Batching DEFAULT = new Batching(Duration.ofMillis(50), 256, 1024, Duration.ofSeconds(2));

        public Batching {
            if (interval.isNegative() || interval.isZero() || interval.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("batching interval must be above 0 and at most 10 s, got " + interval);
            }
            if (batchSize < 1 || capacity < batchSize || capacity > 100_000) {
                throw new IllegalArgumentException("batching needs 1 <= batch size <= capacity <= 100000, got " + batchSize + " and " + capacity);
            }
            if (stageWait.isNegative()) throw new IllegalArgumentException("stage wait must not be negative, got " + stageWait);
        }
    }

    /** What staging an announcement did. */
    public enum Staged {
        /** Checked and staged: searchable after the next commit, at most the batching interval away. */
        STAGED,
        /** The catalog holds it, or it is staged already. */
        KNOWN,
        /** No room within the wait: the commits do not keep up (a slow disk); not taken. */
        FULL
    }

    private final Batching batching;
    private final LongSupplier clock;
    /** Guards {@link #staged}; also held by every write of release facts, so a check under it sees every release the database or staging holds. */
    private final ReentrantLock stagingLock = new ReentrantLock();
    /** Signalled when a record is staged or the catalog closes (the committer waits on it). */
    private final Condition stagedChanged = stagingLock.newCondition();
    /** Signalled when a commit leaves room in staging. */
    private final Condition room = stagingLock.newCondition();
    private final StagedReleases staged;
    /** Started by the first record staged; guarded by {@link #stagingLock}. */
    private Thread committer;
    private boolean closing;
    private final java.util.concurrent.atomic.AtomicLong batchesCommitted = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong refusedAtCommit = new java.util.concurrent.atomic.AtomicLong();

    private Catalog(Database db, PeerStats peers, Batching batching, LongSupplier clock) {
        this.db = db;
        this.peers = peers;
        this.batching = batching;
        this.clock = clock;
        this.staged = new StagedReleases(batching, clock.getAsLong());
    }

    /** Opens the catalog, migrating it (and the state files beside it) to the current schema. */
    public static Catalog open(Path file) {
        return open(file, Batching.DEFAULT);
    }

    /** Opens the catalog, announcements grouped into commits as {@code batching} says. */
    public static Catalog open(Path file, Batching batching) {
        return open(file, Database.DEFAULT_READERS, MAX_PEERS, PeerStats.TRIM_EVERY, batching, System::nanoTime);
    }

    static Catalog open(Path file, int readers, int maxPeers, int trimPeersEvery) {
        return open(file, readers, maxPeers, trimPeersEvery, Batching.DEFAULT, System::nanoTime);
    }

    static Catalog open(Path file, int readers, int maxPeers, int trimPeersEvery, Batching batching, LongSupplier clock) {
        Path abs = file.toAbsolutePath();
        Database db;
        try {
            Files.createDirectories(abs.getParent());
            CatalogFile.check(abs);
            db = Database.open(abs, readers);
        } catch (SQLException e) {
            MarketplaceException m = Database.failure(abs, e);
            if (m instanceof CatalogDamagedException) throw m;
            throw new MarketplaceException(Kind.IO, "cannot open the catalog " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MarketplaceException(Kind.IO, "cannot open the catalog " + file + ": " + e.getMessage(), e);
        }
        try {
            Migrations.migrate(db, abs.getParent());
            Catalog c = new Catalog(db, new PeerStats(maxPeers, trimPeersEvery), batching, clock);
            // Trimmed here only when over the bound: opening for a search takes no write lock.
            if (db.read(PeerStats::peerCount) > maxPeers) db.write(tx -> c.peers.trim(tx));
            return c;
        } catch (RuntimeException e) {
            db.close();
            if (e instanceof MarketplaceException) throw e;
            throw new MarketplaceException(Kind.IO, "cannot open the catalog " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Commits what is staged, then waits for the transactions under way and closes every
     * connection; later calls fail.
     */
    @Override
    public void close() {
        Thread t;
        stagingLock.lock();
        try {
            closing = true;
            stagedChanged.signalAll();
            room.signalAll();
            t = committer;
        } finally {
            stagingLock.unlock();
        }
        try {
            if (t != null) t.join(java.time.Duration.ofSeconds(30));
            stagingLock.lock();
            try {
                List<StagedReleases.Entry> rest = staged.batch();
                if (!rest.isEmpty()) {
                    long added = db.write(tx -> applyStaged(tx, rest));
                    staged.committed(rest, clock.getAsLong());
                    indexChanges.addAndGet(added);
                }
            } finally {
                stagingLock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (MarketplaceException e) {
            // The disk failed: what was staged is lost here and comes back by catalog sync.
        } finally {
            db.close();
        }
    }

    /** The schema version of the open database. */
    public int schemaVersion() {
        return db.read(Migrations::version);
    }

    // ---- releases ---------------------------------------------------------------------------

    /** Verifies and adds one signed release. */
    public Added addRelease(SignedRecord signed) {
        ReleaseRecord r = signed.openRelease();
        Added added = writeReleases(tx -> Releases.add(tx, r, signed, System.currentTimeMillis()));
        return indexChanged(added == Added.NEW ? 1 : 0, added);
    }

    /** Verifies and adds many releases in one transaction (catalog sync, benchmarks). */
    public int addReleases(List<SignedRecord> records) {
        // Signature checks are pure CPU and independent: spread them over the cores first.
        List<ReleaseRecord> opened = records.parallelStream().map(SignedRecord::openRelease).toList();
        int added = writeReleases(tx -> {
            long now = System.currentTimeMillis();
            int n = 0;
            SearchIndex.Changed changed = new SearchIndex.Changed();
            java.util.Set<String> publishers = new java.util.HashSet<>();
            for (int i = 0; i < records.size(); i++) if (Releases.add(tx, opened.get(i), records.get(i), now, changed, publishers) == Added.NEW) n++;
            changed.refreshAll(tx);
            return n;
        });
        return indexChanged(added, added);
    }

    /**
     * One record of a batch, its signature already verified by opening it: a release (with the
     * peer that says it holds the archive, or null) or a yank.
     */
    public record Verified(SignedRecord signed, ReleaseRecord release, YankRecord yank, String provider) {
        public Verified {
            if ((release == null) == (yank == null)) throw new IllegalArgumentException("a release or a yank");
            if (yank != null && provider != null) throw new IllegalArgumentException("a yank has no archive to provide");
        }

        public static Verified release(SignedRecord signed, ReleaseRecord release, String provider) {
            return new Verified(signed, release, null, provider);
        }

        public static Verified yank(SignedRecord signed, YankRecord yank) {
            return new Verified(signed, null, yank, null);
        }
    }

    /**
     * What a batch did: one outcome per record applied, in order; when a record was refused (not
     * owned by its signer, contradicting an earlier release), {@code refusal} says why, and it
     * is the record at index {@code applied.size()}: nothing after it was looked at.
     */
    public record BatchResult(List<Added> applied, String refusal) {
        public BatchResult {
            applied = List.copyOf(applied);
        }
    }

    /**
     * What a batch's transaction has written once and need not write again: the publishers' keys
     * and the providers' peer rows (a catalog-sync page comes from a few keys and one provider).
     * A record rolled back to its savepoint may have written some of them: then all are forgotten,
     * and written again when met again.
     */
    private static final class BatchWrites {
        final java.util.Set<String> publishers = new java.util.HashSet<>();
        final java.util.Set<String> peers = new java.util.HashSet<>();

        void forget() {
            publishers.clear();
            peers.clear();
        }
    }

    /**
     * Adds verified records in one transaction (a catalog-sync page): each is checked for
     * ownership and immutability as {@link #addRelease} and {@link #yank} do, releases with
     * their provider. The first refused record ends the batch; the records before it are kept.
     * A yank of a release the catalog lacks is skipped ({@link Added#ALREADY_PRESENT}), as alone.
     * One commit for all of it: a crash (kill -9) leaves all of the batch or none.
     */
    public BatchResult addVerified(List<Verified> records) {
        BatchResult result = writeReleases(tx -> {
            long now = System.currentTimeMillis();
            List<Added> applied = new java.util.ArrayList<>(records.size());
            SearchIndex.Changed changed = new SearchIndex.Changed();
            BatchWrites written = new BatchWrites();
            for (Verified v : records) {
                // Refusals are decided before a record writes anything; the savepoint keeps that
                // true whatever a check may come to write first.
                tx.prepare("SAVEPOINT batch_record").execute();
                try {
                    Added a;
                    if (v.release() != null) {
                        a = Releases.add(tx, v.release(), v.signed(), now, changed, written.publishers);
                        if (v.provider() != null) peers.addProvider(tx, v.release().cid().toString(), v.provider(), now, written.peers);
                    } else {
                        a = Releases.yank(tx, v.yank(), v.signed()) ? Added.NEW : Added.ALREADY_PRESENT;
                    }
                    tx.prepare("RELEASE batch_record").execute();
                    applied.add(a);
                } catch (MarketplaceException e) {
                    tx.prepare("ROLLBACK TO batch_record").execute();
                    tx.prepare("RELEASE batch_record").execute();
                    written.forget();
                    if (e.kind() == Kind.IO) throw e;
                    if (e.kind() == Kind.NOT_FOUND && v.yank() != null) {
                        applied.add(Added.ALREADY_PRESENT);
                        continue;
                    }
                    changed.refreshAll(tx);
                    return new BatchResult(applied, e.getMessage());
                }
            }
            changed.refreshAll(tx);
            return new BatchResult(applied, null);
        });
        return indexChanged(result.applied().stream().filter(a -> a == Added.NEW).count(), result);
    }

    /**
     * Checks, without changing anything, that a release could be added: its key owns the id (or
     * the id is new) and id@version is not bound to another CID. Publishing calls this before it
     * stores the archive, so a refused release leaves nothing behind.
     */
    public Added check(ReleaseRecord r) {
        stagingLock.lock();
        try {
            Added inStaging = staged.check(r);
            Optional<Ownership> claim = staged.claim(r.id());
            Added inDatabase = db.read(tx -> Releases.check(tx, r, Owners.ownerOf(tx, r.id()).or(() -> claim)));
            return inStaging == Added.ALREADY_PRESENT ? Added.ALREADY_PRESENT : inDatabase;
        } finally {
            stagingLock.unlock();
        }
    }

    /** Every release of a package, oldest first, each signature checked again. */
    public List<ReleaseRow> releases(String id) {
        return db.read(tx -> Releases.of(tx, id, true));
    }

    /** One release (one row; its signature checked again). */
    public Optional<ReleaseRow> release(String id, Version v) {
        return db.read(tx -> Releases.one(tx, id, v));
    }

    /**
     * The signed record of id@version as stored, not checked again (it was on ingest): for
     * answering peers, who check every record they receive anyway.
     */
    public Optional<SignedRecord> signedRelease(String id, String version) {
        return db.read(tx -> tx.first("SELECT record FROM releases WHERE package_id = ? AND version = ?",
                rs -> SignedRecord.decode(rs.getBytes(1)), id, version));
    }

    /** Whether any release refers to this CID (doctor uses it to find orphans). */
    public boolean referencesCid(String cid) {
        return db.read(tx -> Releases.referencesCid(tx, cid));
    }

    public List<String> allCids() {
        return db.read(Releases::allCids);
    }

    /** The CIDs of the releases signed by any of these key fingerprints. */
    public List<String> cidsPublishedBy(java.util.Collection<String> fingerprints) {
        return db.read(tx -> Releases.cidsPublishedBy(tx, fingerprints));
    }

    public long releaseCount() {
        return db.read(Releases::count);
    }

    /**
     * Verifies and records a yank by the id's owner. Returns false when the release already held
     * a yank record; NOT_FOUND when the catalog lacks the release. A recorded yank takes the
     * release back into catalog sync, so peers that synced the release get the yank too.
     */
    public boolean yank(SignedRecord signed) {
        YankRecord y = signed.openYank();
        boolean yanked = writeReleases(tx -> Releases.yank(tx, y, signed));
        return indexChanged(yanked ? 1 : 0, yanked);
    }

    /**
     * Applies the yank flags of a package head the caller has verified (signature; the head's
     * owner is checked against the id's owner here). Returns the versions newly yanked.
     */
    public List<String> yankFromHead(PackageHead head) {
        List<String> yanked = writeReleases(tx -> Releases.yankFromHead(tx, head, "yanked in the owner's signed package head"));
        return indexChanged(yanked.size(), yanked);
    }

    /** The stored yank record of id@version, if it was yanked by one. */
    public Optional<SignedRecord> signedYank(String id, Version v) {
        return db.read(tx -> Releases.yankRecord(tx, id, v));
    }

    /**
     * Signed records (releases, then their yanks) in sync order after {@code cursor}, for catalog
     * sync: at most {@code limit} rows; the next cursor is the last row's sync sequence (a row
     * takes the next one when added and again when yanked). A row gives one entry, or two (its
     * release, then its yank) under the same sequence.
     */
    public record Page(List<Entry> entries, long nextCursor, boolean done) {
        public Page {
            entries = List.copyOf(entries);
        }

        /** One signed record, the sync sequence of its row, and the CID of a release (empty for a yank). */
        public record Entry(long seq, byte[] record, String cid) {}

        public List<byte[]> records() {
            return entries.stream().map(Entry::record).toList();
        }
    }

    public Page signedRecords(long cursor, int limit) {
        return db.read(tx -> Releases.page(tx, cursor, limit));
    }

    // ---- announcements: staged, committed in groups -----------------------------------------

    /**
     * Takes a release from the network (a gossip announcement) to be committed with the others
     * of the next few tens of milliseconds ({@link Batching}) instead of in a transaction of its
     * own. It is checked now, as {@link #addRelease} would (the caller verified its signature by
     * opening it): against the database and the records staged before it, so a release that
     * contradicts a staged one, or of an id a staged release claims for another key, is refused
     * here (CONFLICT, VERIFICATION). It is searchable after the next commit; a record staged
     * when the process dies (kill -9) is lost, and catalog sync fetches it again from the peers.
     * A release the catalog holds already is staged anyway when it names a provider (the
     * provider entry is new), and reported {@link Staged#KNOWN}.
     */
    public Staged stageRelease(Verified v) {
        if (v.release() == null) throw new IllegalArgumentException("only releases are staged");
        ReleaseRecord r = v.release();
        stagingLock.lock();
        try {
            long waitNanos = batching.stageWait().toNanos();
            while (!closing && staged.full()) {
                if (waitNanos <= 0) return Staged.FULL;
                stagedChanged.signal();
                waitNanos = room.awaitNanos(waitNanos);
            }
            if (closing) throw new MarketplaceException(Kind.IO, "the catalog is closed");
            if (staged.check(r) == Added.ALREADY_PRESENT) return Staged.KNOWN;
            Optional<Ownership> claim = staged.claim(r.id());
            boolean[] ownerless = new boolean[1];
            Added inDatabase = db.read(tx -> {
                Optional<Ownership> stored = Owners.ownerOf(tx, r.id());
                ownerless[0] = stored.isEmpty() && claim.isEmpty();
                return Releases.check(tx, r, stored.or(() -> claim));
            });
            if (inDatabase == Added.ALREADY_PRESENT && v.provider() == null) return Staged.KNOWN;
            boolean wasEmpty = staged.isEmpty();
            staged.add(v, ownerless[0]);
            if (wasEmpty || staged.due(clock.getAsLong())) stagedChanged.signal();
            if (committer == null) {
                committer = Thread.ofPlatform().daemon().name("catalog-commit").start(this::commitStagedLoop);
            }
            return inDatabase == Added.ALREADY_PRESENT ? Staged.KNOWN : Staged.STAGED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Staged.FULL;
        } finally {
            stagingLock.unlock();
        }
    }

    /** Records staged and not yet committed. */
    public int stagedCount() {
        stagingLock.lock();
        try {
            return staged.size();
        } finally {
            stagingLock.unlock();
        }
    }

    /** Commits of staged records so far (each one transaction). */
    public long batchesCommitted() {
        return batchesCommitted.get();
    }

    /**
     * Staged records the commit refused: checked when staged, they could be refused only if a
     * release fact changed between (none does: every such write holds the staging lock); counted
     * so that a test can say so.
     */
    public long refusedAtCommit() {
        return refusedAtCommit.get();
    }

    /** Commits whatever is staged now, in one transaction (tests; a node's shutdown does it in {@link #close}). */
    public void commitStaged() {
        writeReleases(tx -> null);
    }

    /** The committer: waits until a commit is due ({@link StagedReleases#nanosUntilDue}), commits, again, until the catalog closes. */
    private void commitStagedLoop() {
        while (true) {
            List<StagedReleases.Entry> batch;
            stagingLock.lock();
            try {
                long wait;
                while (!closing && (wait = staged.nanosUntilDue(clock.getAsLong())) > 0) {
                    if (wait == Long.MAX_VALUE) stagedChanged.await();
                    else stagedChanged.awaitNanos(wait);
                }
                if (closing) return; // close() commits what is left
                batch = staged.batch();
            } catch (InterruptedException e) {
                return;
            } finally {
                stagingLock.unlock();
            }
            boolean done = false;
            long added = 0;
            try {
                added = db.write(tx -> applyStaged(tx, batch));
                done = true;
            } catch (RuntimeException e) {
                // The disk failed (or anything else did): the records stay staged, and the commit
                // is tried again an interval later, so this thread never dies; meanwhile staging
                // fills and new announcements wait, then are ignored (catalog sync brings them).
            }
            stagingLock.lock();
            try {
                if (done) {
                    staged.committed(batch, clock.getAsLong());
                    batchesCommitted.incrementAndGet();
                    room.signalAll();
                } else {
                    staged.commitFailed(clock.getAsLong());
                }
            } finally {
                stagingLock.unlock();
            }
            indexChanged(added, null);
        }
    }

    /**
     * Writes staged records in the caller's transaction, each under a savepoint: one refused at
     * commit (see {@link #refusedAtCommit}) leaves the others in. Returns how many were new.
     */
    private long applyStaged(Database.Tx tx, List<StagedReleases.Entry> batch) throws java.sql.SQLException {
        long now = System.currentTimeMillis();
        long added = 0;
        SearchIndex.Changed changed = new SearchIndex.Changed();
        BatchWrites written = new BatchWrites();
        for (StagedReleases.Entry e : batch) {
            Verified v = e.record();
            tx.prepare("SAVEPOINT staged_record").execute();
            try {
                if (Releases.add(tx, v.release(), v.signed(), now, changed, written.publishers) == Added.NEW) added++;
                if (v.provider() != null) peers.addProvider(tx, v.release().cid().toString(), v.provider(), now, written.peers);
                tx.prepare("RELEASE staged_record").execute();
            } catch (MarketplaceException ex) {
                tx.prepare("ROLLBACK TO staged_record").execute();
                tx.prepare("RELEASE staged_record").execute();
                written.forget();
                if (ex.kind() == Kind.IO) throw ex;
                refusedAtCommit.incrementAndGet();
            }
        }
        changed.refreshAll(tx);
        return added;
    }

    /**
     * A write that changes release facts (a release, a yank, an owner): staged records go first
     * in the same transaction, so it is checked against them as against the rest of the catalog
     * and the order of arrival is kept; the staging lock is held throughout, so no check of an
     * announcement runs against a database about to change under it.
     */
    private <T> T writeReleases(Database.Work<T> work) {
        stagingLock.lock();
        try {
            List<StagedReleases.Entry> batch = staged.batch();
            long[] added = new long[1];
            T result = db.write(tx -> {
                if (!batch.isEmpty()) added[0] = applyStaged(tx, batch);
                return work.run(tx);
            });
            if (!batch.isEmpty()) {
                staged.committed(batch, clock.getAsLong());
                batchesCommitted.incrementAndGet();
                room.signalAll();
                indexChanges.addAndGet(added[0]);
            }
            return result;
        } finally {
            stagingLock.unlock();
        }
    }

    // ---- ownership -----------------------------------------------------------------------------

    public Optional<Ownership> ownerOf(String id) {
        return db.read(tx -> Owners.ownerOf(tx, id));
    }

    /** Whether the catalog knows this publisher key. */
    public boolean knowsPublisher(String fingerprint) {
        return db.read(tx -> Owners.knowsPublisher(tx, fingerprint));
    }

    /** Registers a publisher key (e.g. from an exported public key) so it can be pinned. */
    public void addPublisher(Ed25519PublicKey key) {
        db.write(tx -> {
            Owners.addPublisher(tx, Fingerprint.of(key), Keys.marshalPublic(key), System.currentTimeMillis());
            return null;
        });
    }

    /**
     * Pins a publisher key as owner of the given package ids (all ids it has released, if none
     * are given) and marks it trusted. Returns the ids pinned.
     */
    public List<String> trust(String fingerprint, List<String> packageIds) {
        return writeReleases(tx -> Owners.trust(tx, fingerprint, packageIds, System.currentTimeMillis()));
    }

    public record Publisher(String fingerprint, boolean trusted, long firstSeenMillis, List<String> owns) {}

    public List<Publisher> publishers() {
        return db.read(Owners::publishers);
    }

    // ---- search ------------------------------------------------------------------------------

    /** Searches the catalog on a read connection: it does not wait for writes. */
    public List<SearchHit> search(SearchQuery q) {
        return db.read(tx -> index.search(tx, q));
    }

    /** Rebuilds the full-text index from the packages table (doctor; benchmark). */
    public void rebuildIndex() {
        db.write(tx -> {
            SearchIndex.rebuild(tx);
            return null;
        });
    }

    /**
     * Counts changes to the full-text index; past {@link #MERGE_AFTER_CHANGES}, merges it in the
     * background ({@link #mergeIndexIfDue}). Each write transaction adds an FTS5 segment, and each
     * package update leaves the old entries as delete markers until segments merge: a catalog
     * filled by gossip and sync reads two to three times the index it needs, and a search costs
     * that much more (BENCHMARKS.md, Catalog).
     */
    private <T> T indexChanged(long n, T result) {
        if (n > 0 && indexChanges.addAndGet(n) >= MERGE_AFTER_CHANGES && merging.compareAndSet(false, true)) {
            Thread.ofVirtual().name("catalog-index-merge").start(this::mergeIndexIfDue);
        }
        return result;
    }

    /**
     * Merges the full-text index into one segment (FTS5 {@code optimize}, a write transaction:
     * searches go on beside it) once the changes since the last merge amount to
     * 1/{@value #MERGE_FRACTION} of the packages.
     */
    private void mergeIndexIfDue() {
        try {
            long packages = db.read(tx -> tx.count("SELECT count(*) FROM packages"));
            if (indexChanges.get() >= Math.max(MERGE_AFTER_CHANGES, packages / MERGE_FRACTION)) {
                indexChanges.set(0);
                mergeIndex();
            }
        } catch (MarketplaceException e) {
            // The catalog closed meanwhile, or the disk failed: the next write says so.
        } finally {
            merging.set(false);
        }
    }

    /** Merges the full-text index into one segment now. */
    public void mergeIndex() {
        db.write(tx -> {
            SearchIndex.optimize(tx);
            return null;
        });
    }

    /** Checks the index against its content table (doctor). */
    public boolean indexIntact() {
        return db.write(SearchIndex::intact);
    }

    public boolean databaseIntact() {
        try {
            return db.read(tx -> tx.first("PRAGMA quick_check", rs -> rs.getString(1)).orElse("").equals("ok"));
        } catch (CatalogDamagedException e) {
            return false;
        }
    }

    /**
     * Throws {@link CatalogDamagedException} unless SQLite's quick check (every page and index
     * entry readable, no constraint broken) passes; the node runs it once at start, so it never
     * serves from a damaged catalog.
     */
    public void checkIntegrity(Path file) {
        String verdict = db.read(tx -> tx.first("PRAGMA quick_check(1)", rs -> rs.getString(1)).orElse(""));
        if (!verdict.equals("ok")) throw new CatalogDamagedException(file, "integrity check: " + verdict);
    }

    /** Tests lower the number of candidates an uninformative query is ranked among. */
    void rankedCandidates(int n) {
        index.rankedCandidates(n);
    }

    /**
     * Free-text relevance searches so far, by how they were ranked: from the packages' term
     * vectors, or by FTS5's {@code bm25()} (a query word beyond ASCII, or a candidate without a
     * vector). The second growing fast says searches here take the slower path.
     */
    public record RankedSearches(long byVectors, long byBm25) {}

    public RankedSearches rankedSearches() {
        return index.rankedSearches();
    }

    /** Tests rank with {@code bm25()} alone to compare. */
    void rankWithVectors(boolean on) {
        index.rankWithVectors(on);
    }

    /** Packages with a term vector (tests). */
    long vectorCount() {
        return db.read(tx -> tx.count("SELECT count(*) FROM packages_rank"));
    }

    /** Tests forget the cached term counts after writing. */
    void forgetTermCounts() {
        index.forgetFrequencies();
    }

    // ---- providers, peers, reputation -------------------------------------------------------

    public void addProvider(String cid, String peerId) {
        db.write(tx -> {
            peers.addProvider(tx, cid, peerId, System.currentTimeMillis());
            return null;
        });
    }

    /** Providers of a CID, best reputation first. */
    public List<PeerReputation> providers(String cid) {
        return db.read(tx -> PeerStats.providers(tx, cid));
    }

    public void recordRetrieval(String peerId, boolean success) {
        db.write(tx -> {
            peers.recordRetrieval(tx, peerId, success, System.currentTimeMillis());
            return null;
        });
    }

    public PeerReputation peer(String peerId) {
        return db.read(tx -> PeerStats.peer(tx, peerId));
    }

    /** How many distinct contents the peer is known to provide. */
    public int providedCount(String peerId) {
        return db.read(tx -> PeerStats.providedCount(tx, peerId));
    }

    /** Number of peers the catalog remembers. */
    public long peerCount() {
        return db.read(PeerStats::peerCount);
    }

    /** Trims the peer table to the most recently seen {@link #MAX_PEERS} now (it is also trimmed as peers are added). */
    public int trimPeers() {
        return db.write(peers::trim);
    }

    // ---- the node's own state ------------------------------------------------------------------

    /** Whether this node has announced its own release {@code id@version}. */
    public boolean isAnnounced(String coordinates) {
        return db.read(tx -> NodeState.isAnnounced(tx, coordinates));
    }

    public void markAnnounced(String coordinates) {
        db.write(tx -> NodeState.markAnnounced(tx, coordinates, System.currentTimeMillis()));
    }

    /** Whether this node has announced its yank of {@code id@version}. */
    public boolean isYankAnnounced(String coordinates) {
        return isAnnounced(NodeState.yankKey(coordinates));
    }

    public void markYankAnnounced(String coordinates) {
        markAnnounced(NodeState.yankKey(coordinates));
    }

    /**
     * This node's own records not yet announced: releases signed by one of {@code fingerprints}
     * (oldest first), then their yanks; at most {@code limit} of each.
     */
    public List<SignedRecord> unannounced(java.util.Collection<String> fingerprints, int limit) {
        return db.read(tx -> NodeState.unannounced(tx, fingerprints, limit));
    }

    /** The catalog-sync cursor reached with a peer, if any. */
    public Optional<Long> syncCursor(String peerId) {
        return db.read(tx -> NodeState.syncCursor(tx, peerId));
    }

    public void setSyncCursor(String peerId, long cursor) {
        db.write(tx -> {
            NodeState.setSyncCursor(tx, peerId, cursor, System.currentTimeMillis());
            return null;
        });
    }

    /**
     * Imports a sync-cursor file of the old format ("peer-id cursor" lines) kept somewhere other
     * than beside the database (where opening imports it), then renames it {@code *.migrated}.
     */
    public int importSyncCursors(Path legacyFile) {
        if (!Files.exists(legacyFile)) return 0;
        int n = db.write(tx -> LegacyFiles.importSyncCursors(tx, legacyFile));
        LegacyFiles.retire(legacyFile);
        return n;
    }

    /** Imports an {@code announced.txt} kept somewhere other than beside the database, then renames it. */
    public int importAnnounced(Path legacyFile) {
        if (!Files.exists(legacyFile)) return 0;
        int n = db.write(tx -> LegacyFiles.importAnnounced(tx, legacyFile));
        LegacyFiles.retire(legacyFile);
        return n;
    }

    Database database() {
        return db;
    }
}
