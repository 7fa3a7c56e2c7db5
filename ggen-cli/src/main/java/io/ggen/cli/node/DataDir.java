package io.ggen.cli.node;

import io.ggen.cli.CliErrors.UserError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** The node's data directory: {@code $GGEN_HOME}, or {@code ~/.ggen}. */
public final class DataDir {
    private final Path root;

    private DataDir(Path root) {
        this.root = root;
    }

    public static DataDir fromEnvironment() {
        String home = System.getenv("GGEN_HOME");
        Path p = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".ggen");
        return new DataDir(p.toAbsolutePath());
    }

    public Path root() {
        return root;
    }

    public Path resolve(String name) {
        return root.resolve(name);
    }

    /** Creates the directory (mode 0700) if it does not exist. */
    public void ensure() {
        try {
            if (!Files.isDirectory(root)) {
                Files.createDirectories(root);
                try {
                    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot create the data directory " + root + ": " + e.getMessage() + " (set GGEN_HOME to a writable directory)");
        }
    }

    /**
     * Writes {@code data} to {@code target} so that a crash leaves either the old or the new
     * file, never a partial one: temp file in the same directory, fsync, atomic rename.
     */
    public static void writeAtomically(Path target, byte[] data, Set<PosixFilePermission> perms) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            try {
                Files.setPosixFilePermissions(tmp, perms);
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            ch.write(java.nio.ByteBuffer.wrap(data));
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // some file systems cannot sync a directory
        }
    }
}
