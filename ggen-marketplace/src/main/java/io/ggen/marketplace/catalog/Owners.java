package io.ggen.marketplace.catalog;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.error.MarketplaceException.Kind;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Publisher keys and package owners as stored ({@code publishers}, {@code owners}); {@link TrustPolicy} decides. */
final class Owners {
    private Owners() {}

    static Optional<Ownership> ownerOf(Database.Tx tx, String id) throws SQLException {
        return tx.first("SELECT fingerprint, how, since FROM owners WHERE package_id = ?",
                rs -> new Ownership(id, rs.getString(1), rs.getString(2), rs.getLong(3)), id);
    }

    static void put(Database.Tx tx, Ownership o) throws SQLException {
        tx.update("""
                INSERT INTO owners(package_id, fingerprint, how, since) VALUES (?, ?, ?, ?)
                ON CONFLICT(package_id) DO UPDATE SET fingerprint = excluded.fingerprint, how = excluded.how, since = excluded.since""",
                o.packageId(), o.fingerprint(), o.how(), o.sinceMillis());
    }

    static void addPublisher(Database.Tx tx, String fingerprint, byte[] publicKey, long seen) throws SQLException {
        tx.update("INSERT INTO publishers(fingerprint, public_key, first_seen) VALUES (?, ?, ?) ON CONFLICT(fingerprint) DO NOTHING",
                fingerprint, publicKey, seen);
    }

    static boolean knowsPublisher(Database.Tx tx, String fingerprint) throws SQLException {
        return tx.exists("SELECT 1 FROM publishers WHERE fingerprint = ?", fingerprint);
    }

    /** Pins the key as owner of the ids (all it released, if none given) and marks it trusted. */
    static List<String> trust(Database.Tx tx, String fingerprint, List<String> packageIds, long now) throws SQLException {
        if (tx.update("UPDATE publishers SET trusted = 1 WHERE fingerprint = ?", fingerprint) == 0) {
            throw new MarketplaceException(Kind.NOT_FOUND, "no publisher with fingerprint " + fingerprint + " in the catalog; import its public key"
                    + " with 'ggen marketplace trust --import <file>' or publish/receive one of its releases first");
        }
        List<String> ids = new ArrayList<>(packageIds);
        if (ids.isEmpty()) ids.addAll(tx.list("SELECT DISTINCT package_id FROM releases WHERE fingerprint = ? ORDER BY package_id", rs -> rs.getString(1), fingerprint));
        for (String id : ids) put(tx, TrustPolicy.pin(id, fingerprint, now));
        return ids;
    }

    static List<Catalog.Publisher> publishers(Database.Tx tx) throws SQLException {
        return tx.list("""
                SELECT p.fingerprint, p.trusted, p.first_seen, group_concat(o.package_id, ' ') FROM publishers p
                LEFT JOIN owners o ON o.fingerprint = p.fingerprint GROUP BY p.fingerprint ORDER BY p.fingerprint""", rs -> {
            String owns = rs.getString(4);
            List<String> list = owns == null ? List.of() : Arrays.stream(owns.split(" ")).sorted().toList();
            return new Catalog.Publisher(rs.getString(1), rs.getInt(2) != 0, rs.getLong(3), list);
        });
    }
}
