package io.ggen.marketplace.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dir.resolve("t.db"), 2);
        db.write(tx -> {
            tx.execute("CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
            return null;
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    private long count() {
        return db.read(tx -> tx.count("SELECT count(*) FROM t"));
    }

    @Test
    void aTransactionIsAllOrNothing() {
        assertThatThrownBy(() -> db.write(tx -> {
            tx.update("INSERT INTO t(k, v) VALUES (?, ?)", 1, "one");
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(count()).isZero();
        db.write(tx -> tx.update("INSERT INTO t(k, v) VALUES (?, ?)", 1, "one") + tx.update("INSERT INTO t(k, v) VALUES (?, ?)", 2, "two"));
        assertThat(count()).isEqualTo(2);
        java.util.Optional<String> two = db.read(tx -> tx.first("SELECT v FROM t WHERE k = ?", rs -> rs.getString(1), 2));
        assertThat(two).contains("two");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against a hang, not a measurement
    void readsRunBesideAnOpenWriteAndSeeTheLastCommit() throws Exception {
        db.write(tx -> tx.update("INSERT INTO t(k, v) VALUES (1, 'committed')"));
        CountDownLatch inWrite = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> writer = threads.submit(() -> db.write(tx -> {
                int n = tx.update("INSERT INTO t(k, v) VALUES (2, 'pending')");
                inWrite.countDown();
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return n;
            }));
            try {
                inWrite.await();
                // The write is open: readers neither wait for it nor see it.
                List<Future<Long>> readers = new ArrayList<>();
                for (int i = 0; i < 6; i++) readers.add(threads.submit(this::count));
                for (Future<Long> r : readers) assertThat(r.get()).isEqualTo(1);
                assertThat(writer.isDone()).isFalse();
            } finally {
                finish.countDown();
            }
            assertThat(writer.get()).isEqualTo(1);
        }
        assertThat(count()).isEqualTo(2);
        assertThat(db.readersOpened()).isBetween(1, 2);
    }

    @Test
    void closeWaitsForAReadUnderWayAndLaterCallsFail() throws Exception {
        CountDownLatch inRead = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Long> reader = threads.submit(() -> db.read(tx -> {
                inRead.countDown();
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return tx.count("SELECT count(*) FROM t");
            }));
            inRead.await();
            Future<?> closing = threads.submit(db::close);
            finish.countDown();
            assertThat(reader.get()).isZero();
            closing.get();
        }
        assertThatThrownBy(this::count).hasMessageContaining("closed");
        assertThatThrownBy(() -> db.write(tx -> null)).hasMessageContaining("closed");
        db.close();
    }

    @Test
    void aReadConnectionTakesAFreshSnapshotForEachReadAndSurvivesAFailedOne() throws Exception {
        db.close();
        db = Database.open(dir.resolve("one-reader.db"), 1);
        db.write(tx -> {
            tx.execute("CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
            return null;
        });
        for (int i = 1; i <= 3; i++) {
            int k = i;
            db.write(tx -> tx.update("INSERT INTO t(k, v) VALUES (?, 'x')", k));
            // the one read connection, again and again: each read sees the commit before it
            assertThat(count()).isEqualTo(i);
        }
        assertThatThrownBy(() -> db.read(tx -> tx.count("SELECT count(*) FROM no_such_table"))).hasMessageContaining("no_such_table");
        db.write(tx -> tx.update("INSERT INTO t(k, v) VALUES (4, 'x')"));
        assertThat(count()).isEqualTo(4);
        assertThat(db.readersOpened()).isEqualTo(1);
    }

    @Test
    void aReadInsideAWriteSeesTheWritesOwnChanges() {
        long seen = db.write(tx -> {
            tx.update("INSERT INTO t(k, v) VALUES (5, 'five')");
            return db.read(r -> r.count("SELECT count(*) FROM t"));
        });
        assertThat(seen).isEqualTo(1);
    }

    @Test
    void readConnectionsRefuseWrites() {
        assertThatThrownBy(() -> db.read(tx -> tx.update("INSERT INTO t(k, v) VALUES (9, 'nine')"))).hasMessageContaining("catalog error");
        assertThat(count()).isZero();
    }

    @Test
    void theStatementCacheIsBoundedAndReusesStatements() {
        db.write(tx -> {
            for (int i = 0; i < Database.MAX_CACHED_STATEMENTS * 2; i++) tx.update("INSERT INTO t(k, v) VALUES (?, '" + i + "')", i);
            for (int i = 0; i < 10; i++) assertThat(tx.prepare("SELECT v FROM t WHERE k = ?")).isSameAs(tx.prepare("SELECT v FROM t WHERE k = ?"));
            return null;
        });
        assertThat(count()).isEqualTo(Database.MAX_CACHED_STATEMENTS * 2);
    }
}
