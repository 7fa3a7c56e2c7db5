package io.ggen.marketplace.catalog;

import io.ggen.marketplace.content.CrashPoints;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.error.MarketplaceException.Kind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A SQLite database in WAL mode: one writer connection, used by one transaction at a time, and a
 * bounded pool of read-only connections, so that reads (searches) run beside a write instead of
 * queueing behind it (WAL gives each read transaction its own snapshot). Work is a lambda that
 * receives a {@link Tx}; {@link #write} commits it as one transaction (all or nothing, also under
 * kill -9) and {@link #read} runs it in one read transaction (one consistent snapshot).
 * Each connection keeps its own prepared statements, by SQL text, LRU-bounded.
 */
final class Database implements AutoCloseable {
    /** Work done inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Tx tx) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static final int MAX_CACHED_STATEMENTS = 64;
    static final int DEFAULT_READERS = 4;

    private final String url;
    private final Path file;
    private final Conn writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    /**
     * Idle read connections, the most recently used first: a lone reader keeps one connection,
     * with its page cache and statements warm, instead of going round all of them.
     */
    private final BlockingDeque<Conn> idleReaders;
    private final Semaphore readerPermits;
    private final int maxReaders;
    private final List<Conn> allReaders = new ArrayList<>();
    private volatile boolean closed;

    private Database(String url, Path file, Conn writer, int readers) {
        this.url = url;
        this.file = file;
        this.writer = writer;
        this.idleReaders = new LinkedBlockingDeque<>(readers);
        this.readerPermits = new Semaphore(readers, true);
        this.maxReaders = readers;
    }

    /** Opens (creating if needed) the database file with up to {@code readers} read connections. */
    static Database open(Path file, int readers) throws SQLException {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        SqliteNative.prepare(file.toAbsolutePath().getParent().resolve("native"));
        // BEGIN IMMEDIATE: a write transaction takes the database's write lock when it starts
        // (waiting up to busy_timeout for another process's writer), so one that reads first
        // cannot fail later when it upgrades to writing.
        java.util.Properties props = new java.util.Properties();
        props.setProperty("transaction_mode", "IMMEDIATE");
        // The driver otherwise runs "SELECT last_insert_rowid()" through a new statement (parsed,
        // prepared, stepped, its result set built, finalized) after every INSERT, for
        // getGeneratedKeys, which nothing here calls; a synced release makes several INSERTs.
        props.setProperty("jdbc.get_generated_keys", "false");
        Connection c = DriverManager.getConnection(url, props);
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
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new Database(url, file.toAbsolutePath(), new Conn(c), Math.max(1, readers));
    }

    private Conn openReader() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            s.execute("PRAGMA query_only = ON");
            // Pages are shared through the memory map; each reader keeps a smaller private cache.
            s.execute("PRAGMA cache_size = -16384");
            s.execute("PRAGMA mmap_size = 268435456");
            s.execute("PRAGMA temp_store = MEMORY");
            // A reader stays out of auto-commit for good: the driver opens a (deferred) transaction
            // now and again after each rollback, so a read costs one rollback instead of the four
            // statements of switching auto-commit off and on around it. A deferred transaction takes
            // its snapshot at its first read, not here.
            c.setAutoCommit(false);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new Conn(c);
    }

    /** Runs {@code work} as one write transaction: committed if it returns, rolled back if it throws. */
    <T> T write(Work<T> work) {
        return write(work, true);
    }

    /** A schema migration: a write transaction that is not one of the crash points of the tests. */
    <T> T migrate(Work<T> work) {
        return write(work, false);
    }

    private <T> T write(Work<T> work, boolean crashPoint) {
        writeLock.lock();
        try {
            if (closed) throw new MarketplaceException(Kind.IO, "the catalog is closed");
            Connection c = writer.connection;
            c.setAutoCommit(false);
            try {
                T result = work.run(writer.tx);
                if (crashPoint) CrashPoints.reach("catalog-before-commit");
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                // SQLite may have rolled the transaction back itself (a full disk at commit):
                // then ending it fails too, and that must not hide what went wrong.
                try {
                    c.rollback();
                } catch (SQLException again) {
                    e.addSuppressed(again);
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException noTransaction) {
                    // nothing left to end: committed, or rolled back above or by SQLite
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs {@code work} in one read transaction on a pooled read-only connection (waits while all
     * are busy). Inside a {@link #write} on the same thread, it runs on the writer instead, so a
     * write sees its own changes.
     */
    <T> T read(Work<T> work) {
        if (writeLock.isHeldByCurrentThread()) {
            try {
                return work.run(writer.tx);
            } catch (SQLException e) {
                throw failure(e);
            }
        }
        readerPermits.acquireUninterruptibly();
        Conn conn = null;
        boolean reusable = false;
        try {
            if (closed) throw new MarketplaceException(Kind.IO, "the catalog is closed");
            conn = idleReaders.pollFirst();
            if (conn == null) {
                conn = openReader();
                synchronized (allReaders) {
                    allReaders.add(conn);
                }
            }
            try {
                return work.run(conn.tx);
            } finally {
                // Ends the read transaction: the snapshot is released so checkpoints can proceed.
                conn.connection.rollback();
                reusable = true;
            }
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            if (conn != null) {
                if (reusable) {
                    idleReaders.offerFirst(conn);
                } else {
                    // Its transaction could not be ended: a connection in an unknown state is not
                    // handed to the next reader; the pool opens a new one when needed.
                    synchronized (allReaders) {
                        allReaders.remove(conn);
                    }
                    conn.close();
                }
            }
            readerPermits.release();
        }
    }

    /** The user's form of a database failure: a damaged file and a full disk are named as such. */
    MarketplaceException failure(SQLException e) {
        return failure(file, e);
    }

    static MarketplaceException failure(Path file, SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        String detail = e.getMessage() == null ? "" : e.getMessage();
        if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) return new CatalogDamagedException(file, detail, e);
        if (primary == SQLITE_FULL || detail.contains("No space left")) {
            return new MarketplaceException(Kind.IO, "no space left on the disk of the catalog " + file
                    + "; nothing was changed. Free some space and retry (" + detail + ")", e);
        }
        return new MarketplaceException(Kind.IO, "catalog error: " + detail, e);
    }

    static final int SQLITE_CORRUPT = 11;
    static final int SQLITE_FULL = 13;
    static final int SQLITE_NOTADB = 26;

    /** Number of read connections opened so far (tests). */
    int readersOpened() {
        synchronized (allReaders) {
            return allReaders.size();
        }
    }

    /** Waits for the transactions under way, then closes every connection; later calls fail. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) return;
            closed = true;
            readerPermits.acquireUninterruptibly(maxReaders);
            try {
                synchronized (allReaders) {
                    for (Conn r : allReaders) r.close();
                    allReaders.clear();
                }
            } finally {
                readerPermits.release(maxReaders);
            }
            writer.close();
        } finally {
            writeLock.unlock();
        }
    }

    /** One connection and its statement cache. */
    private static final class Conn {
        final Connection connection;
        final Tx tx;

        Conn(Connection connection) {
            this.connection = connection;
            this.tx = new Tx(connection);
        }

        void close() {
            tx.closeStatements();
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing to save: every change was committed or rolled back
            }
        }
    }

    /**
     * What work sees of its connection: cached prepared statements and small helpers. A statement
     * from {@link #prepare} belongs to the cache: use it, never close it.
     */
    static final class Tx {
        private final Connection connection;
        private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(64, 0.75f, true);

        private Tx(Connection connection) {
            this.connection = connection;
        }

        /** The cached prepared statement for this SQL, its parameters cleared. */
        PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement ps = statements.get(sql);
            if (ps == null) {
                ps = connection.prepareStatement(sql);
                statements.put(sql, ps);
                if (statements.size() > MAX_CACHED_STATEMENTS) {
                    var eldest = statements.entrySet().iterator().next();
                    statements.remove(eldest.getKey());
                    eldest.getValue().close();
                }
            } else {
                ps.clearParameters();
            }
            return ps;
        }

        private PreparedStatement bind(String sql, Object... args) throws SQLException {
            PreparedStatement ps = prepare(sql);
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            return ps;
        }

        /** Runs an INSERT, UPDATE or DELETE; returns the rows changed. */
        int update(String sql, Object... args) throws SQLException {
            return bind(sql, args).executeUpdate();
        }

        <T> List<T> list(String sql, Row<T> row, Object... args) throws SQLException {
            List<T> out = new ArrayList<>();
            try (ResultSet rs = bind(sql, args).executeQuery()) {
                while (rs.next()) out.add(row.map(rs));
            }
            return out;
        }

        <T> Optional<T> first(String sql, Row<T> row, Object... args) throws SQLException {
            try (ResultSet rs = bind(sql, args).executeQuery()) {
                return rs.next() ? Optional.ofNullable(row.map(rs)) : Optional.empty();
            }
        }

        long count(String sql, Object... args) throws SQLException {
            return first(sql, rs -> rs.getLong(1), args).orElse(0L);
        }

        boolean exists(String sql, Object... args) throws SQLException {
            try (ResultSet rs = bind(sql, args).executeQuery()) {
                return rs.next();
            }
        }

        /** Runs SQL that is not worth caching (schema changes, pragmas, maintenance). */
        void execute(String sql) throws SQLException {
            try (Statement s = connection.createStatement()) {
                s.execute(sql);
            }
        }

        private void closeStatements() {
            for (PreparedStatement ps : statements.values()) {
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // closing a statement we no longer use
                }
            }
            statements.clear();
        }
    }
}
