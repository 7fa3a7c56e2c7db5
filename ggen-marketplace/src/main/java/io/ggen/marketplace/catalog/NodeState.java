package io.ggen.marketplace.catalog;

import io.ggen.marketplace.release.SignedRecord;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The node's own bookkeeping kept in the catalog, so it shares its transactions: which of its
 * own releases have been announced (a release published while no node ran is announced when one
 * next starts), and how far the catalog of each peer has been synced.
 */
final class NodeState {
    /** Own releases remembered; beyond this the oldest are forgotten (and at worst re-announced). */
    static final int MAX_ANNOUNCED = 100_000;
    /** Peers whose sync cursor is kept; beyond this the least recently synced are forgotten. */
    static final int MAX_SYNC_CURSORS = 4096;

    private NodeState() {}

    static boolean isAnnounced(Database.Tx tx, String coordinates) throws SQLException {
        return tx.exists("SELECT 1 FROM announced WHERE coordinates = ?", coordinates);
    }

    /** Returns whether it was new. */
    static boolean markAnnounced(Database.Tx tx, String coordinates, long now) throws SQLException {
        if (tx.update("INSERT INTO announced(coordinates, announced_at) VALUES (?, ?) ON CONFLICT DO NOTHING", coordinates, now) == 0) return false;
        tx.update("DELETE FROM announced WHERE seq <= (SELECT max(seq) FROM announced) - ?", MAX_ANNOUNCED);
        return true;
    }

    static Optional<Long> syncCursor(Database.Tx tx, String peerId) throws SQLException {
        return tx.first("SELECT cursor FROM sync_cursors WHERE peer_id = ?", rs -> rs.getLong(1), peerId);
    }

    static void setSyncCursor(Database.Tx tx, String peerId, long cursor, long now) throws SQLException {
        boolean known = syncCursor(tx, peerId).isPresent();
        tx.update("""
                INSERT INTO sync_cursors(peer_id, cursor, updated_at) VALUES (?, ?, ?)
                ON CONFLICT(peer_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at""", peerId, cursor, now);
        if (!known) trimSyncCursors(tx);
    }

    static void trimSyncCursors(Database.Tx tx) throws SQLException {
        if (tx.count("SELECT count(*) FROM sync_cursors") <= MAX_SYNC_CURSORS) return;
        tx.update("DELETE FROM sync_cursors WHERE peer_id IN (SELECT peer_id FROM sync_cursors ORDER BY updated_at DESC, peer_id LIMIT -1 OFFSET ?)",
                MAX_SYNC_CURSORS);
    }

    /** The key under which the announcement of this node's yank of {@code coordinates} is remembered. */
    static String yankKey(String coordinates) {
        return "yank:" + coordinates;
    }

    /**
     * Releases signed by one of {@code fingerprints} (this node's keys) not yet announced, oldest
     * first, then their yank records not yet announced; at most {@code limit} of each.
     */
    static List<SignedRecord> unannounced(Database.Tx tx, Collection<String> fingerprints, int limit) throws SQLException {
        if (fingerprints.isEmpty()) return List.of();
        String in = String.join(", ", Collections.nCopies(fingerprints.size(), "?"));
        List<Object> args = new ArrayList<>(fingerprints);
        args.add(limit);
        List<SignedRecord> out = new ArrayList<>(tx.list("SELECT record FROM releases r WHERE r.fingerprint IN (" + in + ")"
                + " AND NOT EXISTS (SELECT 1 FROM announced a WHERE a.coordinates = r.package_id || '@' || r.version) ORDER BY r.sync_seq LIMIT ?",
                rs -> SignedRecord.decode(rs.getBytes(1)), args.toArray()));
        out.addAll(tx.list("SELECT yank_record FROM releases r WHERE r.fingerprint IN (" + in + ") AND r.yank_record IS NOT NULL"
                + " AND NOT EXISTS (SELECT 1 FROM announced a WHERE a.coordinates = 'yank:' || r.package_id || '@' || r.version) ORDER BY r.sync_seq LIMIT ?",
                rs -> SignedRecord.decode(rs.getBytes(1)), args.toArray()));
        return out;
    }
}
