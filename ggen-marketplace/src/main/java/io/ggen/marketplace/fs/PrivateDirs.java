package io.ggen.marketplace.fs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;

/**
 * The data directory and whatever ggen creates of the path to it are private to the user
 * (mode 0700), whichever command happens to create them first: the catalog, logs, the store and
 * the keys beneath are then out of other users' reach however the files themselves are
 * created. A directory that already exists is left as it is ({@link #looseMode} tells whether
 * others can reach into it).
 */
public final class PrivateDirs {
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private PrivateDirs() {}

    /** Creates {@code dir} and its missing parents, each with mode 0700 (exactly: the umask cannot widen it, nor narrow it). */
    public static void create(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) return;
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = abs; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) missing.push(p);
        while (!missing.isEmpty()) {
            Path p = missing.pop();
            try {
                Files.createDirectory(p, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.setPosixFilePermissions(p, OWNER_ONLY);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) throw e; // created concurrently is fine; a file in the way is not
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(p); // not a POSIX file system: no modes to give
            }
        }
    }

    /** The mode of {@code dir} when group or others have any access to it, else empty. */
    public static Optional<String> looseMode(Path dir) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
            return perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))
                    ? Optional.of(PosixFilePermissions.toString(perms)) : Optional.empty();
        } catch (UnsupportedOperationException | IOException e) {
            return Optional.empty();
        }
    }

    /** True when group or others may read or write the file (a key or a token must be the owner's alone). */
    public static boolean othersCanAccess(Set<PosixFilePermission> perms) {
        return perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"));
    }
}
