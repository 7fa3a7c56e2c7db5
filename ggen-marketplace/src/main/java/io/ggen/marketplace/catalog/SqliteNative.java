package io.ggen.marketplace.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Keeps sqlite-jdbc's native library as one file on disk and points the driver at it. Left to
 * itself, the driver copies the library (1.1 MB) out of its jar into the temporary directory in
 * every process that opens a database, under a random name (which sets up the JDK's
 * SecureRandom), compares the copy byte by byte with the jar's, and lists the temporary directory
 * to delete old copies: together a large part of a short command such as an offline
 * {@code ggen marketplace search}. The copy kept here is named after the jar entry's CRC-32 and
 * size, written to a temporary name and renamed into place (so no process ever loads half a
 * file), and checked by size before use. Best effort: when anything fails, the driver does what
 * it always did.
 */
final class SqliteNative {
    private static final String LIB_PATH = "org.sqlite.lib.path";
    private static final String LIB_NAME = "org.sqlite.lib.name";
    private static final String TMP_DIR = "org.sqlite.tmpdir";
    private static volatile boolean prepared;

    private SqliteNative() {}

    /** Once per process, before the first connection: the library in {@code dir} (created if needed). */
    static void prepare(Path dir) {
        if (prepared) return;
        synchronized (SqliteNative.class) {
            if (prepared || System.getProperty(LIB_PATH) != null) {
                prepared = true;
                return;
            }
            ensure(dir).ifPresent(lib -> {
                System.setProperty(LIB_PATH, lib.getParent().toString());
                System.setProperty(LIB_NAME, lib.getFileName().toString());
                // the driver lists this directory for old copies of its own: a small one
                System.setProperty(TMP_DIR, lib.getParent().toString());
            });
            prepared = true;
        }
    }

    /** The library for this platform in {@code dir}, copied out of the driver's jar unless already there; empty when that cannot be done. */
    static Optional<Path> ensure(Path dir) {
        try {
            String resource = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath() + "/" + org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
            URL url = org.sqlite.JDBC.class.getResource(resource);
            if (url == null) return Optional.empty();
            URLConnection conn = url.openConnection();
            if (!(conn instanceof JarURLConnection jar)) return Optional.empty();
            java.util.jar.JarEntry entry = jar.getJarEntry();
            long size = entry.getSize();
            long crc = entry.getCrc();
            if (size <= 0 || crc < 0) return Optional.empty();
            String name = org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
            int dot = name.lastIndexOf('.');
            Path lib = dir.resolve((dot < 0 ? name : name.substring(0, dot)) + "-" + Long.toHexString(crc) + "-" + size + (dot < 0 ? "" : name.substring(dot)));
            if (Files.isRegularFile(lib) && Files.size(lib) == size) return Optional.of(lib);
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "extract-", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            try {
                try (InputStream in = conn.getInputStream()) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                if (Files.size(tmp) != size) return Optional.empty();
                Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return Optional.of(lib);
        } catch (IOException | RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }
}
