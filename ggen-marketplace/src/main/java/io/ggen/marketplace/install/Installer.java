package io.ggen.marketplace.install;

import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.archive.SafeUnpacker;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.Ownership;
import io.ggen.marketplace.catalog.ReleaseRow;
import io.ggen.marketplace.content.ContentStore;
import io.ggen.marketplace.content.CorruptObjectException;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.error.MarketplaceException.Kind;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.version.Resolver;
import io.ggen.marketplace.version.Version;
import io.ggen.marketplace.content.CrashPoints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Installs a package and its dependencies into a project directory: resolve (highest matching,
 * non-yanked versions; a yanked one only when asked for exactly), then for each package check
 * signature (the catalog re-verifies records on read) and ownership, read the archive from the
 * store verifying its CID, and unpack it into a staging directory. Only when every package has
 * unpacked, and the new {@code ggen.lock} is written beside them, are they moved to
 * {@code <target>/.ggen/gpacks/<id>/} and the lockfile renamed into place, one install at a time
 * per target; any failure puts back what was there, so nothing is half-installed.
 */
public final class Installer {
    public static final String PACKS_DIR = ".ggen/gpacks";

    private final ContentStore store;
    private final Catalog catalog;
    private final ArchiveLimits limits;

    public record Installed(ReleaseRecord release, Path directory, boolean requested) {}

    public Installer(ContentStore store, Catalog catalog, ArchiveLimits limits) {
        this.store = store;
        this.catalog = catalog;
        this.limits = limits;
    }

    /** Resolves without installing (for --dry-run and tests). */
    public Map<String, ReleaseRecord> resolve(InstallSpec spec) {
        Map<String, List<ReleaseRow>> cache = new HashMap<>();
        Resolver resolver = new Resolver(id -> {
            List<ReleaseRow> rows = cache.computeIfAbsent(id, catalog::releases);
            List<Resolver.Candidate> out = new ArrayList<>();
            for (ReleaseRow r : rows) {
                Version v = r.record().parsedVersion();
                boolean pinnedExactly = id.equals(spec.id()) && spec.range().isExact() && spec.range().matches(v);
                if (r.yanked() && !pinnedExactly) continue;
                out.add(new Resolver.Candidate(v, r.record().parsedDependencies()));
            }
            return out;
        });
        Map<String, Resolver.Candidate> chosen;
        try {
            chosen = resolver.resolve(List.of(new Resolver.Requirement(spec.id(), spec.range(), null)));
        } catch (MarketplaceException e) {
            if (catalog.releases(spec.id()).isEmpty()) {
                throw new MarketplaceException(Kind.NOT_FOUND, "no package " + spec.id() + " in the catalog; try 'ggen marketplace search " + spec.id() + "'");
            }
            throw e;
        }
        Map<String, ReleaseRecord> out = new LinkedHashMap<>();
        for (Map.Entry<String, Resolver.Candidate> c : chosen.entrySet()) {
            ReleaseRow row = cache.get(c.getKey()).stream().filter(r -> r.record().parsedVersion().equals(c.getValue().version())).findFirst().orElseThrow();
            out.put(c.getKey(), row.record());
        }
        return out;
    }

    /**
     * Installs {@code spec} into {@code target}, all or nothing: under the target's lock (one
     * install at a time per project; a second waits and then builds on the first's lockfile),
     * every package is unpacked into a staging directory and the new {@code ggen.lock} written
     * there, complete, before anything in the target changes. Then the pack directories are
     * swapped in (the old ones kept in the staging directory) and the new lockfile renamed over
     * {@code ggen.lock}: that rename is the commit. A failure before it puts the old directories
     * back; a crash before it is rolled back by the next install into the target (see
     * {@link #recover}).
     */
    public List<Installed> install(InstallSpec spec, Path target) {
        Map<String, ReleaseRecord> plan = resolve(spec);
        for (ReleaseRecord r : plan.values()) checkOwner(r);
        Path packs = target.resolve(PACKS_DIR);
        try (TargetLock ignored = TargetLock.acquire(target)) {
            recover(packs);
            Path staging = packs.resolve(STAGING_PREFIX + UUID.randomUUID());
            try {
                return installLocked(spec, plan, target, packs, staging);
            } catch (IOException e) {
                throw new MarketplaceException(Kind.IO, "cannot install into " + target + ": " + e.getMessage(), e);
            } finally {
                // Kept only when a failed install could not be rolled back: the next one retries.
                if (!Files.exists(staging.resolve(PENDING_LOCK))) SafeUnpacker.deleteTree(staging);
            }
        }
    }

    /**
     * The staging directories interrupted installs left in {@code target}; with {@code fix} they
     * are rolled back (see {@link #recover}) and removed. Taken under the target's lock, so an
     * install under way is never touched (this waits for it to finish).
     */
    public static int leftovers(Path target, boolean fix) {
        Path packs = target.resolve(PACKS_DIR);
        if (!Files.isDirectory(packs)) return 0;
        try (TargetLock ignored = TargetLock.acquire(target)) {
            int n = stagingDirs(packs).size();
            if (fix) recover(packs);
            return n;
        }
    }

    private static List<Path> stagingDirs(Path packs) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(packs)) return out;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(packs, STAGING_PREFIX + "*")) {
            for (Path d : dirs) out.add(d);
        } catch (IOException e) {
            throw new MarketplaceException(Kind.IO, "cannot read " + packs + ": " + e.getMessage(), e);
        }
        return out;
    }

    static final String STAGING_PREFIX = ".staging-";
    /** In a staging directory: the ids being installed, one a line, written before the swap. */
    static final String IDS_FILE = ".ids";
    /** In a staging directory: the new lockfile; present until the commit renames it to ggen.lock. */
    static final String PENDING_LOCK = ".ggen.lock.pending";

    private List<Installed> installLocked(InstallSpec spec, Map<String, ReleaseRecord> plan, Path target, Path packs, Path staging) throws IOException {
        Files.createDirectories(staging);
        for (ReleaseRecord r : plan.values()) {
            Path dir = staging.resolve(r.id());
            try (InputStream in = store.open(r.cid())) {
                SafeUnpacker.unpack(in, dir, limits);
            } catch (CorruptObjectException e) {
                throw new MarketplaceException(e.kind(), r.coordinates() + ": " + e.getMessage(), e);
            } catch (MarketplaceException e) {
                // A damaged object usually breaks gzip or tar before the hash check at the
                // end is reached; tell the user the real cause.
                if (store.contains(r.cid()) && !store.verify(r.cid())) {
                    throw new MarketplaceException(Kind.VERIFICATION, r.coordinates() + ": object " + r.cid()
                            + " is corrupt (its bytes do not hash to its address); it was quarantined and nothing was installed");
                }
                throw new MarketplaceException(e.kind(), r.coordinates() + ": " + e.getMessage(), e);
            }
        }
        // The new lockfile, complete and on disk, before the target changes.
        Path lockPath = target.resolve(Lockfile.FILE_NAME);
        Lockfile lock = Lockfile.read(lockPath);
        for (ReleaseRecord r : plan.values()) {
            List<String> deps = new ArrayList<>();
            r.dependencies().forEach((id, range) -> deps.add(id + "@" + range));
            lock.upsert(new Lockfile.Entry(r.id(), r.version(), r.cid().hex(), "cid:" + r.cid(), deps, r.fingerprint()));
        }
        writeSynced(staging.resolve(IDS_FILE), String.join("\n", plan.keySet()) + "\n");
        Path pending = staging.resolve(PENDING_LOCK);
        try {
            writeSynced(pending, lock.render(Instant.now()));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(pending); // nothing was swapped yet
            throw e;
        }
        List<Installed> done = new ArrayList<>();
        try {
            for (ReleaseRecord r : plan.values()) {
                Path finalDir = packs.resolve(r.id());
                if (Files.exists(finalDir, LinkOption.NOFOLLOW_LINKS)) move(finalDir, staging.resolve(OLD_PREFIX + r.id()));
                move(staging.resolve(r.id()), finalDir);
                done.add(new Installed(r, finalDir, r.id().equals(spec.id())));
            }
            CrashPoints.reach("install-before-lock-commit");
            beforeCommit.run();
            commit(pending, lockPath);
        } catch (IOException | RuntimeException | Error e) {
            try {
                rollBack(staging, packs);
            } catch (IOException | RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        return done;
    }

    static final String OLD_PREFIX = ".old-";

    /** For tests: runs just before the commit, after the directories were swapped in. */
    Runnable beforeCommit = () -> {};

    /** Renames the pending lockfile over ggen.lock: the commit of an install. */
    private static void commit(Path pending, Path lockPath) throws IOException {
        try {
            Files.move(pending, lockPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(pending, lockPath, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(lockPath.toAbsolutePath().getParent());
    }

    /**
     * Leftovers of installs into this target that did not finish (a kill, a crash, a full disk):
     * a staging directory that still holds its pending lockfile was not committed, so the pack
     * directories it swapped in are swapped back; then every staging directory is removed. Runs
     * under the target's lock, so none of them is live.
     */
    static void recover(Path packs) {
        for (Path staging : stagingDirs(packs)) {
            try {
                if (Files.exists(staging.resolve(PENDING_LOCK))) rollBack(staging, packs);
            } catch (IOException e) {
                throw new MarketplaceException(Kind.IO, "cannot roll back the unfinished install in " + staging + ": " + e.getMessage(), e);
            }
            SafeUnpacker.deleteTree(staging);
        }
    }

    /** Puts back the pack directories an uncommitted install swapped (see {@link #install}). */
    private static void rollBack(Path staging, Path packs) throws IOException {
        Path idsFile = staging.resolve(IDS_FILE);
        if (!Files.exists(idsFile)) return; // nothing was swapped yet
        for (String id : Files.readAllLines(idsFile, StandardCharsets.UTF_8)) {
            if (id.isBlank() || id.contains("/") || id.startsWith(".")) continue;
            Path finalDir = packs.resolve(id);
            Path fresh = staging.resolve(id);
            Path old = staging.resolve(OLD_PREFIX + id);
            // The new directory went in when it is no longer in staging; take it out again.
            if (!Files.exists(fresh, LinkOption.NOFOLLOW_LINKS) && Files.exists(finalDir, LinkOption.NOFOLLOW_LINKS)) move(finalDir, fresh);
            if (Files.exists(old, LinkOption.NOFOLLOW_LINKS)) move(old, finalDir);
        }
        Files.deleteIfExists(staging.resolve(PENDING_LOCK));
    }

    private static void writeSynced(Path file, String text) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot sync a directory; the rename is still atomic
        }
    }

    private void checkOwner(ReleaseRecord r) {
        Ownership o = catalog.ownerOf(r.id()).orElseThrow(() -> new MarketplaceException(Kind.VERIFICATION, r.id() + " has no recorded owner; refusing to install"));
        if (!o.fingerprint().equals(r.fingerprint())) {
            throw new MarketplaceException(Kind.VERIFICATION, r.coordinates() + " is signed by key " + r.fingerprint() + ", but " + r.id() + " belongs to key "
                    + o.fingerprint() + " (" + o.how() + "); refusing to install it");
        }
    }

    private static void move(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /**
     * The project's lockfile entries. An install killed between swapping its directories in and
     * committing its lockfile leaves directories the lockfile does not name; it is rolled back
     * first (under the project's install lock, so an install under way is waited for), as the
     * next install would, so what is read matches what is on disk.
     */
    public static List<Lockfile.Entry> installed(Path target) {
        Path packs = target.resolve(PACKS_DIR);
        if (!stagingDirs(packs).isEmpty()) {
            try (TargetLock ignored = TargetLock.acquire(target)) {
                recover(packs);
            }
        }
        return Lockfile.read(target.resolve(Lockfile.FILE_NAME)).entries();
    }
}
