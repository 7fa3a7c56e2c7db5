package io.ggen.marketplace.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStateTest {
    @TempDir
    Path dir;

    @Test
    void announcedReleasesAndSyncCursorsSurviveReopening() {
        try (Catalog c = Catalog.open(dir.resolve("c.db"))) {
            assertThat(c.isAnnounced("io.x@1.0.0")).isFalse();
            c.markAnnounced("io.x@1.0.0");
            c.markAnnounced("io.x@1.0.0");
            c.setSyncCursor("peer", 12);
            c.setSyncCursor("peer", 15);
        }
        try (Catalog c = Catalog.open(dir.resolve("c.db"))) {
            assertThat(c.isAnnounced("io.x@1.0.0")).isTrue();
            assertThat(c.syncCursor("peer")).contains(15L);
            assertThat(c.syncCursor("other")).isEmpty();
        }
    }

    @Test
    void anAnnouncedFileElsewhereIsImportedOnceSkippingDamagedLines() throws Exception {
        Path old = dir.resolve("old").resolve("announced.txt");
        Files.createDirectories(old.getParent());
        Files.writeString(old, "io.x@1.0.0\n\u0000garbage\nio.y@2.0.0-rc.1\n");
        try (Catalog c = Catalog.open(dir.resolve("c.db"))) {
            assertThat(c.importAnnounced(old)).isEqualTo(2);
            assertThat(c.isAnnounced("io.y@2.0.0-rc.1")).isTrue();
            assertThat(old).doesNotExist();
            assertThat(c.importAnnounced(old)).isZero();
        }
    }
}
