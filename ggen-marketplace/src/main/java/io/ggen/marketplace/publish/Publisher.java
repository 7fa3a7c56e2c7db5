package io.ggen.marketplace.publish;

import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.archive.PackArchiver;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.ReleaseRow;
import io.ggen.marketplace.content.ContentStore;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.error.MarketplaceException.Kind;
import io.ggen.marketplace.manifest.GpackManifest;
import io.ggen.marketplace.manifest.ManifestException;
import io.ggen.marketplace.manifest.ManifestParser;
import io.ggen.marketplace.manifest.ManifestProblem;
import io.ggen.marketplace.manifest.ManifestVersion;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.marketplace.release.YankRecord;
import io.ggen.marketplace.version.Version;
import io.ggen.marketplace.version.VersionException;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Publishing on the local node: validate the manifest, pack, check id@version against the
 * catalog, sign, store the archive (atomic rename), then record the release (one SQLite
 * transaction). A crash between the last two leaves an unreferenced object, which is harmless
 * and which {@code doctor} removes; never a release without its bytes.
 */
public final class Publisher {
    private final ContentStore store;
    private final Catalog catalog;

    public record Published(ReleaseRecord release, SignedRecord signed, boolean alreadyPresent, List<ManifestProblem> warnings) {}

    public Publisher(ContentStore store, Catalog catalog) {
        this.store = store;
        this.catalog = catalog;
    }

    /** Loads a pack directory's manifest (problems and lint warnings included). */
    public static ManifestParser.Loaded load(Path dir) {
        return ManifestParser.load(dir);
    }

    public Published publish(Path dir, String versionOverride, boolean skipVerify, Ed25519PrivateKey key, ArchiveLimits limits) {
        ManifestParser.Loaded loaded = ManifestParser.load(dir);
        GpackManifest m = skipVerify ? loaded.ignoringLint() : loaded.manifest();
        if (m == null) throw new ManifestException(loaded.problems());
        Version version = m.version();
        if (versionOverride != null) {
            try {
                version = Version.parse(versionOverride);
            } catch (VersionException e) {
                throw new io.ggen.marketplace.error.InvalidRequestException("version", e.getMessage());
            }
        }
        Version v = version;
        // The archive's manifest says the version released: with a version of its own, publish
        // writes it into the packed gpack.toml (the directory is left as it is).
        Map<String, byte[]> replaced = v.toString().equals(m.version().toString()) ? Map.of() : Map.of(ManifestParser.FILE_NAME, manifestWith(dir, m, v));
        try (ContentStore.Staged staged = store.stage(out -> PackArchiver.pack(dir, loaded.coveredFiles(), limits, out, replaced))) {
            ReleaseRecord record = ReleaseRecord.of(m, v, staged.id(), staged.size(), key.publicKey(), System.currentTimeMillis());
            for (ReleaseRow existing : catalog.releases(m.id())) {
                if (!existing.record().parsedVersion().equals(v)) continue;
                if (existing.record().cid().equals(staged.id()) && existing.record().version().equals(v.toString())) {
                    if (!store.contains(staged.id())) staged.commit(); // repair a missing object
                    return new Published(existing.record(), existing.signed(), true, loaded.warnings());
                }
                throw new MarketplaceException(Kind.CONFLICT, m.id() + "@" + existing.record().version() + " is already released as " + existing.record().cid()
                        + " and this directory packs to " + staged.id() + "; a released version never changes. Bump the version in gpack.toml or publish it as another version");
            }
            catalog.check(record); // ownership and immutability, before anything is stored
            SignedRecord signed = SignedRecord.sign(record, key);
            staged.commit();
            Catalog.Added added = catalog.addRelease(signed);
            return new Published(record, signed, added == Catalog.Added.ALREADY_PRESENT, loaded.warnings());
        }
    }

    private static byte[] manifestWith(Path dir, GpackManifest m, Version v) {
        Path file = dir.resolve(ManifestParser.FILE_NAME);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MarketplaceException(Kind.IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return ManifestVersion.rewrite(text, v).orElseThrow(() -> new MarketplaceException(Kind.INVALID, "the version to publish (" + v
                        + ") differs from the manifest's (" + m.version() + "), and " + file + " does not write its version as a plain string that can be set; write version = \""
                        + v + "\" in it")).getBytes(StandardCharsets.UTF_8);
    }

    /** A yank as recorded: the record, its signed form, and whether the release was yanked already (then the stored yank). */
    public record Yanked(YankRecord record, SignedRecord signed, boolean alreadyYanked) {}

    /** Signs and records a yank of id@version with the owner's key (the stored yank if it was yanked already). */
    public Yanked yank(String id, Version version, String reason, Ed25519PrivateKey key) {
        ReleaseRow row = catalog.release(id, version).orElseThrow(() -> new MarketplaceException(Kind.NOT_FOUND, "no release " + id + "@" + version + " in the catalog"));
        java.util.Optional<SignedRecord> stored = catalog.signedYank(id, version);
        if (stored.isPresent()) return new Yanked(stored.get().openYank(), stored.get(), true);
        YankRecord y = new YankRecord(id, row.record().version(), row.record().cid(), reason == null ? "" : reason, key.publicKey(), System.currentTimeMillis());
        SignedRecord signed = SignedRecord.sign(y, key);
        catalog.yank(signed);
        return new Yanked(y, signed, false);
    }
}
