package io.ggen.marketplace.archive;

import io.ggen.marketplace.error.MarketplaceException;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a gzip tar from someone else into a new directory, treating it as hostile. Refused,
 * with nothing left behind: absolute paths, {@code ..}, backslashes or NUL in names, duplicate
 * entries, links that leave the directory or run through another link, writing beneath a link,
 * device files and FIFOs, more entries or bytes than the limits allow, and expansion ratios of
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
        TarArchiveInputStream tar = new TarArchiveInputStream(guard, "UTF-8");
        Set<String> seen = new HashSet<>();
        Set<String> links = new HashSet<>();
        Map<String, Boolean> kinds = new HashMap<>();
        int files = 0;
        long bytes = 0;
        byte[] buf = new byte[1 << 16];
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            if (seen.size() >= limits.maxEntries()) throw new ArchiveException("archive has more than " + limits.maxEntries() + " entries");
            String name = normalise(e.getName(), limits);
            if (name.isEmpty()) {
                if (e.isDirectory()) continue;
                throw new ArchiveException("archive entry '" + e.getName() + "' has an empty name");
            }
            if (!seen.add(name)) throw new ArchiveException("archive has a duplicate entry '" + name + "'");
            checkNotBeneathLink(name, links);
            Path target = root.resolve(name);
            if (!target.normalize().startsWith(root)) throw new ArchiveException("archive entry '" + e.getName() + "' leaves the target directory");
            if (e.isDirectory()) {
                Files.createDirectories(target);
                kinds.put(name, false);
            } else if (e.isSymbolicLink()) {
                String linkTarget = e.getLinkName();
                checkLinkTarget(name, linkTarget, links, root, limits);
                Files.createDirectories(target.getParent());
                Files.createSymbolicLink(target, Path.of(linkTarget));
                links.add(name);
            } else if (e.isLink()) {
                String from = normalise(e.getLinkName(), limits);
                if (!Boolean.TRUE.equals(kinds.get(from))) {
                    throw new ArchiveException("archive hard link '" + name + "' points to '" + e.getLinkName() + "', which is not a file earlier in the archive");
                }
                Files.createDirectories(target.getParent());
                Files.copy(root.resolve(from), target);
                kinds.put(name, true);
                files++;
            } else if (isRegularFile(e)) {
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    int n;
                    while ((n = tar.read(buf)) > 0) {
                        out.write(buf, 0, n);
                        bytes += n;
                    }
                }
                if ((e.getMode() & 0100) != 0) setExecutable(target);
                kinds.put(name, true);
                files++;
            } else {
                String kind = e.isCharacterDevice() ? "a character device" : e.isBlockDevice() ? "a block device" : e.isFIFO() ? "a FIFO" : "an unsupported entry type";
                throw new ArchiveException("archive entry '" + name + "' is " + kind + "; packs may contain only files, directories and links");
            }
        }
        // Read to the end: trailing data is consumed and a verifying source checks its hash.
        guard.transferTo(OutputStream.nullOutputStream());
        raw.transferTo(OutputStream.nullOutputStream());
        return new Unpacked(files, bytes);
    }

    /** commons-compress's isFile() says yes to devices too; only these flags are plain files. */
    private static boolean isRegularFile(TarArchiveEntry e) {
        byte f = e.getLinkFlag();
        return f == org.apache.commons.compress.archivers.tar.TarConstants.LF_NORMAL
                || f == org.apache.commons.compress.archivers.tar.TarConstants.LF_OLDNORM
                || f == org.apache.commons.compress.archivers.tar.TarConstants.LF_CONTIG;
    }

    static String normalise(String name, ArchiveLimits limits) {
        if (name.length() > limits.maxPathLength()) throw new ArchiveException("archive entry name longer than " + limits.maxPathLength() + " characters");
        if (name.indexOf('\0') >= 0) throw new ArchiveException("archive entry name contains NUL");
        if (name.indexOf('\\') >= 0) throw new ArchiveException("archive entry '" + name + "' contains a backslash");
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) throw new ArchiveException("archive entry '" + name + "' is an absolute path");
        List<String> parts = new ArrayList<>();
        for (String seg : name.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) continue;
            if (seg.equals("..")) throw new ArchiveException("archive entry '" + name + "' contains '..' (path traversal)");
            parts.add(seg);
        }
        return String.join("/", parts);
    }

    private static void checkNotBeneathLink(String name, Set<String> links) {
        int i = -1;
        while ((i = name.indexOf('/', i + 1)) >= 0) {
            if (links.contains(name.substring(0, i))) {
                throw new ArchiveException("archive entry '" + name + "' would be written through the link '" + name.substring(0, i) + "'");
            }
        }
    }

    private static void checkLinkTarget(String name, String linkTarget, Set<String> links, Path root, ArchiveLimits limits) {
        if (linkTarget == null || linkTarget.isEmpty()) throw new ArchiveException("archive link '" + name + "' has no target");
        if (linkTarget.length() > limits.maxPathLength() || linkTarget.indexOf('\0') >= 0 || linkTarget.indexOf('\\') >= 0
                || linkTarget.startsWith("/") || linkTarget.matches("^[A-Za-z]:.*")) {
            throw new ArchiveException("archive link '" + name + "' -> '" + linkTarget + "' leaves the target directory");
        }
        // Resolve lexically from the link's directory; the result must stay inside and must not
        // pass through another link (whose own target would change the meaning of '..').
        List<String> parts = new ArrayList<>(List.of(name.split("/")));
        parts.remove(parts.size() - 1);
        for (String seg : linkTarget.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) continue;
            if (seg.equals("..")) {
                if (parts.isEmpty()) throw new ArchiveException("archive link '" + name + "' -> '" + linkTarget + "' leaves the target directory");
                parts.remove(parts.size() - 1);
            } else {
                parts.add(seg);
                if (links.contains(String.join("/", parts))) {
                    throw new ArchiveException("archive link '" + name + "' -> '" + linkTarget + "' runs through another link");
                }
            }
        }
        if (!root.resolve(String.join("/", parts)).normalize().startsWith(root)) {
            throw new ArchiveException("archive link '" + name + "' -> '" + linkTarget + "' leaves the target directory");
        }
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

    private static class CountingStream extends FilterInputStream {
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
    private static final class BombGuard extends CountingStream {
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
