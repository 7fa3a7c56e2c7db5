package io.ggen.marketplace.archive;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.manifest.ManifestParser;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a gzip tar from someone else into a new directory, treating it as hostile. Only
 * regular files and directories are unpacked. Refused, with nothing left behind: absolute
 * paths, {@code ..}, backslashes or NUL in names, names that are not UTF-8 (in the tar header,
 * a GNU long name or a PAX record), duplicate entries, every symbolic and hard link (our packer
 * never writes one, and a link's meaning depends on the links unpacked after it, so no check
 * on paper can prove one stays inside), device files and FIFOs, a {@code gpack.toml} larger
 * than a manifest may be, more entries or bytes than the limits allow, and expansion ratios of
 * a bomb. Limits are enforced on the decompressed stream as it is read, so nothing is allocated
 * beyond them. The whole input is read to its end (so a verifying source stream gets to check
 * its hash) before the caller may use the directory.
 */
public final class SafeUnpacker {
    private SafeUnpacker() {}

    public record Unpacked(int files, long bytes) {}

    /**
     * Unpacks into {@code dir}, which must not exist. On any failure {@code dir} is removed and
     * the exception says why.
     */
    public static Unpacked unpack(InputStream compressed, Path dir, ArchiveLimits limits) {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) throw new IllegalArgumentException(dir + " already exists");
        try {
            Files.createDirectories(dir);
            Unpacked u = extract(compressed, dir.toRealPath(), limits);
            return u;
        } catch (IOException e) {
            deleteTree(dir);
            throw new ArchiveException("cannot unpack: " + e.getMessage() + " (is it a gzip-compressed tar?)", e);
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    private static Unpacked extract(InputStream compressed, Path root, ArchiveLimits limits) throws IOException {
        CountingStream raw = new CountingStream(compressed, Long.MAX_VALUE, null);
        GZIPInputStream gz = new GZIPInputStream(raw, 1 << 16);
        BombGuard guard = new BombGuard(gz, raw, limits);
        StrictTarInputStream tar = new StrictTarInputStream(guard);
        Set<String> seen = new HashSet<>();
        int files = 0;
        long bytes = 0;
        byte[] buf = new byte[1 << 16];
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            if (seen.size() >= limits.maxEntries()) throw new ArchiveException("archive has more than " + limits.maxEntries() + " entries");
            String name = normalise(e.getName(), limits);
            if (name.isEmpty()) {
                if (e.isDirectory()) continue;
                throw new ArchiveException("archive entry '" + shown(e.getName()) + "' has an empty name");
            }
            if (!seen.add(name)) throw new ArchiveException("archive has a duplicate entry '" + shown(name) + "'");
            Path target = root.resolve(name);
            if (!target.normalize().startsWith(root)) throw new ArchiveException("archive entry '" + shown(e.getName()) + "' leaves the target directory");
            if (e.isDirectory()) {
                Files.createDirectories(target);
            } else if (e.isSymbolicLink() || e.isLink()) {
                throw new ArchiveException("archive entry '" + shown(name) + "' is a " + (e.isLink() ? "hard" : "symbolic") + " link (to '" + shown(e.getLinkName())
                        + "'); packs may contain only files and directories (ggen's packer leaves links out)");
            } else if (isRegularFile(e)) {
                if (name.equals(ManifestParser.FILE_NAME) && e.getSize() > ManifestParser.MAX_MANIFEST_BYTES) {
                    throw new ArchiveException("archive's " + ManifestParser.FILE_NAME + " is " + e.getSize() + " bytes; a manifest may be at most "
                            + ManifestParser.MAX_MANIFEST_BYTES + " bytes, as publish requires");
                }
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    int n;
                    while ((n = tar.read(buf)) > 0) {
                        out.write(buf, 0, n);
                        bytes += n;
                    }
                }
                if ((e.getMode() & 0100) != 0) setExecutable(target);
                files++;
            } else {
                String kind = e.isCharacterDevice() ? "a character device" : e.isBlockDevice() ? "a block device" : e.isFIFO() ? "a FIFO" : "an unsupported entry type";
                throw new ArchiveException("archive entry '" + shown(name) + "' is " + kind + "; packs may contain only files and directories");
            }
        }
        // Read to the end: trailing data is consumed and a verifying source checks its hash.
        guard.transferTo(OutputStream.nullOutputStream());
        raw.transferTo(OutputStream.nullOutputStream());
        return new Unpacked(files, bytes);
    }

    /** commons-compress's isFile() says yes to devices too; only these flags are plain files. */
    static boolean isRegularFile(TarArchiveEntry e) {
        byte f = e.getLinkFlag();
        return f == org.apache.commons.compress.archivers.tar.TarConstants.LF_NORMAL
                || f == org.apache.commons.compress.archivers.tar.TarConstants.LF_OLDNORM
                || f == org.apache.commons.compress.archivers.tar.TarConstants.LF_CONTIG;
    }

    static String normalise(String name, ArchiveLimits limits) {
        if (name.length() > limits.maxPathLength()) throw new ArchiveException("archive entry name longer than " + limits.maxPathLength() + " characters");
        if (name.indexOf('\0') >= 0) throw new ArchiveException("archive entry name contains NUL");
        if (name.indexOf('\\') >= 0) throw new ArchiveException("archive entry '" + shown(name) + "' contains a backslash");
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) throw new ArchiveException("archive entry '" + shown(name) + "' is an absolute path");
        List<String> parts = new ArrayList<>();
        for (String seg : name.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) continue;
            if (seg.equals("..")) throw new ArchiveException("archive entry '" + shown(name) + "' contains '..' (path traversal)");
            parts.add(seg);
        }
        return String.join("/", parts);
    }

    /** A name from the archive as a message may show it: control characters (a terminal's escape sequences) as {@code \\uXXXX}. */
    static String shown(String name) {
        if (name == null) return "";
        StringBuilder sb = new StringBuilder(Math.min(name.length(), 300));
        int i = 0;
        for (; i < name.length() && sb.length() < 300; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029') sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return i < name.length() ? sb + "..." : sb.toString();
    }

    private static void setExecutable(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: the bit cannot be kept
        }
    }

    /** Removes a directory tree without following links. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    Files.deleteIfExists(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new MarketplaceException(MarketplaceException.Kind.IO, "cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }

    static class CountingStream extends FilterInputStream {
        long count;
        final long limit;
        final String what;

        CountingStream(InputStream in, long limit, String what) {
            super(in);
            this.limit = limit;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) add(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) add(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[8192];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) break;
                done += r;
            }
            return done;
        }

        void add(long n) {
            count += n;
        }
    }

    /** Counts decompressed bytes and stops a bomb by total size or by ratio. */
    static final class BombGuard extends CountingStream {
        private final CountingStream compressed;
        private final ArchiveLimits limits;

        BombGuard(InputStream in, CountingStream compressed, ArchiveLimits limits) {
            super(in, limits.maxExpandedBytes(), "expanded");
            this.compressed = compressed;
            this.limits = limits;
        }

        @Override
        void add(long n) {
            super.add(n);
            if (count > limits.maxExpandedBytes()) {
                throw new ArchiveException("archive expands to more than " + limits.maxExpandedBytes() + " bytes (limit); refusing a likely archive bomb");
            }
            if (count > limits.ratioFloorBytes() && count > (long) limits.maxRatio() * Math.max(1, compressed.count)) {
                throw new ArchiveException("archive expands more than " + limits.maxRatio() + ":1 (" + count + " bytes from " + compressed.count
                        + "); refusing a likely archive bomb");
            }
        }
    }
}
