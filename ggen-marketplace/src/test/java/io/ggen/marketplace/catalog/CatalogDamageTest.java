package io.ggen.marketplace.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.marketplace.release.YankRecord;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged catalog is refused with a way out, rebuilt from what is readable; a full disk says so. */
class CatalogDamageTest {
    static final int RELEASES = 400;

    @TempDir
    Path dir;
    final Ed25519PrivateKey alice = Ed25519PrivateKey.generate();

    private Path filled() {
        Path file = dir.resolve("catalog.db");
        List<SignedRecord> records = new ArrayList<>();
        for (int i = 0; i < RELEASES; i++) {
            String id = "io.ggen.p" + i;
            ReleaseRecord r = new ReleaseRecord(id, "1.0.0", ContentId.of(id.getBytes()), 100 + i, "Pack " + i,
                    "A description long enough to fill some pages of the catalog, number " + i, "MIT", ">=0.1", new TreeMap<>(),
                    List.of("author"), List.of("kw" + i), List.of("cli"), List.of("tag"), null, null, alice.publicKey(), 1_000L + i);
            records.add(SignedRecord.sign(r, alice));
        }
        try (Catalog c = Catalog.open(file)) {
            c.addReleases(records);
            c.yank(SignedRecord.sign(new YankRecord("io.ggen.p7", "1.0.0", ContentId.of("io.ggen.p7".getBytes()), "broken", alice.publicKey(), 5), alice));
        }
        assertThat(dir.resolve("catalog.db-wal")).as("closed cleanly: checkpointed").satisfiesAnyOf(
                p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());
        return file;
    }

    @Test
    void anEmptyFileIsRefusedNotRecreated() throws Exception {
        Path file = filled();
        Files.write(file, new byte[0]);
        assertThatThrownBy(() -> Catalog.open(file)).isInstanceOf(CatalogDamagedException.class)
                .hasMessageContaining("is damaged (the file is empty (0 bytes): it was truncated)")
                .hasMessageContaining("ggen marketplace doctor --rebuild-catalog");
        assertThat(file).isEmptyFile();
    }

    @Test
    void aTruncatedOrOverwrittenFileIsRefused() throws Exception {
        Path file = filled();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        assertThatThrownBy(() -> Catalog.open(file)).isInstanceOf(CatalogDamagedException.class).hasMessageContaining("truncated");
        Files.write(file, "not a database at all, just some text that is longer than a hundred bytes ......................................".getBytes());
        assertThatThrownBy(() -> Catalog.open(file)).isInstanceOf(CatalogDamagedException.class).hasMessageContaining("not a SQLite database");
    }

    @Test
    void damagedPagesAreFoundAtStartAndTheRebuildKeepsWhatIsReadable() throws Exception {
        Path file = filled();
        long size = Files.size(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] junk = new byte[4096 * 3];
            java.util.Arrays.fill(junk, (byte) 0x5a);
            f.seek((size / 2) / 4096 * 4096);
            f.write(junk);
        }
        try (Catalog damaged = Catalog.open(file)) {
            assertThatThrownBy(() -> damaged.checkIntegrity(file)).isInstanceOf(CatalogDamagedException.class).hasMessageContaining("integrity check");
            assertThat(damaged.databaseIntact()).isFalse();
        } catch (CatalogDamagedException refusedAtOpen) {
            // also acceptable: the damage reached the pages read at open
        }

        CatalogRebuild.Report r = CatalogRebuild.rebuild(file);
        assertThat(r.damagedCopy()).exists().isNotEqualTo(file);
        assertThat(r.releases()).isPositive().isLessThanOrEqualTo(RELEASES);
        try (Catalog rebuilt = Catalog.open(file)) {
            rebuilt.checkIntegrity(file);
            assertThat(rebuilt.releaseCount()).isEqualTo(r.releases());
            assertThat(rebuilt.ownerOf("io.ggen.p0")).isPresent();
            if (rebuilt.release("io.ggen.p7", io.ggen.marketplace.version.Version.parse("1.0.0")).isPresent()) {
                assertThat(r.yanks()).isEqualTo(1);
                assertThat(rebuilt.releases("io.ggen.p7").get(0).yanked()).isTrue();
            }
        }
    }

    @Test
    void aFullDiskAtCommitSaysSo() throws Exception {
        Path file = dir.resolve("full.db");
        try (Database db = Database.open(file, 1)) {
            db.write(tx -> {
                tx.execute("CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB NOT NULL)");
                return null;
            });
            long pages = db.read(tx -> tx.count("PRAGMA page_count"));
            db.write(tx -> {
                tx.execute("PRAGMA max_page_count = " + (pages + 2));
                return null;
            });
            assertThatThrownBy(() -> db.write(tx -> {
                for (int i = 0; i < 100; i++) tx.update("INSERT INTO t(k, v) VALUES (?, ?)", i, new byte[8192]);
                return null;
            })).isInstanceOf(MarketplaceException.class).hasMessageContaining("no space left").hasMessageNotContaining("no transaction is active");
            // The database is still usable, and nothing of the failed transaction is in it.
            long left = db.read(tx -> tx.count("SELECT count(*) FROM t"));
            assertThat(left).isZero();
            db.write(tx -> tx.update("INSERT INTO t(k, v) VALUES (1, x'00')"));
            long after = db.read(tx -> tx.count("SELECT count(*) FROM t"));
            assertThat(after).isEqualTo(1);
        }
    }
}
