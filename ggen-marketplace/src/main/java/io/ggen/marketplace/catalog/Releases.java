package io.ggen.marketplace.catalog;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.error.MarketplaceException.Kind;
import io.ggen.marketplace.keys.Fingerprint;
import io.ggen.marketplace.release.PackageHead;
import io.ggen.marketplace.release.RecordException;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.marketplace.release.YankRecord;
import io.ggen.marketplace.version.Version;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Releases and yanks: a release enters only verified (the caller opened the signed record, which
 * checks the signature), owned by its signer ({@link TrustPolicy}) and not contradicting an
 * earlier binding of id@version (immutability; build metadata does not make a new version). The
 * row records when these facts were checked ({@code verified_at}), so reading it back needs no
 * second check. Each change keeps the package's search row current ({@link SearchIndex}).
 */
final class Releases {
    private Releases() {}

    /** The key id@version is stored under: build metadata does not make a different version. */
    static String versionKey(Version v) {
        return v.withoutBuild().toString();
    }

    /** Checks, changing nothing, that the release could be added. */
    static Catalog.Added check(Database.Tx tx, ReleaseRecord r) throws SQLException {
        return check(tx, r, Owners.ownerOf(tx, r.id()));
    }

    /** {@link #check(Database.Tx, ReleaseRecord)} with the id's owner given: the stored one, or the one a staged release claims. */
    static Catalog.Added check(Database.Tx tx, ReleaseRecord r, Optional<Ownership> owner) throws SQLException {
        return check(tx, r, owner, r.fingerprint(), versionKey(r.parsedVersion()));
    }

    private static Catalog.Added check(Database.Tx tx, ReleaseRecord r, Optional<Ownership> owner, String fingerprint, String versionKey)
            throws SQLException {
        TrustPolicy.release(owner, fingerprint, r.coordinates());
        Optional<String[]> bound = tx.first("SELECT cid, version FROM releases WHERE package_id = ? AND version_key = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, r.id(), versionKey);
        if (bound.isEmpty()) return Catalog.Added.NEW;
        String cid = bound.get()[0];
        String version = bound.get()[1];
        if (cid.equals(r.cid().toString()) && version.equals(r.version())) return Catalog.Added.ALREADY_PRESENT;
        throw new MarketplaceException(Kind.CONFLICT, r.id() + "@" + version + " is already released as " + cid
                + "; a released version never changes. Publish it as a new version");
    }

    /** Adds a release whose signature the caller verified (by opening {@code signed}), its search row refreshed at once. */
    static Catalog.Added add(Database.Tx tx, ReleaseRecord r, SignedRecord signed, long now) throws SQLException {
        return add(tx, r, signed, now, null, null);
    }

    /**
     * Adds a release whose signature the caller verified (by opening {@code signed}). With
     * {@code changed}, its package's search row is left for the batch to refresh once
     * ({@link SearchIndex.Changed}); without, it is refreshed now. {@code knownPublishers}, when
     * given, holds the key fingerprints this transaction has already written to the publishers
     * table: a page of a catalog sync comes from a few keys, and each is written once.
     */
    static Catalog.Added add(Database.Tx tx, ReleaseRecord r, SignedRecord signed, long now, SearchIndex.Changed changed,
            java.util.Set<String> knownPublishers) throws SQLException {
        // The fingerprint (a SHA-256) and the owner (a query) once per release: checking and
        // writing both need them.
        String fingerprint = r.fingerprint();
        String versionKey = versionKey(r.parsedVersion());
        Optional<Ownership> owner = Owners.ownerOf(tx, r.id());
        if (check(tx, r, owner, fingerprint, versionKey) == Catalog.Added.ALREADY_PRESENT) return Catalog.Added.ALREADY_PRESENT;
        if (knownPublishers == null || knownPublishers.add(fingerprint)) {
            Owners.addPublisher(tx, fingerprint, r.publisher().marshal(), r.publishedAtMillis());
        }
        if (TrustPolicy.release(owner, fingerprint, r.coordinates()) == TrustPolicy.Verdict.CLAIM) {
            Owners.put(tx, TrustPolicy.firstUse(r.id(), fingerprint, now));
        }
        tx.update("""
                INSERT INTO releases(package_id, version, version_key, cid, size, fingerprint, published_at, record, verified_at, sync_seq)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(sync_seq), 0) + 1 FROM releases))""",
                r.id(), r.version(), versionKey, r.cid().toString(), r.size(), fingerprint, r.publishedAtMillis(),
                signed.encode(), now);
        if (changed != null) changed.add(r.id(), versionKey, new ReleaseRow(r, signed, false, null));
        else SearchIndex.refresh(tx, r.id());
        return Catalog.Added.NEW;
    }

    /**
     * Marks a release yanked by its owner's signed yank record (already verified by the caller).
     * Returns false when the release already holds a yank record (nothing changes). The row takes
     * the next sync sequence, so catalog sync carries the yank to peers that synced it before.
     * A yank of a release this catalog does not hold is NOT_FOUND (not the sender's fault: it may
     * come before the release); one naming another CID than the release's is refused.
     */
    static boolean yank(Database.Tx tx, YankRecord y, SignedRecord signed) throws SQLException {
        String coordinates = y.id() + "@" + y.version();
        TrustPolicy.yank(Owners.ownerOf(tx, y.id()), Fingerprint.of(y.publisher()), coordinates);
        String key = versionKey(Version.parse(y.version()));
        Optional<Object[]> row = tx.first("SELECT cid, yank_record IS NOT NULL FROM releases WHERE package_id = ? AND version_key = ?",
                rs -> new Object[] {rs.getString(1), rs.getInt(2) != 0}, y.id(), key);
        if (row.isEmpty()) throw new MarketplaceException(Kind.NOT_FOUND, "no release " + coordinates + " in the catalog to yank");
        if (!row.get()[0].equals(y.cid().toString())) {
            throw new RecordException("the yank of " + coordinates + " names CID " + y.cid() + ", but " + coordinates + " is released as " + row.get()[0]);
        }
        if ((Boolean) row.get()[1]) return false;
        tx.update("""
                UPDATE releases SET yanked = 1, yank_record = ?, yank_reason = ?, sync_seq = (SELECT max(sync_seq) + 1 FROM releases)
                WHERE package_id = ? AND version_key = ?""", signed.encode(), y.reason(), y.id(), key);
        SearchIndex.refresh(tx, y.id());
        return true;
    }

    /**
     * Applies the yank flags of a package head signed by the id's owner (the caller verified the
     * signature): each release the head marks yanked, with the same CID and signed by the head's
     * owner, is yanked here too, without a yank record (none came with the head); a yank record
     * that arrives later is still stored and spread. Returns the versions newly yanked.
     */
    static List<String> yankFromHead(Database.Tx tx, PackageHead head, String reason) throws SQLException {
        String owner = Fingerprint.of(head.owner());
        Optional<Ownership> o = Owners.ownerOf(tx, head.id());
        if (o.isPresent() && !o.get().fingerprint().equals(owner)) return List.of();
        List<String> out = new java.util.ArrayList<>();
        for (PackageHead.Entry e : head.versions()) {
            if (!e.yanked()) continue;
            int n = tx.update("UPDATE releases SET yanked = 1, yank_reason = ? WHERE package_id = ? AND version_key = ? AND cid = ? AND fingerprint = ? AND yanked = 0",
                    reason, head.id(), versionKey(Version.parse(e.version())), e.cid().toString(), owner);
            if (n > 0) out.add(e.version());
        }
        if (!out.isEmpty()) SearchIndex.refresh(tx, head.id());
        return out;
    }

    /** The stored yank record of id@version, if it has one. */
    static Optional<SignedRecord> yankRecord(Database.Tx tx, String id, Version v) throws SQLException {
        return tx.first("SELECT yank_record FROM releases WHERE package_id = ? AND version_key = ? AND yank_record IS NOT NULL",
                rs -> SignedRecord.decode(rs.getBytes(1)), id, versionKey(v));
    }

    private static final Database.Row<ReleaseRow> ROW = rs -> {
        SignedRecord s = SignedRecord.decode(rs.getBytes(1));
        return new ReleaseRow(ReleaseRecord.decode(s.payload()), s, rs.getInt(2) != 0, rs.getString(3));
    };

    private static ReleaseRow verified(ReleaseRow row) {
        return new ReleaseRow(row.signed().openRelease(), row.signed(), row.yanked(), row.yankReason());
    }

    /**
     * Every release of a package, oldest version first, the facts stored on ingest taken as they
     * are; the rows of {@code decoded} (by version key: releases inserted by the running batch,
     * decoded when they came in) are not decoded again, only their yank state read.
     */
    static List<ReleaseRow> of(Database.Tx tx, String id, java.util.Map<String, ReleaseRow> decoded) throws SQLException {
        if (decoded.isEmpty()) return of(tx, id, false);
        List<ReleaseRow> out = tx.list("SELECT version_key, record, yanked, yank_reason FROM releases WHERE package_id = ?", rs -> {
            ReleaseRow known = decoded.get(rs.getString(1));
            boolean yanked = rs.getInt(3) != 0;
            if (known != null) return new ReleaseRow(known.record(), known.signed(), yanked, rs.getString(4));
            SignedRecord s = SignedRecord.decode(rs.getBytes(2));
            return new ReleaseRow(ReleaseRecord.decode(s.payload()), s, yanked, rs.getString(4));
        }, id);
        return out.stream().sorted(Comparator.comparing(r -> r.record().parsedVersion())).toList();
    }

    /**
     * Every release of a package, oldest version first. With {@code verify}, each signature is
     * checked again (install and publish do: the database file is not a trust boundary we
     * control); without, the facts stored on ingest are taken as they are.
     */
    static List<ReleaseRow> of(Database.Tx tx, String id, boolean verify) throws SQLException {
        List<ReleaseRow> out = tx.list("SELECT record, yanked, yank_reason FROM releases WHERE package_id = ?", ROW, id);
        if (verify) out = out.stream().map(Releases::verified).toList();
        return out.stream().sorted(Comparator.comparing(r -> r.record().parsedVersion())).toList();
    }

    /** One release (one row read, its signature checked again). */
    static Optional<ReleaseRow> one(Database.Tx tx, String id, Version v) throws SQLException {
        return tx.first("SELECT record, yanked, yank_reason FROM releases WHERE package_id = ? AND version_key = ?", ROW, id, versionKey(v))
                .filter(r -> r.record().parsedVersion().equals(v))
                .map(Releases::verified);
    }

    static boolean referencesCid(Database.Tx tx, String cid) throws SQLException {
        return tx.exists("SELECT 1 FROM releases WHERE cid = ? LIMIT 1", cid);
    }

    static List<String> allCids(Database.Tx tx) throws SQLException {
        return tx.list("SELECT DISTINCT cid FROM releases ORDER BY cid", rs -> rs.getString(1));
    }

    /** The CIDs of the releases signed by any of these key fingerprints (the user's own, for doctor). */
    static List<String> cidsPublishedBy(Database.Tx tx, java.util.Collection<String> fingerprints) throws SQLException {
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        for (String f : fingerprints) out.addAll(tx.list("SELECT DISTINCT cid FROM releases WHERE fingerprint = ?", rs -> rs.getString(1), f));
        return List.copyOf(out);
    }

    static long count(Database.Tx tx) throws SQLException {
        return tx.count("SELECT count(*) FROM releases");
    }

    /** Signed records (releases, then their yanks) in sync order (added or yanked) after {@code cursor}. */
    static Catalog.Page page(Database.Tx tx, long cursor, int limit) throws SQLException {
        List<Object[]> rows = tx.list("SELECT sync_seq, record, yank_record, cid FROM releases WHERE sync_seq > ? ORDER BY sync_seq LIMIT ?",
                rs -> new Object[] {rs.getLong(1), rs.getBytes(2), rs.getBytes(3), rs.getString(4)}, cursor, limit);
        List<Catalog.Page.Entry> out = new java.util.ArrayList<>();
        long last = cursor;
        for (Object[] row : rows) {
            last = (Long) row[0];
            out.add(new Catalog.Page.Entry(last, (byte[]) row[1], (String) row[3]));
            if (row[2] != null) out.add(new Catalog.Page.Entry(last, (byte[]) row[2], ""));
        }
        return new Catalog.Page(out, last, rows.size() < limit);
    }
}
