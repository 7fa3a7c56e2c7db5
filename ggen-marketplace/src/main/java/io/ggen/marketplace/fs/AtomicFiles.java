package io.ggen.marketplace.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Small files written so that a crash (kill -9, power loss) leaves either the old file or the
 * new one, never a torn one: a temp file in the same directory, created with its final
 * permissions (no moment with wider ones), written, fsynced, renamed atomically, and the
 * directory fsynced so the rename itself is durable.
 */
public final class AtomicFiles {
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AtomicFiles() {}

    /**
     * Writes {@code data} to {@code target}.
     *
     * @param perms the file's permissions, or null for the default
     * @param replace whether an existing {@code target} may be replaced; if not and it exists,
     *     {@link FileAlreadyExistsException} is thrown and nothing changes
     */
    public static void write(Path target, byte[] data, Set<PosixFilePermission> perms, boolean replace) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().threadId());
        Files.deleteIfExists(tmp);
        Set<StandardOpenOption> opts = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            try (FileChannel ch = open(tmp, opts, perms)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            if (replace) {
                move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                if (Files.exists(target)) throw new FileAlreadyExistsException(target.toString());
                move(tmp, target);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot sync a directory; the rename is still atomic
        }
    }

    /**
     * Removes the temp files {@link #write} left in {@code dir} when its process was killed
     * between creating and renaming them ({@code .<name>.tmp-<pid>-<thread>}): those whose pid
     * runs no process. A pid reused by a live process keeps its file (a few bytes) until that
     * process is gone too. Returns how many were removed.
     */
    public static int removeLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        int removed = 0;
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp-*")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String[] owner = name.substring(name.lastIndexOf(".tmp-") + ".tmp-".length()).split("-", 2);
                long pid;
                try {
                    pid = Long.parseLong(owner[0]);
                } catch (NumberFormatException e) {
                    continue; // not one of ours
                }
                if (owner.length != 2 || pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).isPresent()) continue;
                if (Files.deleteIfExists(f)) removed++;
            }
        }
        return removed;
    }

    private static FileChannel open(Path tmp, Set<StandardOpenOption> opts, Set<PosixFilePermission> perms) throws IOException {
        if (perms == null) return FileChannel.open(tmp, opts);
        try {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(perms);
            return FileChannel.open(tmp, opts, attr);
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(tmp, opts); // not a POSIX file system
        }
    }

    private static void move(Path from, Path to, StandardCopyOption... extra) throws IOException {
        StandardCopyOption[] atomic = new StandardCopyOption[extra.length + 1];
        atomic[0] = StandardCopyOption.ATOMIC_MOVE;
        System.arraycopy(extra, 0, atomic, 1, extra.length);
        try {
            Files.move(from, to, atomic);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, extra);
        }
    }
}
