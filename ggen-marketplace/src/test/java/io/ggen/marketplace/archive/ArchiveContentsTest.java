package io.ggen.marketplace.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

/** Listing a pack archive and reading its readme without unpacking it: the same hostile-input rules as unpacking. */
class ArchiveContentsTest {
    private static ArchiveContents.Contents read(byte[] archive, int maxText) {
        return ArchiveContents.read(new ByteArrayInputStream(archive), ArchiveLimits.DEFAULT, p -> p.startsWith("README"), maxText);
    }

    @Test
    void listsFilesWithSizesAndKeepsTheWantedText() throws Exception {
        byte[] archive = ArchiveTest.tarGz(tar -> {
            ArchiveTest.file(tar, "README.md", "# Title\n\nhello\n".getBytes(StandardCharsets.UTF_8));
            ArchiveTest.file(tar, "gpack.toml", "[gpack]\n".getBytes(StandardCharsets.UTF_8));
            ArchiveTest.file(tar, "templates/a.tmpl", new byte[1234]);
        });
        ArchiveContents.Contents c = read(archive, 1 << 16);
        assertThat(c.files()).containsExactly(new ArchiveContents.FileEntry("README.md", 15), new ArchiveContents.FileEntry("gpack.toml", 8),
                new ArchiveContents.FileEntry("templates/a.tmpl", 1234));
        assertThat(c.fileCount()).isEqualTo(3);
        assertThat(c.totalBytes()).isEqualTo(15 + 8 + 1234);
        assertThat(c.texts()).containsOnlyKeys("README.md");
        assertThat(c.texts().get("README.md")).isEqualTo(new ArchiveContents.Text("# Title\n\nhello\n", false));
    }

    @Test
    void aLongTextIsCutAtACharacterBoundaryAndSaysSo() {
        qt().withExamples(40).forAll(integers().between(1, 60), strings().betweenCodePoints(0x20, 0xD7FF).ofLengthBetween(1, 40)).checkAssert((cap, text) -> {
            try {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                byte[] archive = ArchiveTest.tarGz(tar -> ArchiveTest.file(tar, "README", bytes));
                ArchiveContents.Text t = read(archive, cap).texts().get("README");
                assertThat(t).isNotNull();
                assertThat(t.truncated()).isEqualTo(bytes.length > cap);
                assertThat(text).startsWith(t.text());
                assertThat(t.text().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(cap);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void aReadmeThatIsNotUtf8IsListedButNotKept() throws Exception {
        byte[] archive = ArchiveTest.tarGz(tar -> ArchiveTest.file(tar, "README.md", new byte[] {(byte) 0xff, (byte) 0xfe, 'a'}));
        ArchiveContents.Contents c = read(archive, 1024);
        assertThat(c.files()).hasSize(1);
        assertThat(c.texts()).isEmpty();
    }

    @Test
    void hostileArchivesAreRefusedAsUnpackingRefusesThem() throws Exception {
        byte[] traversal = ArchiveTest.tarGz(tar -> ArchiveTest.file(tar, "../evil", new byte[1]));
        assertThatThrownBy(() -> read(traversal, 1024)).isInstanceOf(ArchiveException.class).hasMessageContaining("path traversal");
        byte[] link = ArchiveTest.tarGz(tar -> ArchiveTest.link(tar, "README.md", "/etc/passwd", TarConstants.LF_SYMLINK));
        assertThatThrownBy(() -> read(link, 1024)).isInstanceOf(ArchiveException.class).hasMessageContaining("not a regular file");
        byte[] twice = ArchiveTest.tarGz(tar -> {
            ArchiveTest.file(tar, "a", new byte[1]);
            ArchiveTest.file(tar, "./a", new byte[1]);
        });
        assertThatThrownBy(() -> read(twice, 1024)).isInstanceOf(ArchiveException.class).hasMessageContaining("duplicate");
        byte[] bomb = ArchiveTest.tarGz(tar -> ArchiveTest.file(tar, "zeros", new byte[8 << 20]));
        assertThatThrownBy(() -> ArchiveContents.read(new ByteArrayInputStream(bomb), ArchiveLimits.DEFAULT, p -> false, 0))
                .isInstanceOf(ArchiveException.class).hasMessageContaining("archive bomb");
        assertThatThrownBy(() -> read("not a gzip".getBytes(StandardCharsets.UTF_8), 1024)).isInstanceOf(ArchiveException.class)
                .hasMessageContaining("gzip");
    }
}
