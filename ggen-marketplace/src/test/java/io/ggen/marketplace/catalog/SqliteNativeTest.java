package io.ggen.marketplace.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteNativeTest {
    @TempDir
    Path tmp;

    @Test
    void theLibraryIsCopiedOnceAndCopiedAgainWhenItsFileIsDamaged() throws Exception {
        Path dir = tmp.resolve("native");
        Path lib = SqliteNative.ensure(dir).orElseThrow();
        long size = Files.size(lib);
        assertThat(size).isGreaterThan(100_000);
        assertThat(lib.getFileName().toString()).contains(Long.toString(size));
        FileTime written = FileTime.fromMillis(0);
        Files.setLastModifiedTime(lib, written);
        assertThat(SqliteNative.ensure(dir)).contains(lib);
        assertThat(Files.getLastModifiedTime(lib)).as("kept, not copied again").isEqualTo(written);
        try (var stream = Files.list(dir)) {
            assertThat(stream.toList()).containsExactly(lib);
        }

        Files.write(lib, new byte[] {1, 2, 3}); // a torn or damaged copy
        assertThat(SqliteNative.ensure(dir)).contains(lib);
        assertThat(Files.size(lib)).isEqualTo(size);
    }

    @Test
    void aCatalogOpensWithTheKeptCopy() throws Exception {
        // once per process: the first catalog opened in this JVM (maybe another test's) chose the copy
        try (Catalog c = Catalog.open(tmp.resolve("catalog.db"))) {
            assertThat(c.search(SearchQuery.text("anything"))).isEmpty();
        }
        // (that test's directory may be gone by now: the library stays loaded for the process)
        assertThat(System.getProperty("org.sqlite.lib.name")).startsWith("libsqlitejdbc-");
        assertThat(System.getProperty("org.sqlite.tmpdir")).isEqualTo(System.getProperty("org.sqlite.lib.path")).endsWith("native");
    }
}
