package io.ggen.marketplace.content;

import io.ggen.marketplace.error.MarketplaceException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Content-addressed objects on disk: {@code objects/<first 2 hex of sha-256>/<other 62 hex>}.
 * Writes go to a temp file in {@code tmp/}, are fsynced, then renamed into place and the
 * directory fsynced, so a crash leaves either the whole object or none (plus a temp file that
 * {@link #cleanTemp} removes). A temp file's name says which process writes it (its pid and
 * start time), so the leftovers of a killed process are told from live work at once. Reads are verified against the address: a corrupt object is
 * moved to {@code corrupt/} and reported, never served.
 */
public final class ContentStore {
    private final Path root;
    private final Path objects;
    private final Path tmp;
    private final Path corrupt;

    public ContentStore(Path root) {
        this.root = root;
        this.objects = root.resolve("objects");
        this.tmp = root.resolve("tmp");
        this.corrupt = root.resolve("corrupt");
    }

    public Path root() {
        return root;
    }

    public Path pathOf(ContentId id) {
        String hex = id.hex();
        return objects.resolve(hex.substring(0, 2)).resolve(hex.substring(2));
    }

    public boolean contains(ContentId id) {
        return Files.isRegularFile(pathOf(id));
    }

    public long size(ContentId id) {
        try {
            return Files.size(pathOf(id));
        } catch (IOException e) {
            throw notFound(id);
        }
    }

    /** Stores bytes and returns their address. Idempotent. */
    public ContentId put(byte[] content) {
        ContentId id = ContentId.of(content);
        if (contains(id)) return id;
        writeAtomically(id, out -> out.write(content));
        return id;
    }

    /** Copies a file into the store, hashing as it goes. */
    public ContentId putFile(Path file) {
        try {
            Files.createDirectories(tmp);
            Path t = newTempFile();
            try {
                MessageDigest md = ContentId.sha256();
                try (InputStream in = new DigestInputStream(Files.newInputStream(file), md);
                     FileChannel ch = FileChannel.open(t, StandardOpenOption.WRITE);
                     OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                    in.transferTo(out);
                    ch.force(true);
                }
                ContentId id = ContentId.ofDigest(md.digest());
                if (!contains(id)) publish(t, id);
                return id;
            } finally {
                Files.deleteIfExists(t);
            }
        } catch (IOException e) {
            throw io("store " + file, e);
        }
    }

    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Bytes written and fsynced to a temp file and hashed, not yet in the store: the caller
     * checks the address (e.g. against the catalog) and then commits or discards.
     */
    public final class Staged implements AutoCloseable {
        private final Path temp;
        private final ContentId id;
        private final long size;
        private boolean done;

        private Staged(Path temp, ContentId id, long size) {
            this.temp = temp;
            this.id = id;
            this.size = size;
        }

        public ContentId id() {
            return id;
        }

        public long size() {
            return size;
        }

        public Path file() {
            return temp;
        }

        /** Moves the bytes to their address (atomic rename); idempotent if already stored. */
        public void commit() {
            if (done) return;
            done = true;
            try {
                if (contains(id)) Files.deleteIfExists(temp);
                else publish(temp, id);
            } catch (IOException e) {
                throw io("store object " + id, e);
            }
        }

        @Override
        public void close() {
            if (done) return;
            done = true;
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover temp file is removed by cleanTemp
            }
        }
    }

    /** Writes bytes to a temp file, hashing and fsyncing them; see {@link Staged}. */
    public Staged stage(Writer writer) {
        return inTempFile(t -> {
            MessageDigest md = ContentId.sha256();
            long size;
            try (FileChannel ch = FileChannel.open(t, StandardOpenOption.WRITE);
                 java.security.DigestOutputStream out = new java.security.DigestOutputStream(
                         new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16), md)) {
                writer.write(out);
                out.flush();
                CrashPoints.reach("store-object-partly-written");
                ch.force(true);
                size = ch.size();
            }
            return new Staged(t, ContentId.ofDigest(md.digest()), size);
        });
    }

    /** Writes into a file of a known size at any position, e.g. byte ranges arriving in parallel. */
    public interface PositionalWriter {
        void write(FileChannel file) throws IOException;
    }

    /**
     * Like {@link #stage(Writer)} for content written out of order: the writer fills a temp file
     * by position; the bytes are then fsynced and hashed in one pass, so what is committed is
     * exactly what was read back from disk.
     */
    public Staged stagePositional(PositionalWriter writer) {
        return inTempFile(t -> {
            try (FileChannel ch = FileChannel.open(t, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                writer.write(ch);
                ch.force(true);
            }
            MessageDigest md = ContentId.sha256();
            long size;
            try (InputStream in = new DigestInputStream(Files.newInputStream(t), md)) {
                size = in.transferTo(OutputStream.nullOutputStream());
            }
            return new Staged(t, ContentId.ofDigest(md.digest()), size);
        });
    }

    private interface TempFill {
        Staged fill(Path temp) throws IOException;
    }

    /** A fresh temp file in {@code tmp/} for {@code fill}; removed again unless it becomes a {@link Staged}. */
    private Staged inTempFile(TempFill fill) {
        try {
            Files.createDirectories(tmp);
            Path t = newTempFile();
            boolean ok = false;
            try {
                Staged staged = fill.fill(t);
                ok = true;
                return staged;
            } finally {
                if (!ok) Files.deleteIfExists(t);
            }
        } catch (IOException e) {
            throw io("write a new object", e);
        }
    }

    /** This process, as temp file names record it: {@code put-<pid>-<start, ms since the epoch>-}. */
    private static final String TEMP_PREFIX = "put-" + ProcessHandle.current().pid() + "-" + startMillis(ProcessHandle.current()) + "-";

    private Path newTempFile() throws IOException {
        return Files.createTempFile(tmp, TEMP_PREFIX, ".tmp");
    }

    private static long startMillis(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /**
     * Two readings of one process's start time (from {@code /proc}, in clock ticks) may differ by
     * rounding; a pid reused by a new process within this margin of the old one's start is not
     * told apart, and its leftovers wait for the age rule.
     */
    private static final long START_MARGIN_MILLIS = 1_000;

    /**
     * Whether the process that named this temp file is gone (killed, crashed): its pid runs no
     * process, or one that started at another time (the pid was reused). False when the name
     * does not say (an older format) or the process still runs.
     */
    static boolean writerGone(String fileName) {
        if (!fileName.startsWith("put-")) return false;
        String[] parts = fileName.split("-", 4);
        if (parts.length < 4) return false;
        long pid;
        long started;
        try {
            pid = Long.parseLong(parts[1]);
            started = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            return false;
        }
        if (pid == ProcessHandle.current().pid()) return false;
        java.util.Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty()) return true;
        long now = startMillis(p.get());
        return started != 0 && now != 0 && Math.abs(now - started) > START_MARGIN_MILLIS;
    }

    /** Removes an object (doctor, for orphans). */
    public void delete(ContentId id) {
        try {
            Files.deleteIfExists(pathOf(id));
        } catch (IOException e) {
            throw io("delete object " + id, e);
        }
    }

    private void writeAtomically(ContentId id, Writer writer) {
        try {
            Files.createDirectories(tmp);
            Path t = newTempFile();
            try {
                try (FileChannel ch = FileChannel.open(t, StandardOpenOption.WRITE);
                     OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                    writer.write(out);
                    out.flush();
                    CrashPoints.reach("store-object-partly-written");
                    ch.force(true);
                }
                publish(t, id);
            } finally {
                Files.deleteIfExists(t);
            }
        } catch (IOException e) {
            throw io("write object " + id, e);
        }
    }

    private void publish(Path temp, ContentId id) throws IOException {
        Path target = pathOf(id);
        Files.createDirectories(target.getParent());
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDirectory(target.getParent());
    }

    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot open directories; the rename is still atomic there.
        }
    }

    /**
     * Opens an object for reading. The stream checks length and hash as it goes and throws
     * {@link CorruptObjectException} at the end of the data if they do not match, so a
     * consumer that commits only after reading to the end never acts on corrupt bytes.
     */
    public InputStream open(ContentId id) {
        Path p = pathOf(id);
        InputStream in;
        try {
            in = Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            throw notFound(id);
        } catch (IOException e) {
            throw io("read object " + id, e);
        }
        return new VerifyingInputStream(in, id, this);
    }

    /** Reads and verifies a whole object (for small ones: records, tests). */
    public byte[] get(ContentId id) {
        try (InputStream in = open(id)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw io("read object " + id, e);
        }
    }

    /** Checks one object; a corrupt one is quarantined. Returns false if corrupt. */
    public boolean verify(ContentId id) {
        try (InputStream in = open(id)) {
            in.transferTo(OutputStream.nullOutputStream());
            return true;
        } catch (CorruptObjectException e) {
            return false;
        } catch (IOException e) {
            throw io("read object " + id, e);
        }
    }

    /** Every object address in the store (for doctor and tests). */
    public List<ContentId> list() {
        List<ContentId> out = new ArrayList<>();
        if (!Files.isDirectory(objects)) return out;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(objects)) {
            for (Path d : dirs) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
                    for (Path f : files) {
                        String hex = d.getFileName().toString() + f.getFileName();
                        if (hex.length() == 64 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                            out.add(ContentId.parse("sha256:" + hex));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw io("list objects", e);
        }
        out.sort(null);
        return out;
    }

    /** Removes every temp file; only when nothing else can be writing to the store (tests). */
    public int cleanTemp() {
        return cleanTemp(Duration.ZERO).count();
    }

    /** Temp files, and their bytes. */
    public record TempFiles(int count, long bytes) {
        public static final TempFiles NONE = new TempFiles(0, 0);

        TempFiles plus(long size) {
            return new TempFiles(count + 1, bytes + size);
        }
    }

    /**
     * Leftover temp files: those whose writing process is gone (a kill, a crash: see
     * {@link #writerGone}), whatever their age, and any untouched for {@code age} or longer (an
     * interrupted download in a process that lives on, or a name that does not say its writer).
     * A live download or publish writes its temp file at least every few seconds (a transfer
     * that stalls for 10 s is given up), so the age tells leftovers from live work.
     */
    public TempFiles staleTemp(Duration age) {
        return temp(age, false);
    }

    /** Removes the leftover temp files (see {@link #staleTemp}). */
    public TempFiles cleanTemp(Duration age) {
        return temp(age, true);
    }

    /** Whether the object was last written {@code age} ago or more (a young unreferenced object may be a publish under way). */
    public boolean olderThan(ContentId id, Duration age) {
        try {
            return Files.getLastModifiedTime(pathOf(id)).toInstant().isBefore(Instant.now().minus(age).plusNanos(1));
        } catch (IOException e) {
            return false;
        }
    }

    private TempFiles temp(Duration age, boolean delete) {
        TempFiles found = TempFiles.NONE;
        if (!Files.isDirectory(tmp)) return found;
        Instant cutoff = Instant.now().minus(age);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path f : files) {
                long size;
                try {
                    if (Files.getLastModifiedTime(f).toInstant().isAfter(cutoff) && !writerGone(f.getFileName().toString())) continue;
                    size = Files.size(f);
                    if (delete) Files.deleteIfExists(f);
                } catch (NoSuchFileException gone) {
                    continue; // committed or removed meanwhile
                }
                found = found.plus(size);
            }
        } catch (IOException e) {
            throw io("clean " + tmp, e);
        }
        return found;
    }

    void quarantine(ContentId id) {
        try {
            Files.createDirectories(corrupt);
            Files.move(pathOf(id), corrupt.resolve(id.hex() + "." + System.currentTimeMillis()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException ignored) {
            // Reporting the corruption matters more than moving it; the next read reports again.
        }
    }

    private static MarketplaceException notFound(ContentId id) {
        return new MarketplaceException(MarketplaceException.Kind.NOT_FOUND, "object " + id + " is not in the store");
    }

    private static MarketplaceException io(String what, IOException e) {
        return new MarketplaceException(MarketplaceException.Kind.IO, "cannot " + what + ": " + e.getMessage(), e);
    }

    private static final class VerifyingInputStream extends FilterInputStream {
        private final MessageDigest md = ContentId.sha256();
        private final ContentId id;
        private final ContentStore store;
        private boolean checked;

        VerifyingInputStream(InputStream in, ContentId id, ContentStore store) {
            super(in);
            this.id = id;
            this.store = store;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) md.update(b, off, n);
            else if (n < 0) check();
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

        @Override
        public boolean markSupported() {
            return false;
        }

        private void check() {
            if (checked) return;
            checked = true;
            if (!Arrays.equals(md.digest(), id.digest())) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // closing before moving the file; a failure here changes nothing
                }
                store.quarantine(id);
                throw new CorruptObjectException("object " + id + " is corrupt (its bytes do not hash to its address); it was moved to "
                        + store.corrupt + " and will not be used; publish or fetch it again");
            }
        }
    }
}
