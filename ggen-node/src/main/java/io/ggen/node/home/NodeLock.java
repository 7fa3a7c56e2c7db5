package io.ggen.node.home;

import io.ggen.node.error.NodeError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on {@code node.lock} held while a node runs, so a second node on the same
 * data directory is refused. The operating system releases it when the process dies, even by
 * kill -9, so a crash never leaves the directory locked.
 */
public final class NodeLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private NodeLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static NodeLock acquire(DataDir dir) {
        dir.ensure();
        FileChannel ch = null;
        try {
            ch = FileChannel.open(dir.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = null;
            // A client checking whether a node runs (isHeld) takes the lock for a moment: a few
            // tries, a few milliseconds apart, tell that from a node that holds it.
            for (int attempt = 0; attempt < ACQUIRE_ATTEMPTS && l == null; attempt++) {
                if (attempt > 0) pause();
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException inThisJvm) {
                    l = null;
                }
            }
            if (l == null) throw alreadyRunning(dir);
            return new NodeLock(ch, l);
        } catch (IOException e) {
            close(ch);
            throw new NodeError("cannot lock " + dir.lockFile() + ": " + e.getMessage());
        } catch (NodeError e) {
            close(ch);
            throw e;
        }
    }

    private static final int ACQUIRE_ATTEMPTS = 20;

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeError("interrupted while taking the node lock");
        }
    }

    /**
     * True when some process holds the lock (checked by trying to take it, for a moment; a node
     * starting meanwhile retries). Not for use inside a node's own JVM: closing a channel may
     * release that JVM's lock on the file.
     */
    public static boolean isHeld(DataDir dir) {
        if (!Files.exists(dir.lockFile())) return false;
        try (FileChannel ch = FileChannel.open(dir.lockFile(), StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) return true;
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static NodeError alreadyRunning(DataDir dir) {
        String pid = NodeInfo.read(dir).map(i -> " (pid " + i.pid() + ")").orElse("");
        return new NodeError("a node is already running on " + dir.root() + pid
                + "; stop it with '" + dir.command("marketplace p2p stop") + "', or set GGEN_HOME to another directory to run a second node");
    }

    private static void close(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to release
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel close below releases it too
        }
        close(channel);
    }
}
