package io.ggen.marketplace.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The archive unpacker fed generated tar streams: each input record {@code [tag][length][body]}
 * becomes one tar entry whose header the harness writes by hand (so any field may be odd): the
 * tag picks the entry type (file, directory, symbolic and hard link, device, pax and GNU long-name
 * headers), and whether the size field lies, the name continues in the ustar prefix, the checksum
 * is wrong or the end-of-archive blocks are missing; the body is {@code [name length][name][data]}.
 * A first tag of 0xff gzips the raw body instead.
 *
 * <p>The contract: only {@link ArchiveException} escapes; on failure the target directory is
 * gone; on success the directory holds only regular files and directories, all inside it, whose
 * count and total size are what the unpacker reports, within the limits; nothing is ever written
 * next to the target directory.
 */
class UnpackerFuzzTest {
    private static final ArchiveLimits LIMITS = new ArchiveLimits(1 << 20, 1 << 20, 50, 1 << 14, 64, 200);
    private static final char[] TYPES = {'0', '5', '2', '1', '3', 'x', 'L', '\0'};
    private static Path base;
    private static int runs;

    private static synchronized Path next() {
        try {
            if (base == null) {
                base = Files.createTempDirectory("ggen-fuzz-unpack");
                base.toFile().deleteOnExit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return base.resolve("pack" + (runs++ % 4));
    }

    @FuzzTest
    void unpack(byte[] input) throws IOException {
        byte[] gz = gzip(tar(input));
        Path dir = next();
        SafeUnpacker.Unpacked u;
        try {
            u = SafeUnpacker.unpack(new ByteArrayInputStream(gz), dir, LIMITS);
        } catch (ArchiveException refused) {
            assertThat(Files.exists(dir, LinkOption.NOFOLLOW_LINKS)).as("the target is removed on failure").isFalse();
            assertThat(list(base)).isEmpty();
            return;
        }
        long bytes = 0;
        int files = 0;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                assertThat(Files.isSymbolicLink(p)).as("%s is a link", p).isFalse();
                assertThat(p.normalize()).startsWith(dir);
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files++;
                    bytes += Files.size(p);
                } else {
                    assertThat(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).isTrue();
                }
            }
        }
        assertThat(files).isEqualTo(u.files()).isLessThanOrEqualTo(LIMITS.maxEntries());
        assertThat(bytes).isEqualTo(u.bytes()).isLessThanOrEqualTo(LIMITS.maxExpandedBytes());
        assertThat(list(base)).containsExactly(dir.getFileName().toString());
        SafeUnpacker.deleteTree(dir);
    }

    private static List<String> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    static byte[] tar(byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        int lastTag = 0;
        while (pos < input.length) {
            int tag = input[pos++] & 0xff;
            int len = pos + 2 <= input.length ? ((input[pos] & 0xff) << 8) | (input[pos + 1] & 0xff) : 0;
            pos = Math.min(input.length, pos + 2);
            byte[] body = Arrays.copyOfRange(input, pos, Math.min(input.length, pos + len));
            pos += body.length;
            if (tag == 0xff && out.size() == 0) return body;
            lastTag = tag;
            int nameLen = body.length > 0 ? Math.min(body[0] & 0xff, body.length - 1) : 0;
            byte[] name = body.length > 0 ? Arrays.copyOfRange(body, 1, 1 + nameLen) : new byte[0];
            byte[] data = body.length > 0 ? Arrays.copyOfRange(body, 1 + nameLen, body.length) : new byte[0];
            out.writeBytes(header(tag, name, data.length, body));
            out.writeBytes(data);
            out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        }
        if ((lastTag & 0x80) == 0) out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static byte[] header(int tag, byte[] name, int size, byte[] body) {
        byte[] h = new byte[512];
        char type = TYPES[tag & 7];
        System.arraycopy(name, 0, h, 0, Math.min(name.length, 100));
        if ((tag & 0x10) != 0 && name.length > 100) System.arraycopy(name, 100, h, 345, Math.min(name.length - 100, 155));
        octal(h, 100, 8, (tag & 0x20) != 0 ? 0755 : 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        long claimed = (tag & 0x08) != 0 && body.length > 2 ? ((body[body.length - 1] & 0xffL) << 16) * 97 : size;
        octal(h, 124, 12, claimed);
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        if (type == '2' || type == '1') {
            byte[] target = (tag & 0x40) != 0 ? "../outside".getBytes(StandardCharsets.US_ASCII) : name;
            System.arraycopy(target, 0, h, 157, Math.min(target.length, 100));
        }
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        if ((tag & 0x40) != 0 && type != '2' && type != '1') sum += 1;
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        if (s.length() > len - 1) s = s.substring(s.length() - (len - 1));
        String padded = "0".repeat(len - 1 - s.length()) + s;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
        h[off + len - 1] = 0;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
