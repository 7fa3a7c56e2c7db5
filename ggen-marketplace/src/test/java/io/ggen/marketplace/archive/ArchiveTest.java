package io.ggen.marketplace.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveTest {
    @TempDir
    Path tmp;

    private static byte[] pack(Path dir, List<String> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PackArchiver.pack(dir, files, ArchiveLimits.DEFAULT, out);
        return out.toByteArray();
    }

    private static void writeTree(Path dir, TreeMap<String, byte[]> files) throws IOException {
        for (var e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
    }

    @Test
    void sameFilesSameBytesRegardlessOfTimesAndOrder() throws Exception {
        TreeMap<String, byte[]> files = new TreeMap<>();
        files.put("gpack.toml", "[gpack]\n".getBytes());
        files.put("templates/a/very/" + "long".repeat(40) + "/x.tmpl", "x".getBytes());
        files.put("templates/é.tmpl", "unicode".getBytes());
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        writeTree(a, files);
        writeTree(b, files);
        for (String f : files.keySet()) Files.setLastModifiedTime(b.resolve(f), FileTime.fromMillis(123456789000L));
        List<String> order = new ArrayList<>(files.keySet());
        byte[] first = pack(a, order);
        java.util.Collections.reverse(order);
        assertThat(pack(b, order)).isEqualTo(first);
    }

    @Test
    void packThenUnpackGivesTheSameFiles() {
        qt().withExamples(30).forAll(lists().of(strings().betweenCodePoints('a', 'e').ofLengthBetween(1, 4)).ofSizeBetween(1, 6),
                integers().all()).checkAssert((names, seed) -> {
            try {
                Path src = Files.createTempDirectory(tmp, "src");
                TreeMap<String, byte[]> files = new TreeMap<>();
                Random r = new Random(seed);
                for (int i = 0; i < names.size(); i++) {
                    byte[] data = new byte[r.nextInt(3000)];
                    r.nextBytes(data);
                    files.put("d" + i + "/" + names.get(i) + ".tmpl", data);
                }
                writeTree(src, files);
                byte[] archive = pack(src, new ArrayList<>(files.keySet()));
                Path out = tmp.resolve("out-" + System.nanoTime());
                SafeUnpacker.Unpacked u = SafeUnpacker.unpack(new ByteArrayInputStream(archive), out, ArchiveLimits.DEFAULT);
                assertThat(u.files()).isEqualTo(files.size());
                for (var e : files.entrySet()) assertThat(Files.readAllBytes(out.resolve(e.getKey()))).isEqualTo(e.getValue());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void packRefusesOversizedPacks() throws Exception {
        Files.write(tmp.resolve("big"), new byte[2000]);
        assertThatThrownBy(() -> PackArchiver.pack(tmp, List.of("big"), ArchiveLimits.DEFAULT.withMaxPackBytes(1000), new ByteArrayOutputStream()))
                .isInstanceOf(ArchiveException.class).hasMessageContaining("limit is 1000");
    }

    interface EntryWriter {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    static byte[] tarGz(EntryWriter w) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            w.write(tar);
        }
        return bytes.toByteArray();
    }

    static void file(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    static void link(TarArchiveOutputStream tar, String name, String target, byte type) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private void assertRefused(byte[] archive, String message) {
        Path out = tmp.resolve("target");
        assertThatThrownBy(() -> SafeUnpacker.unpack(new ByteArrayInputStream(archive), out, ArchiveLimits.DEFAULT))
                .isInstanceOf(ArchiveException.class).hasMessageContaining(message);
        assertThat(out).doesNotExist();
        assertThat(tmp.resolve("evil")).doesNotExist();
    }

    @Test
    void refusesHostileArchivesAndWritesNothing() throws Exception {
        assertRefused(tarGz(t -> { file(t, "ok.txt", "ok".getBytes()); file(t, "../evil", "x".getBytes()); }), "path traversal");
        assertRefused(tarGz(t -> file(t, "/etc/evil", "x".getBytes())), "absolute path");
        assertRefused(tarGz(t -> file(t, "a\\..\\evil", "x".getBytes())), "backslash");
        assertRefused(tarGz(t -> { file(t, "a", "1".getBytes()); file(t, "./a", "2".getBytes()); }), "duplicate entry");
        assertRefused(tarGz(t -> link(t, "l", "../evil", TarConstants.LF_SYMLINK)), "is a symbolic link");
        assertRefused(tarGz(t -> link(t, "l", "/etc/passwd", TarConstants.LF_SYMLINK)), "is a symbolic link");
        assertRefused(tarGz(t -> { link(t, "d", ".", TarConstants.LF_SYMLINK); link(t, "e", "d/../../evil", TarConstants.LF_SYMLINK); }), "is a symbolic link");
        assertRefused(tarGz(t -> { link(t, "d", "sub", TarConstants.LF_SYMLINK); file(t, "d/x", "1".getBytes()); }), "is a symbolic link");
        assertRefused(tarGz(t -> link(t, "h", "../evil", TarConstants.LF_LINK)), "is a hard link");
        assertRefused(tarGz(t -> link(t, "dev", "", TarConstants.LF_CHR)), "character device");
        assertRefused(tarGz(t -> link(t, "fifo", "", TarConstants.LF_FIFO)), "FIFO");
        assertRefused(tarGz(t -> file(t, "zeros", new byte[20 << 20])), "archive bomb");
        assertRefused("not an archive".getBytes(), "gzip");
    }

    @Test
    void anyEntryNameEitherLandsInsideTheTargetOrIsRefusedWithNothingWritten() {
        List<String> segments = List.of("..", ".", "a", "b", "", "\\", "c:", "/");
        qt().withExamples(200).forAll(lists().of(integers().between(0, segments.size() - 1)).ofSizeBetween(1, 6), integers().between(0, 2))
                .checkAssert((picks, kind) -> {
                    StringBuilder name = new StringBuilder();
                    for (int i = 0; i < picks.size(); i++) name.append(i == 0 ? "" : "/").append(segments.get(picks.get(i)));
                    Path out = tmp.resolve("p" + System.nanoTime());
                    try {
                        byte[] a;
                        try {
                            a = tarGz(t -> {
                                if (kind == 0) file(t, name.toString(), "x".getBytes());
                                else link(t, "l", name.toString(), kind == 1 ? TarConstants.LF_SYMLINK : TarConstants.LF_LINK);
                            });
                        } catch (IOException notWritable) {
                            return; // commons-compress itself cannot write this entry (e.g. a file name ending in '/')
                        }
                        SafeUnpacker.unpack(new ByteArrayInputStream(a), out, ArchiveLimits.DEFAULT);
                        assertThat(kind).as("a link is never unpacked").isZero();
                        try (var files = Files.walk(out)) {
                            files.forEach(f -> {
                                assertThat(f.normalize().startsWith(out)).as(f.toString()).isTrue();
                                assertThat(Files.isSymbolicLink(f)).as(f.toString()).isFalse();
                            });
                        }
                    } catch (ArchiveException e) {
                        assertThat(out).doesNotExist();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    assertThat(tmp.resolve("x")).doesNotExist();
                });
    }

    /**
     * The attack of issue 15: a link whose '..' means something else once a later link exists.
     * Every link entry is refused, whatever the order and wherever it points.
     */
    @Test
    void everyLinkIsRefusedInEitherOrder() throws Exception {
        // inside on paper while b is a directory; with b -> . every b is the target itself, and the
        // twenty '..' climb to / from any target less deep than that
        String deep = "../" + "b/".repeat(20) + "../".repeat(20) + "etc/passwd";
        byte[] linkFirst = tarGz(t -> {
            file(t, "gpack.toml", "[gpack]\n".getBytes());
            link(t, "d/l", deep, TarConstants.LF_SYMLINK);
            link(t, "b", ".", TarConstants.LF_SYMLINK);
        });
        byte[] linkLast = tarGz(t -> {
            file(t, "gpack.toml", "[gpack]\n".getBytes());
            link(t, "b", ".", TarConstants.LF_SYMLINK);
            link(t, "d/l", deep, TarConstants.LF_SYMLINK);
        });
        assertRefused(linkFirst, "archive entry 'd/l' is a symbolic link");
        assertRefused(linkLast, "archive entry 'b' is a symbolic link");
        // links that stay inside on paper are refused too: their meaning depends on what comes after them
        assertRefused(tarGz(t -> { file(t, "sub/x", "1".getBytes()); link(t, "l", "sub/x", TarConstants.LF_SYMLINK); }), "is a symbolic link");
        assertRefused(tarGz(t -> { file(t, "sub/x", "1".getBytes()); link(t, "h", "sub/x", TarConstants.LF_LINK); }), "archive entry 'h' is a hard link");
        assertThat(tmp.resolve("target")).doesNotExist();
    }

    static byte[] tarGz(String encoding, int longFileMode, EntryWriter w) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes), encoding)) {
            tar.setLongFileMode(longFileMode);
            w.write(tar);
        }
        return bytes.toByteArray();
    }

    /** A PAX extended header written by hand, so its values can be any bytes. */
    static void paxHeader(TarArchiveOutputStream tar, String key, byte[] value) throws IOException {
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        byte[] kv = new byte[key.length() + 1 + value.length + 1];
        System.arraycopy((key + "=").getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, kv, 0, key.length() + 1);
        System.arraycopy(value, 0, kv, key.length() + 1, value.length);
        kv[kv.length - 1] = '\n';
        int len = kv.length + 1;
        while (len != kv.length + 1 + String.valueOf(len).length()) len = kv.length + 1 + String.valueOf(len).length();
        rec.write((len + " ").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        rec.write(kv);
        byte[] body = rec.toByteArray();
        TarArchiveEntry e = new TarArchiveEntry("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
        e.setSize(body.length);
        tar.putArchiveEntry(e);
        tar.write(body);
        tar.closeArchiveEntry();
    }

    @Test
    void namesThatAreNotUtf8AreRefusedWithTheirBytesShown() throws Exception {
        String latin1 = "templates/caf\u00e9.tmpl";
        assertRefused(tarGz("ISO-8859-1", TarArchiveOutputStream.LONGFILE_ERROR, t -> file(t, latin1, "x".getBytes())),
                "archive entry name 'templates/caf\\xe9.tmpl' is not valid UTF-8");
        String longLatin1 = "templates/" + "d".repeat(100) + "/caf\u00e9.tmpl";
        assertRefused(tarGz("ISO-8859-1", TarArchiveOutputStream.LONGFILE_GNU, t -> file(t, longLatin1, "x".getBytes())),
                "(GNU long name) 'templates/" + "d".repeat(100) + "/caf\\xe9.tmpl' is not valid UTF-8");
        byte[] raw = {'t', '/', 'c', 'a', 'f', (byte) 0xe9, (byte) 0xff};
        assertRefused(tarGz("UTF-8", TarArchiveOutputStream.LONGFILE_ERROR, t -> {
            paxHeader(t, "path", raw);
            file(t, "ascii-stand-in", "x".getBytes());
        }), "(PAX path) 't/caf\\xe9\\xff' is not valid UTF-8");
        assertRefused(tarGz("UTF-8", TarArchiveOutputStream.LONGFILE_ERROR, t -> {
            paxHeader(t, "hdrcharset", "BINARY".getBytes());
            file(t, "x", "x".getBytes());
        }), "hdrcharset=BINARY");
    }

    @Test
    void utf8NamesOfAnyLengthStillUnpack() throws Exception {
        TreeMap<String, byte[]> files = new TreeMap<>();
        files.put("gpack.toml", "[gpack]\n".getBytes());
        // over 100 bytes, so the name travels in a PAX record and the header holds a cut copy
        files.put("templates/" + "\u00e9".repeat(70) + "/\u65e5\u672c.tmpl", "x".getBytes());
        files.put("templates/caf\u00e9.tmpl", "y".getBytes());
        Path src = tmp.resolve("src");
        writeTree(src, files);
        Path out = tmp.resolve("utf8");
        SafeUnpacker.unpack(new ByteArrayInputStream(pack(src, new ArrayList<>(files.keySet()))), out, ArchiveLimits.DEFAULT);
        for (var e : files.entrySet()) assertThat(Files.readAllBytes(out.resolve(e.getKey()))).isEqualTo(e.getValue());
        // and from the GNU long name form, as another packer writes it
        Path gnu = tmp.resolve("gnu");
        SafeUnpacker.unpack(new ByteArrayInputStream(tarGz("UTF-8", TarArchiveOutputStream.LONGFILE_GNU,
                t -> file(t, "templates/" + "\u00e9".repeat(70) + ".tmpl", "z".getBytes()))), gnu, ArchiveLimits.DEFAULT);
        assertThat(gnu.resolve("templates/" + "\u00e9".repeat(70) + ".tmpl")).hasContent("z");
    }

    @Test
    void aManifestOverThePublishLimitIsRefused() throws Exception {
        byte[] big = new byte[(int) io.ggen.marketplace.manifest.ManifestParser.MAX_MANIFEST_BYTES + 1];
        new Random(7).nextBytes(big); // incompressible: the size rule, not the bomb guard, must say no
        assertRefused(tarGz(t -> file(t, "gpack.toml", big)), "archive's gpack.toml is 1048577 bytes; a manifest may be at most 1048576 bytes");
        // a file of that size elsewhere is only data
        Path out = tmp.resolve("nested");
        SafeUnpacker.unpack(new ByteArrayInputStream(tarGz(t -> file(t, "data/gpack.toml", big))), out, ArchiveLimits.DEFAULT);
        assertThat(out.resolve("data/gpack.toml")).hasSize(big.length);
    }

    @Test
    void entryAndSizeLimits() throws Exception {
        byte[] a = tarGz(t -> { for (int i = 0; i < 5; i++) file(t, "f" + i, new byte[10]); });
        ArchiveLimits few = new ArchiveLimits(1 << 20, 1 << 20, 200, 1 << 20, 3, 100);
        assertThatThrownBy(() -> SafeUnpacker.unpack(new ByteArrayInputStream(a), tmp.resolve("x"), few)).hasMessageContaining("more than 3 entries");
        ArchiveLimits small = new ArchiveLimits(1 << 20, 4000, 1000, 1 << 20, 100, 100);
        byte[] b = tarGz(t -> file(t, "f", new byte[8000]));
        assertThatThrownBy(() -> SafeUnpacker.unpack(new ByteArrayInputStream(b), tmp.resolve("y"), small)).hasMessageContaining("more than 4000 bytes");
        assertThat(tmp.resolve("x")).doesNotExist();
        assertThat(tmp.resolve("y")).doesNotExist();
    }
}
