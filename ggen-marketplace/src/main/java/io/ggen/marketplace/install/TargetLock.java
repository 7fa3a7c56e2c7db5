package io.ggen.marketplace.install;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.error.MarketplaceException.Kind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One install at a time into a project directory: an OS file lock on
 * {@code <target>/.ggen/install.lock} (other processes; released by the OS even on kill -9),
 * taken under a lock of this JVM for the same directory (the OS lock is per process). A second
 * install waits for the first, then reads the lockfile the first wrote.
 */
final class TargetLock implements AutoCloseable {
    static final String FILE_NAME = "install.lock";
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock lock;

    private TargetLock(ReentrantLock local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    static TargetLock acquire(Path target) {
        Path dir;
        try {
            dir = Files.createDirectories(target.resolve(".ggen")).toRealPath();
        } catch (IOException e) {
            throw new MarketplaceException(Kind.IO, "cannot install into " + target + ": " + e.getMessage(), e);
        }
        ReentrantLock local = IN_PROCESS.computeIfAbsent(dir, d -> new ReentrantLock());
        local.lock();
        FileChannel ch = null;
        try {
            ch = FileChannel.open(dir.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new TargetLock(local, ch, ch.lock());
        } catch (IOException | RuntimeException e) {
            try {
                if (ch != null) ch.close();
            } catch (IOException ignored) {
                // the lock was not taken; nothing to release
            }
            local.unlock();
            throw new MarketplaceException(Kind.IO, "cannot lock " + dir.resolve(FILE_NAME) + " to install into " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        } finally {
            local.unlock();
        }
    }
}
