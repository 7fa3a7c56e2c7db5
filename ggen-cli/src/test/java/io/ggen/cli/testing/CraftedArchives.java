package io.ggen.cli.testing;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Archives our packer would never make (links, escaping names, bombs, names in other
 * encodings), and the signed releases that carry them, as a hostile or careless peer could send.
 */
public final class CraftedArchives {
    private CraftedArchives() {}

    /** Writes the entries of one archive. */
    public interface Entries {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    /** A tar.gz whose header names are written in {@code encoding} (PAX for long names). */
    public static byte[] tarGz(String encoding, Entries entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes), encoding)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entries.write(tar);
        }
        return bytes.toByteArray();
    }

    public static byte[] tarGz(Entries entries) throws IOException {
        return tarGz("UTF-8", entries);
    }

    public static void file(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    public static void symlink(TarArchiveOutputStream tar, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    /**
     * Puts {@code archive} in the store of the data directory {@code home} and catalogs
     * {@code id}@1.0.0 for it, validly signed by that directory's default key: what a peer could
     * send, so that only the unpacker stands between it and the project.
     */
    public static void plantRelease(Path home, String id, byte[] archive) {
        MarketplaceHome h = new MarketplaceHome(home);
        Ed25519PrivateKey key = h.keys().load("default");
        ContentId cid = h.store().put(archive);
        ReleaseRecord r = new ReleaseRecord(id, "1.0.0", cid, archive.length, "Crafted", "A crafted archive", "MIT", ">=0.1", new TreeMap<>(),
                List.of(), List.of(), List.of(), List.of(), null, null, key.publicKey(), System.currentTimeMillis());
        try (Catalog catalog = h.openCatalog()) {
            catalog.addRelease(SignedRecord.sign(r, key));
        }
    }
}
