package io.ggen.marketplace.archive;

import io.ggen.marketplace.error.MarketplaceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Makes the deterministic archive of a pack: a gzip-compressed POSIX (pax) tar of the given
 * files, entries in byte order of their '/'-separated paths, regular files only (directories
 * are implied), mtime 0, uid/gid 0, no user or group names, mode 0644 or 0755 (executable bit
 * kept, nothing else). The gzip header is written by hand (no name, mtime 0, OS 255) so it
 * does not depend on the JDK; deflate level 9. Same files, same bytes.
 */
public final class PackArchiver {
    private static final FileTime EPOCH = FileTime.fromMillis(0);

    private PackArchiver() {}

    /** Result of packing: uncompressed bytes of the files and how many there were. */
    public record Packed(long fileBytes, int files) {}

    public static Packed pack(Path dir, List<String> files, ArchiveLimits limits, OutputStream out) {
        return pack(dir, files, limits, out, java.util.Map.of());
    }

    /**
     * Packs like {@link #pack(Path, List, ArchiveLimits, OutputStream)}, with the content of some
     * of the files given instead of read ({@code replaced}, by relative path; e.g. a manifest whose
     * version publish has set).
     */
    public static Packed pack(Path dir, List<String> files, ArchiveLimits limits, OutputStream out, java.util.Map<String, byte[]> replaced) {
        List<String> sorted = new ArrayList<>(files);
        sorted.sort((a, b) -> java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8), b.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        if (sorted.size() > limits.maxEntries()) {
            throw new ArchiveException("the pack has " + sorted.size() + " files; the limit is " + limits.maxEntries());
        }
        long total = 0;
        for (String f : sorted) {
            try {
                total += replaced.containsKey(f) ? replaced.get(f).length : Files.size(dir.resolve(f));
            } catch (IOException e) {
                throw new MarketplaceException(MarketplaceException.Kind.IO, "cannot read " + dir.resolve(f) + ": " + e.getMessage(), e);
            }
        }
        if (total > limits.maxPackBytes()) {
            throw new ArchiveException("the pack's files add up to " + total + " bytes; the limit is " + limits.maxPackBytes()
                    + " (leave large files out of the manifest's patterns, or raise the size limit)");
        }
        try {
            CRC32 crc = new CRC32();
            long[] rawSize = {0};
            out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, (byte) 0xff});
            Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
            DeflaterOutputStream deflate = new DeflaterOutputStream(new NonClosing(out), deflater, 1 << 16) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    crc.update(b, off, len);
                    rawSize[0] += len;
                    super.write(b, off, len);
                }
            };
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(deflate, "UTF-8")) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                tar.setAddPaxHeadersForNonAsciiNames(true);
                for (String f : sorted) {
                    Path p = dir.resolve(f);
                    if (Files.isSymbolicLink(p) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        throw new ArchiveException(p + " is not a regular file");
                    }
                    byte[] given = replaced.get(f);
                    TarArchiveEntry e = new TarArchiveEntry(f, true);
                    e.setSize(given != null ? given.length : Files.size(p));
                    e.setMode(Files.isExecutable(p) ? 0100755 : 0100644);
                    e.setLastModifiedTime(EPOCH);
                    e.setUserId(0);
                    e.setGroupId(0);
                    e.setUserName("");
                    e.setGroupName("");
                    tar.putArchiveEntry(e);
                    try (InputStream in = given != null ? new java.io.ByteArrayInputStream(given) : Files.newInputStream(p)) {
                        long n = in.transferTo(tar);
                        if (n != e.getSize()) throw new ArchiveException(p + " changed while it was being packed");
                    }
                    tar.closeArchiveEntry();
                }
                tar.finish();
            }
            deflater.end();
            long crcValue = crc.getValue();
            long size = rawSize[0];
            byte[] trailer = new byte[8];
            for (int i = 0; i < 4; i++) trailer[i] = (byte) (crcValue >>> (8 * i));
            for (int i = 0; i < 4; i++) trailer[4 + i] = (byte) (size >>> (8 * i));
            out.write(trailer);
            out.flush();
            return new Packed(total, sorted.size());
        } catch (IOException e) {
            throw new MarketplaceException(MarketplaceException.Kind.IO, "cannot write the archive: " + e.getMessage(), e);
        }
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
