package io.ggen.marketplace.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.version.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockfileTest {
    @TempDir
    Path dir;

    @Test
    void upsertKeepsOneEntryPerIdSortedAndRoundTrips() {
        Path f = dir.resolve("ggen.lock");
        Lockfile l = new Lockfile();
        l.upsert(new Lockfile.Entry("io.b", "1.0.0", "ab", "cid:x", List.of("io.z@^1", "io.a@*"), "fp"));
        l.upsert(new Lockfile.Entry("io.a", "0.1.0", "cd", "cid:y", List.of(), null));
        l.upsert(new Lockfile.Entry("io.b", "1.1.0", "ef", "cid:\"quoted\"\n", List.of(), "fp"));
        l.write(f, Instant.parse("2026-01-02T03:04:05.678Z"));
        Lockfile back = Lockfile.read(f);
        assertThat(back.generated()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(back.entries()).extracting(Lockfile.Entry::id).containsExactly("io.a", "io.b");
        assertThat(back.entries().get(1).version()).isEqualTo("1.1.0");
        assertThat(back.entries().get(1).source()).isEqualTo("cid:\"quoted\"\n");
        assertThat(l.render(Instant.EPOCH)).startsWith("version = \"1.0\"\ngenerated = \"1970-01-01T00:00:00Z\"\n\n[[packs]]\nid = \"io.a\"");
    }

    @Test
    void aBrokenLockfileIsReportedWithItsPosition() throws Exception {
        Path f = dir.resolve("ggen.lock");
        Files.writeString(f, "version = \"1.0\"\n[[packs]\n");
        assertThatThrownBy(() -> Lockfile.read(f)).hasMessageContaining("ggen.lock:2:");
    }

    @Test
    void installSpecs() {
        assertThat(InstallSpec.parse("io.x").range().matches(Version.parse("9.9.9"))).isTrue();
        assertThat(InstallSpec.parse("io.x@1.2.3").range().isExact()).isTrue();
        assertThat(InstallSpec.parse("io.x@^1.2").range().matches(Version.parse("1.9.0"))).isTrue();
        assertThatThrownBy(() -> InstallSpec.parse("IO X")).isInstanceOf(MarketplaceException.class).hasMessageContaining("not a package id");
        assertThatThrownBy(() -> InstallSpec.parse("io.x@>=>1")).hasMessageContaining("bad version range");
    }
}
