package io.ggen.marketplace.catalog;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.error.MarketplaceException.Kind;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalog's schema as an ordered list of migrations; migration {@code n} takes the database
 * from version {@code n - 1} to {@code n}, kept in {@code PRAGMA user_version}. A new schema
 * change is a new entry at the end, never an edit of an old one. Each migration runs in its own
 * transaction together with the version bump, so a crash leaves the old version or the new one.
 *
 * <p>Catalogs written before {@code user_version} was used (schema 1) have {@code user_version 0}
 * and {@code meta.schema_version = 1}; they are recognised as version 1. {@code meta.schema_version}
 * is kept equal to the version, so an older ggen (which reads only that) refuses a newer catalog.
 */
final class Migrations {
    private Migrations() {}

    /** One schema step; {@code dataDir} is the directory holding the database (legacy files). */
    record Migration(int version, String what, Step step) {}

    @FunctionalInterface
    interface Step {
        void apply(Database.Tx tx, Path dataDir) throws SQLException;
    }

    static final List<Migration> ALL = List.of(
            new Migration(1, "releases, publishers, owners, packages with FTS5, peers, providers", Migrations::schema1),
            new Migration(2, "facts verified on ingest, latest CID and size per package, announced releases and sync cursors in tables",
                    Migrations::schema2),
            new Migration(3, "a sync sequence per release row, raised by a yank, so catalog sync carries yanks to peers that synced before",
                    Migrations::schema3),
            new Migration(4, "each package's bm25 term vector beside its search row, so searches rank without counting the index",
                    Migrations::schema4));

    static int latest() {
        return ALL.get(ALL.size() - 1).version();
    }

    /** Brings the database to the latest version; returns the versions applied. */
    static List<Integer> migrate(Database db, Path dataDir) {
        int current = db.read(Migrations::version);
        if (current > latest()) {
            throw new MarketplaceException(Kind.IO, "the catalog was written by a newer ggen (schema " + current + "); upgrade ggen");
        }
        List<Integer> applied = new ArrayList<>();
        for (Migration m : ALL) {
            if (m.version() <= current) continue;
            db.migrate(tx -> {
                // Re-checked inside the write transaction: another process may have migrated.
                if (version(tx) >= m.version()) return null;
                m.step().apply(tx, dataDir);
                tx.execute("PRAGMA user_version = " + m.version());
                tx.update("UPDATE meta SET value = ? WHERE key = 'schema_version'", Integer.toString(m.version()));
                return null;
            });
            applied.add(m.version());
        }
        if (applied.contains(2)) LegacyFiles.retireAll(dataDir);
        return applied;
    }

    static int version(Database.Tx tx) throws SQLException {
        int v = (int) tx.count("PRAGMA user_version");
        if (v != 0) return v;
        if (!tx.exists("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")) return 0;
        return tx.first("SELECT value FROM meta WHERE key = 'schema_version'", rs -> Integer.parseInt(rs.getString(1))).orElse(0);
    }

    /** The schema as it was until {@code user_version} was used (frozen: never edit). */
    private static void schema1(Database.Tx tx, Path dataDir) throws SQLException {
        tx.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        tx.execute("""
                CREATE TABLE publishers(fingerprint TEXT PRIMARY KEY, public_key BLOB NOT NULL, first_seen INTEGER NOT NULL,
                  trusted INTEGER NOT NULL DEFAULT 0)""");
        tx.execute("""
                CREATE TABLE owners(package_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL REFERENCES publishers(fingerprint),
                  how TEXT NOT NULL CHECK (how IN ('tofu', 'pinned')), since INTEGER NOT NULL)""");
        tx.execute("""
                CREATE TABLE releases(package_id TEXT NOT NULL, version TEXT NOT NULL, version_key TEXT NOT NULL, cid TEXT NOT NULL,
                  size INTEGER NOT NULL, fingerprint TEXT NOT NULL REFERENCES publishers(fingerprint), published_at INTEGER NOT NULL,
                  record BLOB NOT NULL, yanked INTEGER NOT NULL DEFAULT 0, yank_record BLOB, yank_reason TEXT,
                  PRIMARY KEY (package_id, version_key))""");
        tx.execute("CREATE INDEX releases_cid ON releases(cid)");
        tx.execute("""
                CREATE TABLE packages(rowid INTEGER PRIMARY KEY, package_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                  description TEXT NOT NULL, keywords TEXT NOT NULL, tags TEXT NOT NULL, categories TEXT NOT NULL, authors TEXT NOT NULL,
                  license TEXT NOT NULL, latest_version TEXT NOT NULL, fingerprint TEXT NOT NULL, updated_at INTEGER NOT NULL)""");
        tx.execute("CREATE INDEX packages_updated ON packages(updated_at)");
        tx.execute("""
                CREATE VIRTUAL TABLE packages_fts USING fts5(package_id, name, description, keywords, tags,
                  content = 'packages', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2')""");
        tx.execute("""
                CREATE TABLE package_terms(package_id TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL COLLATE NOCASE,
                  PRIMARY KEY (kind, value, package_id)) WITHOUT ROWID""");
        tx.execute("CREATE INDEX package_terms_pkg ON package_terms(package_id)");
        tx.execute("""
                CREATE TABLE peers(peer_id TEXT PRIMARY KEY, successful INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,
                  last_seen INTEGER NOT NULL)""");
        tx.execute("CREATE INDEX peers_last_seen ON peers(last_seen)");
        tx.execute("""
                CREATE TABLE providers(cid TEXT NOT NULL, peer_id TEXT NOT NULL, last_seen INTEGER NOT NULL, PRIMARY KEY (cid, peer_id))""");
        tx.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '1')");
    }

    /**
     * Version 2: a release row records when its signature, owner and immutability were checked
     * ({@code verified_at}; every row of schema 1 was checked on ingest too, and gets the time of
     * the migration), so readers need not check again; a package's search row carries the CID and
     * size of its latest release, so a search hit needs no release look-up; the node's own state
     * files ({@code announced.txt}, {@code catalog-sync.txt}) become tables, imported here.
     */
    private static void schema2(Database.Tx tx, Path dataDir) throws SQLException {
        long now = System.currentTimeMillis();
        tx.execute("ALTER TABLE releases ADD COLUMN verified_at INTEGER NOT NULL DEFAULT 0");
        tx.update("UPDATE releases SET verified_at = ?", now);
        tx.execute("ALTER TABLE packages ADD COLUMN cid TEXT NOT NULL DEFAULT ''");
        tx.execute("ALTER TABLE packages ADD COLUMN size INTEGER NOT NULL DEFAULT 0");
        tx.execute("""
                UPDATE packages SET
                  cid = coalesce((SELECT r.cid FROM releases r WHERE r.package_id = packages.package_id AND r.version = packages.latest_version), ''),
                  size = coalesce((SELECT r.size FROM releases r WHERE r.package_id = packages.package_id AND r.version = packages.latest_version), 0)""");
        tx.execute("CREATE TABLE announced(seq INTEGER PRIMARY KEY, coordinates TEXT NOT NULL UNIQUE, announced_at INTEGER NOT NULL)");
        tx.execute("CREATE TABLE sync_cursors(peer_id TEXT PRIMARY KEY, cursor INTEGER NOT NULL, updated_at INTEGER NOT NULL)");
        tx.execute("CREATE INDEX sync_cursors_updated ON sync_cursors(updated_at)");
        LegacyFiles.importAnnounced(tx, dataDir.resolve(LegacyFiles.ANNOUNCED));
        LegacyFiles.importSyncCursors(tx, dataDir.resolve(LegacyFiles.SYNC_CURSORS));
    }

    /**
     * Version 3: catalog sync pages follow {@code sync_seq}, not the rowid. A row takes the next
     * sequence when it is added and again when it is yanked, so a yank moves its release behind
     * every peer's cursor and the next sync carries it (release, then yank). Existing rows keep
     * their rowid as sequence, so cursors that peers hold stay meaningful.
     */
    private static void schema3(Database.Tx tx, Path dataDir) throws SQLException {
        tx.execute("ALTER TABLE releases ADD COLUMN sync_seq INTEGER NOT NULL DEFAULT 0");
        tx.update("UPDATE releases SET sync_seq = rowid");
        tx.execute("CREATE UNIQUE INDEX releases_sync_seq ON releases(sync_seq)");
    }

    /**
     * Version 4: {@code packages_rank} holds each package's {@link RankTerms} vector (its row's
     * rowid, shared with {@code packages} and the FTS5 index), filled here for every package, each
     * vector checked against the token counts FTS5 holds for the row.
     */
    private static void schema4(Database.Tx tx, Path dataDir) throws SQLException {
        tx.execute("CREATE TABLE packages_rank(rowid INTEGER PRIMARY KEY, terms TEXT NOT NULL)");
        SearchIndex.rebuildRankTerms(tx);
    }
}
