package io.ggen.marketplace.catalog;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.error.MarketplaceException.Kind;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.p2p.crypto.Ed25519PublicKey;
import io.ggen.p2p.crypto.Keys;
import io.ggen.p2p.crypto.PublicKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a damaged catalog: the file (with its write-ahead log) is moved aside, never deleted;
 * a new catalog is created; and every signed record still readable in the damaged file is
 * salvaged into it through the same checks as a record from a peer (signature, owner,
 * immutability): pinned owners first, then releases in the order they were added (so first-use
 * ownership comes out as before), then yanks. Rows behind a damaged page are stepped over.
 * What is lost (releases on damaged pages, reputations, sync cursors) comes back from peers:
 * a node starting on the new catalog syncs every peer's catalog from the beginning. The archives
 * in the store are untouched; each is matched again when its release returns.
 */
public final class CatalogRebuild {
    /** Rows read per query, and damaged spots stepped over before giving up on a table. */
    static final int PAGE = 500;
    static final int MAX_DAMAGED_SPOTS = 1000;

    /** What a rebuild kept: records salvaged into the new catalog, and those that were unreadable or refused. */
    public record Report(Path damagedCopy, int releases, int yanks, int pinnedOwners, int unusable) {}

    private CatalogRebuild() {}

    /** Rebuilds the catalog at {@code file}; the caller makes sure nothing has it open (the node is stopped). */
    public static Report rebuild(Path file) {
        Path abs = file.toAbsolutePath();
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        String base = abs.getFileName().toString().replaceFirst("\\.db$", "");
        Path copy = abs.resolveSibling(base + "-damaged-" + stamp + ".db");
        Salvage found = new Salvage();
        try {
            if (Files.exists(abs)) {
                Files.move(abs, copy, StandardCopyOption.ATOMIC_MOVE);
                for (String suffix : List.of("-wal", "-shm")) {
                    Path side = abs.resolveSibling(abs.getFileName() + suffix);
                    if (Files.exists(side)) Files.move(side, copy.resolveSibling(copy.getFileName() + suffix), StandardCopyOption.ATOMIC_MOVE);
                }
                found = salvage(copy);
            } else {
                copy = null;
            }
        } catch (IOException e) {
            throw new MarketplaceException(Kind.IO, "cannot move the damaged catalog " + abs + " aside: " + e.getMessage(), e);
        }
        int unusable = found.unreadable;
        int releases = 0;
        int yanks = 0;
        int pinned = 0;
        try (Catalog fresh = Catalog.open(abs)) {
            for (Map.Entry<String, List<String>> pin : found.pins.entrySet()) {
                try {
                    PublicKey k = Keys.unmarshalPublic(found.keys.get(pin.getKey()));
                    if (!(k instanceof Ed25519PublicKey key)) continue;
                    fresh.addPublisher(key);
                    pinned += fresh.trust(pin.getKey(), pin.getValue()).size();
                } catch (RuntimeException e) {
                    unusable++;
                }
            }
            for (int from = 0; from < found.releases.size(); from += PAGE) {
                List<byte[]> batch = found.releases.subList(from, Math.min(found.releases.size(), from + PAGE));
                List<SignedRecord> decoded = new ArrayList<>();
                for (byte[] b : batch) {
                    try {
                        decoded.add(SignedRecord.decode(b));
                    } catch (RuntimeException e) {
                        unusable++;
                    }
                }
                try {
                    fresh.addReleases(decoded);
                    releases += decoded.size();
                } catch (RuntimeException e) {
                    // One record of the batch is refused: take them one by one.
                    for (SignedRecord r : decoded) {
                        try {
                            fresh.addRelease(r);
                            releases++;
                        } catch (RuntimeException refused) {
                            unusable++;
                        }
                    }
                }
            }
            for (byte[] b : found.yanks) {
                try {
                    fresh.yank(SignedRecord.decode(b));
                    yanks++;
                } catch (RuntimeException e) {
                    unusable++;
                }
            }
        }
        return new Report(copy, releases, yanks, pinned, unusable);
    }

    /** The signed records and pins read from a damaged file. */
    private static final class Salvage {
        final List<byte[]> releases = new ArrayList<>();
        final List<byte[]> yanks = new ArrayList<>();
        final Map<String, List<String>> pins = new LinkedHashMap<>();
        final Map<String, byte[]> keys = new LinkedHashMap<>();
        int unreadable;
    }

    private static Salvage salvage(Path damaged) {
        Salvage s = new Salvage();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + damaged)) {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT o.package_id, o.fingerprint, p.public_key FROM owners o JOIN publishers p ON p.fingerprint = o.fingerprint
                    WHERE o.how = 'pinned'""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    s.pins.computeIfAbsent(rs.getString(2), f -> new ArrayList<>()).add(rs.getString(1));
                    s.keys.put(rs.getString(2), rs.getBytes(3));
                }
            } catch (SQLException e) {
                s.unreadable++; // the owners are damaged: first use decides again
            }
            s.unreadable += column(c, "record", "", s.releases);
            s.unreadable += column(c, "yank_record", "AND yank_record IS NOT NULL", s.yanks);
        } catch (SQLException e) {
            s.unreadable++; // not even a database any more: everything comes from peers
        }
        return s;
    }

    /** Reads one column of {@code releases} in rowid order, stepping over damaged spots; returns how many spots were hit. */
    private static int column(Connection c, String column, String where, List<byte[]> out) {
        long max;
        try (PreparedStatement ps = c.prepareStatement("SELECT max(rowid) FROM releases"); ResultSet rs = ps.executeQuery()) {
            max = rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("no such table") || m.contains("not a database")) return 1; // nothing to read here
            max = Long.MAX_VALUE / 2; // the last page is damaged: read up to where it fails
        }
        long after = Long.MIN_VALUE;
        long skip = 1;
        int damaged = 0;
        while (damaged < MAX_DAMAGED_SPOTS) {
            int read = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT rowid, " + column + " FROM releases WHERE rowid > ? " + where + " ORDER BY rowid LIMIT " + PAGE)) {
                ps.setLong(1, after);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        after = rs.getLong(1);
                        byte[] b = rs.getBytes(2);
                        if (b != null) out.add(b);
                        read++;
                    }
                }
                if (read == 0) break;
                skip = 1;
            } catch (SQLException e) {
                damaged++;
                if (read > 0) skip = 1;
                after = after == Long.MIN_VALUE ? 0 : after + skip;
                skip = Math.min(skip * 2, 1 << 20);
                if (after >= max) break;
            }
        }
        return damaged;
    }
}
