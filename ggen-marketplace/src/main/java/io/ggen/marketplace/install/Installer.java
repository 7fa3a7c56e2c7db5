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
import java.io.IOException;
import java.io.InputStream;
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
 * unpacked are they moved to {@code <target>/.ggen/gpacks/<id>/} and {@code ggen.lock} written;
 * any failure removes the staging directory, so nothing is half-installed.
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

    public List<Installed> install(InstallSpec spec, Path target) {
        Map<String, ReleaseRecord> plan = resolve(spec);
        for (ReleaseRecord r : plan.values()) checkOwner(r);
        Path packs = target.resolve(PACKS_DIR);
        Path staging = packs.resolve(".staging-" + UUID.randomUUID());
        List<Installed> done = new ArrayList<>();
        try {
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
            for (ReleaseRecord r : plan.values()) {
                Path finalDir = packs.resolve(r.id());
                Path old = staging.resolve(".old-" + r.id());
                if (Files.exists(finalDir)) move(finalDir, old);
                move(staging.resolve(r.id()), finalDir);
                done.add(new Installed(r, finalDir, r.id().equals(spec.id())));
            }
            Path lockPath = target.resolve(Lockfile.FILE_NAME);
            Lockfile lock = Lockfile.read(lockPath);
            for (ReleaseRecord r : plan.values()) {
                List<String> deps = new ArrayList<>();
                r.dependencies().forEach((id, range) -> deps.add(id + "@" + range));
                lock.upsert(new Lockfile.Entry(r.id(), r.version(), r.cid().hex(), "cid:" + r.cid(), deps, r.fingerprint()));
            }
            lock.write(lockPath, Instant.now());
            return done;
        } catch (IOException e) {
            throw new MarketplaceException(Kind.IO, "cannot install into " + target + ": " + e.getMessage(), e);
        } finally {
            SafeUnpacker.deleteTree(staging);
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

    /** Reads the project's lockfile and reports each entry with whether its directory exists. */
    public static List<Lockfile.Entry> installed(Path target) {
        return Lockfile.read(target.resolve(Lockfile.FILE_NAME)).entries();
    }
}
