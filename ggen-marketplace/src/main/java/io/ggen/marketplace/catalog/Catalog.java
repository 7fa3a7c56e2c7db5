package io.ggen.marketplace.catalog;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.error.MarketplaceException.Kind;
import io.ggen.marketplace.content.CrashPoints;
import io.ggen.marketplace.keys.Fingerprint;
import io.ggen.marketplace.release.RecordException;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.marketplace.release.YankRecord;
import io.ggen.marketplace.version.Version;
import io.ggen.p2p.crypto.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The local catalog: a SQLite database (WAL) of releases, publishers, package ownership (trust
 * on first use, or pinned), providers, peers and their reputation, and an FTS5 index over each
 * package's latest release for search. Every change is one transaction, so a crash (kill -9)
 * leaves either all of it or none. Every release is verified (signature, ownership,
 * immutability of id@version) before it is stored, wherever it came from.
 */
public final class Catalog implements AutoCloseable {
    static final int SCHEMA_VERSION = 1;
    /** Bounds on network-fed tables, so a flood of announcements cannot grow them without end. */
    public static final int MAX_PROVIDERS_PER_CID = 64;
    public static final int MAX_PEERS = 10_000;

    /** What adding a release did. */
    public enum Added { NEW, ALREADY_PRESENT }

    private final Connection db;

    /** Prepared statements by SQL text: preparing costs more than running most of ours. LRU-bounded. */
    private final java.util.LinkedHashMap<String, PreparedStatement> statements = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= MAX_CACHED_STATEMENTS) return false;
            try {
                eldest.getValue().close();
            } catch (SQLException ignored) {
                // closing a statement we no longer use; nothing depends on it
            }
            return true;
        }
    };
    private static final int MAX_CACHED_STATEMENTS = 64;

    private Catalog(Connection db) {
        this.db = db;
    }

    /**
     * A cached prepared statement, wrapped so that the try-with-resources blocks below "close" it
     * by clearing its parameters and batch rather than finalising it.
     */
    private PreparedStatement cached(String sql) throws SQLException {
        PreparedStatement real = statements.get(sql);
        if (real == null) {
            real = db.prepareStatement(sql);
            statements.put(sql, real);
        }
        PreparedStatement target = real;
        return (PreparedStatement) java.lang.reflect.Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(), new Class<?>[] {PreparedStatement.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        target.clearParameters();
                        target.clearBatch();
                        return null;
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    public static Catalog open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = NORMAL");
                s.execute("PRAGMA foreign_keys = ON");
                // A bigger page cache and memory-mapped reads keep the FTS index and B-trees of a
                // large catalog (100k releases is ~100 MiB) out of the read() path.
                s.execute("PRAGMA cache_size = -65536");
                s.execute("PRAGMA mmap_size = 268435456");
                s.execute("PRAGMA temp_store = MEMORY");
            }
            Catalog cat = new Catalog(c);
            cat.migrate();
            return cat;
        } catch (SQLException | java.io.IOException e) {
            throw new MarketplaceException(Kind.IO, "cannot open the catalog " + file + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            int v = 0;
            try (ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
                if (rs.next()) v = Integer.parseInt(rs.getString(1));
            }
            if (v > SCHEMA_VERSION) throw new MarketplaceException(Kind.IO, "the catalog was written by a newer ggen (schema " + v + "); upgrade ggen");
            if (v == SCHEMA_VERSION) return;
            db.setAutoCommit(false);
            try {
                s.execute("""
                        CREATE TABLE publishers(fingerprint TEXT PRIMARY KEY, public_key BLOB NOT NULL, first_seen INTEGER NOT NULL,
                          trusted INTEGER NOT NULL DEFAULT 0)""");
                s.execute("""
                        CREATE TABLE owners(package_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL REFERENCES publishers(fingerprint),
                          how TEXT NOT NULL CHECK (how IN ('tofu', 'pinned')), since INTEGER NOT NULL)""");
                s.execute("""
                        CREATE TABLE releases(package_id TEXT NOT NULL, version TEXT NOT NULL, version_key TEXT NOT NULL, cid TEXT NOT NULL,
                          size INTEGER NOT NULL, fingerprint TEXT NOT NULL REFERENCES publishers(fingerprint), published_at INTEGER NOT NULL,
                          record BLOB NOT NULL, yanked INTEGER NOT NULL DEFAULT 0, yank_record BLOB, yank_reason TEXT,
                          PRIMARY KEY (package_id, version_key))""");
                s.execute("CREATE INDEX releases_cid ON releases(cid)");
                s.execute("""
                        CREATE TABLE packages(rowid INTEGER PRIMARY KEY, package_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                          description TEXT NOT NULL, keywords TEXT NOT NULL, tags TEXT NOT NULL, categories TEXT NOT NULL, authors TEXT NOT NULL,
                          license TEXT NOT NULL, latest_version TEXT NOT NULL, fingerprint TEXT NOT NULL, updated_at INTEGER NOT NULL)""");
                s.execute("CREATE INDEX packages_updated ON packages(updated_at)");
                s.execute("""
                        CREATE VIRTUAL TABLE packages_fts USING fts5(package_id, name, description, keywords, tags,
                          content = 'packages', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2')""");
                s.execute("""
                        CREATE TABLE package_terms(package_id TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL COLLATE NOCASE,
                          PRIMARY KEY (kind, value, package_id)) WITHOUT ROWID""");
                s.execute("CREATE INDEX package_terms_pkg ON package_terms(package_id)");
                s.execute("""
                        CREATE TABLE peers(peer_id TEXT PRIMARY KEY, successful INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,
                          last_seen INTEGER NOT NULL)""");
                s.execute("CREATE INDEX peers_last_seen ON peers(last_seen)");
                s.execute("""
                        CREATE TABLE providers(cid TEXT NOT NULL, peer_id TEXT NOT NULL, last_seen INTEGER NOT NULL, PRIMARY KEY (cid, peer_id))""");
                s.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "')");
                db.commit();
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            for (PreparedStatement ps : statements.values()) ps.close();
            statements.clear();
            db.close();
        } catch (SQLException ignored) {
            // nothing to save: every change was committed or rolled back
        }
    }

    private interface Tx<T> {
        T run() throws SQLException;
    }

    private synchronized <T> T transaction(Tx<T> body) {
        try {
            db.setAutoCommit(false);
            try {
                T result = body.run();
                CrashPoints.reach("catalog-before-commit");
                db.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new MarketplaceException(Kind.IO, "catalog error: " + e.getMessage(), e);
        }
    }

    private synchronized <T> T read(Tx<T> body) {
        try {
            return body.run();
        } catch (SQLException e) {
            throw new MarketplaceException(Kind.IO, "catalog error: " + e.getMessage(), e);
        }
    }

    // ---- releases ---------------------------------------------------------------------------

    /** Verifies and adds one signed release. */
    public Added addRelease(SignedRecord signed) {
        ReleaseRecord r = signed.openRelease();
        return transaction(() -> insertRelease(r, signed));
    }

    /** Verifies and adds many releases in one transaction (catalog sync, benchmarks). */
    public int addReleases(List<SignedRecord> records) {
        // Signature checks are pure CPU and independent: spread them over the cores first.
        List<ReleaseRecord> opened = records.parallelStream().map(SignedRecord::openRelease).toList();
        return transaction(() -> {
            int n = 0;
            for (int i = 0; i < records.size(); i++) if (insertRelease(opened.get(i), records.get(i)) == Added.NEW) n++;
            return n;
        });
    }

    /**
     * Checks, without changing anything, that a release could be added: its key owns the id (or
     * the id is new) and id@version is not bound to another CID. Publishing calls this before it
     * stores the archive, so a refused release leaves nothing behind.
     */
    public Added check(ReleaseRecord r) {
        return read(() -> precheck(r));
    }

    private Added precheck(ReleaseRecord r) throws SQLException {
        String fp = r.fingerprint();
        Optional<Ownership> owner = ownerOf0(r.id());
        if (owner.isPresent() && !owner.get().fingerprint().equals(fp)) {
            throw new MarketplaceException(Kind.VERIFICATION, "release " + r.coordinates() + " is signed by key " + fp + ", but " + r.id()
                    + " belongs to key " + owner.get().fingerprint() + " (" + describe(owner.get()) + "); refused. If the package really changed hands, run"
                    + " 'ggen marketplace trust " + fp + " --package " + r.id() + "'");
        }
        String key = r.parsedVersion().withoutBuild().toString();
        try (PreparedStatement q = cached("SELECT cid, version FROM releases WHERE package_id = ? AND version_key = ?")) {
            q.setString(1, r.id());
            q.setString(2, key);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    if (rs.getString(1).equals(r.cid().toString()) && rs.getString(2).equals(r.version())) return Added.ALREADY_PRESENT;
                    throw new MarketplaceException(Kind.CONFLICT, r.id() + "@" + rs.getString(2) + " is already released as " + rs.getString(1)
                            + "; a released version never changes. Publish a new version (e.g. with --version)");
                }
            }
        }
        return Added.NEW;
    }

    private Added insertRelease(ReleaseRecord r, SignedRecord signed) throws SQLException {
        if (precheck(r) == Added.ALREADY_PRESENT) return Added.ALREADY_PRESENT;
        String fp = r.fingerprint();
        String key = r.parsedVersion().withoutBuild().toString();
        boolean newOwner = ownerOf0(r.id()).isEmpty();
        upsertPublisher(fp, r.publisher().marshal(), r.publishedAtMillis());
        if (newOwner) {
            try (PreparedStatement ins = cached("INSERT INTO owners(package_id, fingerprint, how, since) VALUES (?, ?, 'tofu', ?)")) {
                ins.setString(1, r.id());
                ins.setString(2, fp);
                ins.setLong(3, System.currentTimeMillis());
                ins.executeUpdate();
            }
        }
        try (PreparedStatement ins = cached("""
                INSERT INTO releases(package_id, version, version_key, cid, size, fingerprint, published_at, record)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ins.setString(1, r.id());
            ins.setString(2, r.version());
            ins.setString(3, key);
            ins.setString(4, r.cid().toString());
            ins.setLong(5, r.size());
            ins.setString(6, fp);
            ins.setLong(7, r.publishedAtMillis());
            ins.setBytes(8, signed.encode());
            ins.executeUpdate();
        }
        refreshPackage(r.id());
        return Added.NEW;
    }

    private static String describe(Ownership o) {
        return o.how().equals(Ownership.PINNED) ? "pinned with 'ggen marketplace trust'" : "trusted on first use";
    }

    private void upsertPublisher(String fp, byte[] key, long seen) throws SQLException {
        try (PreparedStatement ins = cached("INSERT INTO publishers(fingerprint, public_key, first_seen) VALUES (?, ?, ?) ON CONFLICT(fingerprint) DO NOTHING")) {
            ins.setString(1, fp);
            ins.setBytes(2, key);
            ins.setLong(3, seen);
            ins.executeUpdate();
        }
    }

    /** Recomputes a package's search row from its latest non-yanked release. */
    private void refreshPackage(String id) throws SQLException {
        List<ReleaseRow> rows = releases0(id, false);
        Optional<ReleaseRow> latest = rows.stream().filter(r -> !r.yanked()).max(Comparator.comparing((ReleaseRow r) -> !r.record().parsedVersion().isPreRelease())
                .thenComparing(r -> r.record().parsedVersion()));
        Long rowid = null;
        try (PreparedStatement q = cached("SELECT rowid, package_id, name, description, keywords, tags FROM packages WHERE package_id = ?")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    rowid = rs.getLong(1);
                    try (PreparedStatement del = cached(
                            "INSERT INTO packages_fts(packages_fts, rowid, package_id, name, description, keywords, tags) VALUES ('delete', ?, ?, ?, ?, ?, ?)")) {
                        del.setLong(1, rowid);
                        for (int i = 2; i <= 6; i++) del.setString(i, rs.getString(i));
                        del.executeUpdate();
                    }
                }
            }
        }
        try (PreparedStatement del = cached("DELETE FROM package_terms WHERE package_id = ?")) {
            del.setString(1, id);
            del.executeUpdate();
        }
        if (latest.isEmpty()) {
            if (rowid != null) {
                try (PreparedStatement del = cached("DELETE FROM packages WHERE rowid = ?")) {
                    del.setLong(1, rowid);
                    del.executeUpdate();
                }
            }
            return;
        }
        ReleaseRecord r = latest.get().record();
        long updated = rows.stream().mapToLong(x -> x.record().publishedAtMillis()).max().orElse(r.publishedAtMillis());
        String[] values = {id, r.name(), r.description(), String.join(" ", r.keywords()), String.join(" ", r.tags())};
        if (rowid == null) {
            try (PreparedStatement ins = cached("""
                    INSERT INTO packages(package_id, name, description, keywords, tags, categories, authors, license, latest_version, fingerprint, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                fillPackage(ins, values, r, updated);
                ins.executeUpdate();
            }
            try (PreparedStatement q = cached("SELECT last_insert_rowid()"); ResultSet k = q.executeQuery()) {
                k.next();
                rowid = k.getLong(1);
            }
        } else {
            try (PreparedStatement up = cached("""
                    UPDATE packages SET package_id = ?, name = ?, description = ?, keywords = ?, tags = ?, categories = ?, authors = ?, license = ?,
                      latest_version = ?, fingerprint = ?, updated_at = ? WHERE rowid = ?""")) {
                fillPackage(up, values, r, updated);
                up.setLong(12, rowid);
                up.executeUpdate();
            }
        }
        try (PreparedStatement ins = cached("INSERT INTO packages_fts(rowid, package_id, name, description, keywords, tags) VALUES (?, ?, ?, ?, ?, ?)")) {
            ins.setLong(1, rowid);
            for (int i = 0; i < 5; i++) ins.setString(i + 2, values[i]);
            ins.executeUpdate();
        }
        try (PreparedStatement ins = cached("INSERT OR IGNORE INTO package_terms(package_id, kind, value) VALUES (?, ?, ?)")) {
            addTerms(ins, id, "category", r.categories());
            addTerms(ins, id, "tag", r.tags());
            addTerms(ins, id, "keyword", r.keywords());
            addTerms(ins, id, "license", List.of(r.license()));
            ins.executeBatch();
        }
    }

    private static void fillPackage(PreparedStatement ps, String[] values, ReleaseRecord r, long updated) throws SQLException {
        for (int i = 0; i < 5; i++) ps.setString(i + 1, values[i]);
        ps.setString(6, String.join("\n", r.categories()));
        ps.setString(7, String.join("\n", r.authors()));
        ps.setString(8, r.license());
        ps.setString(9, r.version());
        ps.setString(10, r.fingerprint());
        ps.setLong(11, updated);
    }

    private static void addTerms(PreparedStatement ins, String id, String kind, List<String> values) throws SQLException {
        for (String v : values) {
            ins.setString(1, id);
            ins.setString(2, kind);
            ins.setString(3, v);
            ins.addBatch();
        }
    }

    public List<ReleaseRow> releases(String id) {
        return read(() -> releases0(id, true));
    }

    private List<ReleaseRow> releases0(String id, boolean verify) throws SQLException {
        List<ReleaseRow> out = new ArrayList<>();
        try (PreparedStatement q = cached("SELECT record, yanked, yank_reason FROM releases WHERE package_id = ?")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    SignedRecord s = SignedRecord.decode(rs.getBytes(1));
                    // Re-verified on read: the database file is not a trust boundary we control.
                    ReleaseRecord r = verify ? s.openRelease() : ReleaseRecord.decode(s.payload());
                    out.add(new ReleaseRow(r, s, rs.getInt(2) != 0, rs.getString(3)));
                }
            }
        }
        out.sort(Comparator.comparing(r -> r.record().parsedVersion()));
        return out;
    }

    public Optional<ReleaseRow> release(String id, Version v) {
        return releases(id).stream().filter(r -> r.record().parsedVersion().equals(v)).findFirst();
    }

    /** Whether any release refers to this CID (doctor uses it to find orphans). */
    public boolean referencesCid(String cid) {
        return read(() -> {
            try (PreparedStatement q = cached("SELECT 1 FROM releases WHERE cid = ? LIMIT 1")) {
                q.setString(1, cid);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    public List<String> allCids() {
        return read(() -> {
            List<String> out = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT cid FROM releases ORDER BY cid")) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        });
    }

    public long releaseCount() {
        return read(() -> {
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM releases")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    // ---- yank --------------------------------------------------------------------------------

    public void yank(SignedRecord signed) {
        YankRecord y = signed.openYank();
        transaction(() -> {
            Optional<Ownership> owner = ownerOf0(y.id());
            String fp = Fingerprint.of(y.publisher());
            if (owner.isPresent() && !owner.get().fingerprint().equals(fp)) {
                throw new MarketplaceException(Kind.VERIFICATION, "yank of " + y.id() + "@" + y.version() + " is signed by key " + fp + ", but " + y.id()
                        + " belongs to key " + owner.get().fingerprint() + "; refused");
            }
            String key = Version.parse(y.version()).withoutBuild().toString();
            try (PreparedStatement up = cached("UPDATE releases SET yanked = 1, yank_record = ?, yank_reason = ? WHERE package_id = ? AND version_key = ? AND cid = ?")) {
                up.setBytes(1, signed.encode());
                up.setString(2, y.reason());
                up.setString(3, y.id());
                up.setString(4, key);
                up.setString(5, y.cid().toString());
                if (up.executeUpdate() == 0) throw new RecordException("no release " + y.id() + "@" + y.version() + " with CID " + y.cid() + " to yank");
            }
            refreshPackage(y.id());
            return null;
        });
    }

    // ---- ownership -----------------------------------------------------------------------------

    public Optional<Ownership> ownerOf(String id) {
        return read(() -> ownerOf0(id));
    }

    private Optional<Ownership> ownerOf0(String id) throws SQLException {
        try (PreparedStatement q = cached("SELECT fingerprint, how, since FROM owners WHERE package_id = ?")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new Ownership(id, rs.getString(1), rs.getString(2), rs.getLong(3))) : Optional.empty();
            }
        }
    }

    /** Whether the catalog knows this publisher key. */
    public boolean knowsPublisher(String fingerprint) {
        return read(() -> {
            try (PreparedStatement q = cached("SELECT 1 FROM publishers WHERE fingerprint = ?")) {
                q.setString(1, fingerprint);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Registers a publisher key (e.g. from an exported public key) so it can be pinned. */
    public void addPublisher(io.ggen.p2p.crypto.Ed25519PublicKey key) {
        transaction(() -> {
            upsertPublisher(Fingerprint.of(key), Keys.marshalPublic(key), System.currentTimeMillis());
            return null;
        });
    }

    /**
     * Pins a publisher key as owner of the given package ids (all ids it has released, if none
     * are given) and marks it trusted. Returns the ids pinned.
     */
    public List<String> trust(String fingerprint, List<String> packageIds) {
        return transaction(() -> {
            try (PreparedStatement q = cached("UPDATE publishers SET trusted = 1 WHERE fingerprint = ?")) {
                q.setString(1, fingerprint);
                if (q.executeUpdate() == 0) {
                    throw new MarketplaceException(Kind.NOT_FOUND, "no publisher with fingerprint " + fingerprint + " in the catalog; import its public key"
                            + " with 'ggen marketplace trust --key <file>' or publish/receive one of its releases first");
                }
            }
            List<String> ids = new ArrayList<>(packageIds);
            if (ids.isEmpty()) {
                try (PreparedStatement q = cached("SELECT DISTINCT package_id FROM releases WHERE fingerprint = ? ORDER BY package_id")) {
                    q.setString(1, fingerprint);
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) ids.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement up = cached("""
                    INSERT INTO owners(package_id, fingerprint, how, since) VALUES (?, ?, 'pinned', ?)
                    ON CONFLICT(package_id) DO UPDATE SET fingerprint = excluded.fingerprint, how = 'pinned', since = excluded.since""")) {
                for (String id : ids) {
                    up.setString(1, id);
                    up.setString(2, fingerprint);
                    up.setLong(3, System.currentTimeMillis());
                    up.executeUpdate();
                }
            }
            return ids;
        });
    }

    public record Publisher(String fingerprint, boolean trusted, long firstSeenMillis, List<String> owns) {}

    public List<Publisher> publishers() {
        return read(() -> {
            List<Publisher> out = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("""
                    SELECT p.fingerprint, p.trusted, p.first_seen, group_concat(o.package_id, ' ') FROM publishers p
                    LEFT JOIN owners o ON o.fingerprint = p.fingerprint GROUP BY p.fingerprint ORDER BY p.fingerprint""")) {
                while (rs.next()) {
                    String owns = rs.getString(4);
                    List<String> list = owns == null ? List.of() : Arrays.stream(owns.split(" ")).sorted().toList();
                    out.add(new Publisher(rs.getString(1), rs.getInt(2) != 0, rs.getLong(3), list));
                }
            }
            return out;
        });
    }

    // ---- search ------------------------------------------------------------------------------

    public List<SearchHit> search(SearchQuery q) {
        return read(() -> search0(q));
    }

    /**
     * Turns free text into an FTS5 query: each word a quoted term, all required. Words match
     * whole words; a word written with a trailing {@code *} matches as a prefix. (Prefix-matching
     * every word would merge the doclists of every longer word on every query.)
     */
    static String ftsQuery(String text) {
        String norm = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder sb = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([\\p{L}\\p{N}]+)(\\*?)").matcher(norm);
        int words = 0;
        while (m.find() && words++ < 16) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append('"').append(m.group(1)).append('"').append(m.group(2));
        }
        return sb.toString();
    }

    /**
     * Ranking a query costs time in proportion to its matches. An unfiltered relevance query
     * with more than this many matches is ranked among its most recently added this-many
     * (FTS5 walks a doclist newest-first and stops there), which keeps latency flat as the
     * catalog grows; such queries are made of words most packages share.
     */
    static final int RANKED_CANDIDATES = 1000;
    int rankedCandidates = RANKED_CANDIDATES; // tests lower it

    /** The lowest rowid among the newest candidates, or 0 to rank every match. */
    private long candidateFloor(SearchQuery q, String fts) throws SQLException {
        boolean filtered = q.category() != null || !q.tags().isEmpty() || q.keyword() != null || q.license() != null || q.author() != null;
        if (filtered || q.sort() != SearchQuery.Sort.RELEVANCE) return 0;
        try (PreparedStatement s = cached("SELECT rowid FROM packages_fts WHERE packages_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?")) {
            s.setString(1, fts);
            s.setInt(2, rankedCandidates - 1);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** The package whose id is exactly the query, if any: it always comes first. */
    private Optional<Long> exactIdRow(String text) throws SQLException {
        try (PreparedStatement e = cached("SELECT rowid FROM packages WHERE package_id = ?")) {
            e.setString(1, text.strip().toLowerCase(java.util.Locale.ROOT));
            try (ResultSet rs = e.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private List<SearchHit> search0(SearchQuery q) throws SQLException {
        String fts = ftsQuery(q.text());
        long floor = fts.isEmpty() ? 0 : candidateFloor(q, fts);
        // With a floor, an exact id older than the floor would be cut off: widen to include it.
        if (floor > 0) {
            Optional<Long> exact = exactIdRow(q.text());
            if (exact.isPresent() && exact.get() < floor) floor = 0;
        }
        StringBuilder sql = new StringBuilder("SELECT p.package_id, p.latest_version, p.name, p.description, p.license, p.fingerprint, p.keywords, p.tags, p.categories, p.authors, p.updated_at, ");
        List<Object> args = new ArrayList<>();
        if (fts.isEmpty()) {
            sql.append("0.0 AS score FROM packages p WHERE 1 = 1");
        } else {
            // bm25 weights per column: id 10, name 5, description 1, keywords 3, tags 3.
            sql.append("bm25(packages_fts, 10.0, 5.0, 1.0, 3.0, 3.0) AS score FROM packages_fts JOIN packages p ON p.rowid = packages_fts.rowid WHERE packages_fts MATCH ?");
            args.add(fts);
            if (floor > 0) {
                sql.append(" AND packages_fts.rowid >= ?");
                args.add(floor);
            }
        }
        if (q.category() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM package_terms t WHERE t.kind = 'category' AND t.value = ? AND t.package_id = p.package_id)");
            args.add(q.category());
        }
        for (String tag : q.tags()) {
            sql.append(" AND EXISTS (SELECT 1 FROM package_terms t WHERE t.kind = 'tag' AND t.value = ? AND t.package_id = p.package_id)");
            args.add(tag);
        }
        if (q.keyword() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM package_terms t WHERE t.kind = 'keyword' AND t.value = ? AND t.package_id = p.package_id)");
            args.add(q.keyword());
        }
        if (q.license() != null) {
            sql.append(" AND p.license = ? COLLATE NOCASE");
            args.add(q.license());
        }
        if (q.author() != null) {
            sql.append(" AND instr(lower(p.authors), lower(?)) > 0");
            args.add(q.author());
        }
        switch (q.sort()) {
            case NAME -> sql.append(" ORDER BY p.package_id");
            case UPDATED -> sql.append(" ORDER BY p.updated_at DESC, p.package_id");
            case RELEVANCE -> {
                sql.append(" ORDER BY (p.package_id = ?) DESC, score, p.package_id");
                args.add(q.text().toLowerCase(java.util.Locale.ROOT));
            }
        }
        sql.append(" LIMIT ? OFFSET ?");
        args.add(q.limit());
        args.add(q.offset());
        List<SearchHit> hits = new ArrayList<>();
        try (PreparedStatement ps = cached(sql.toString())) {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hits.add(new SearchHit(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            split(rs.getString(7), " "), split(rs.getString(8), " "), split(rs.getString(9), "\n"), split(rs.getString(10), "\n"),
                            rs.getLong(11), -rs.getDouble(12)));
                }
            }
        }
        return hits;
    }

    private static List<String> split(String s, String sep) {
        return s == null || s.isEmpty() ? List.of() : List.of(s.split(sep));
    }

    /** Rebuilds the full-text index from the packages table (doctor; benchmark). */
    public void rebuildIndex() {
        transaction(() -> {
            try (Statement s = db.createStatement()) {
                s.execute("INSERT INTO packages_fts(packages_fts) VALUES ('rebuild')");
            }
            return null;
        });
    }

    /** Checks the index against its content table (doctor). */
    public boolean indexIntact() {
        return read(() -> {
            try (Statement s = db.createStatement()) {
                s.execute("INSERT INTO packages_fts(packages_fts, rank) VALUES ('integrity-check', 1)");
                return true;
            } catch (SQLException e) {
                return false;
            }
        });
    }

    public boolean databaseIntact() {
        return read(() -> {
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
                return rs.next() && rs.getString(1).equals("ok");
            }
        });
    }

    // ---- providers, peers, reputation -------------------------------------------------------

    public void addProvider(String cid, String peerId) {
        transaction(() -> {
            touchPeer(peerId);
            try (PreparedStatement ins = cached("INSERT INTO providers(cid, peer_id, last_seen) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET last_seen = excluded.last_seen")) {
                ins.setString(1, cid);
                ins.setString(2, peerId);
                ins.setLong(3, System.currentTimeMillis());
                ins.executeUpdate();
            }
            try (PreparedStatement trim = cached("""
                    DELETE FROM providers WHERE cid = ? AND peer_id NOT IN (SELECT peer_id FROM providers WHERE cid = ? ORDER BY last_seen DESC LIMIT ?)""")) {
                trim.setString(1, cid);
                trim.setString(2, cid);
                trim.setInt(3, MAX_PROVIDERS_PER_CID);
                trim.executeUpdate();
            }
            return null;
        });
    }

    /** Providers of a CID, best reputation first. */
    public List<PeerReputation> providers(String cid) {
        return read(() -> {
            List<PeerReputation> out = new ArrayList<>();
            try (PreparedStatement q = cached("""
                    SELECT pe.peer_id, pe.successful, pe.failed, pe.last_seen FROM providers pr JOIN peers pe ON pe.peer_id = pr.peer_id WHERE pr.cid = ?""")) {
                q.setString(1, cid);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) out.add(new PeerReputation(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                }
            }
            out.sort(Comparator.comparingDouble(PeerReputation::reputation).reversed().thenComparing(PeerReputation::peerId));
            return out;
        });
    }

    public void recordRetrieval(String peerId, boolean success) {
        transaction(() -> {
            touchPeer(peerId);
            try (PreparedStatement up = cached(success ? "UPDATE peers SET successful = successful + 1 WHERE peer_id = ?"
                    : "UPDATE peers SET failed = failed + 1 WHERE peer_id = ?")) {
                up.setString(1, peerId);
                up.executeUpdate();
            }
            return null;
        });
    }

    public PeerReputation peer(String peerId) {
        return read(() -> {
            try (PreparedStatement q = cached("SELECT successful, failed, last_seen FROM peers WHERE peer_id = ?")) {
                q.setString(1, peerId);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? new PeerReputation(peerId, rs.getLong(1), rs.getLong(2), rs.getLong(3)) : new PeerReputation(peerId, 0, 0, 0);
                }
            }
        });
    }

    /**
     * Signed records (releases, then their yanks) in insertion order after {@code cursor}, for
     * catalog sync: at most {@code limit} rows; the next cursor is the last row's rowid.
     */
    public record Page(List<byte[]> records, long nextCursor, boolean done) {}

    public Page signedRecords(long cursor, int limit) {
        return read(() -> {
            List<byte[]> out = new ArrayList<>();
            long last = cursor;
            int rows = 0;
            try (PreparedStatement q = cached("SELECT rowid, record, yank_record FROM releases WHERE rowid > ? ORDER BY rowid LIMIT ?")) {
                q.setLong(1, cursor);
                q.setInt(2, limit);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        last = rs.getLong(1);
                        out.add(rs.getBytes(2));
                        byte[] yank = rs.getBytes(3);
                        if (yank != null) out.add(yank);
                    }
                }
            }
            return new Page(out, last, rows < limit);
        });
    }

    /** How many distinct contents the peer is known to provide. */
    public int providedCount(String peerId) {
        return read(() -> {
            try (PreparedStatement q = cached("SELECT COUNT(*) FROM providers WHERE peer_id = ?")) {
                q.setString(1, peerId);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    private void touchPeer(String peerId) throws SQLException {
        try (PreparedStatement ins = cached("INSERT INTO peers(peer_id, last_seen) VALUES (?, ?) ON CONFLICT DO UPDATE SET last_seen = excluded.last_seen")) {
            ins.setString(1, peerId);
            ins.setLong(2, System.currentTimeMillis());
            ins.executeUpdate();
        }
        try (PreparedStatement trim = cached("""
                DELETE FROM peers WHERE peer_id IN (SELECT peer_id FROM peers ORDER BY last_seen DESC LIMIT -1 OFFSET ?)""")) {
            trim.setInt(1, MAX_PEERS);
            trim.executeUpdate();
        }
    }
}
