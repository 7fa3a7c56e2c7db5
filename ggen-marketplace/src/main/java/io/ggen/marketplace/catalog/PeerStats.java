package io.ggen.marketplace.catalog;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Peers, their retrieval history (reputation) and which CIDs they provide. Both tables are fed by
 * the network, so both are bounded: {@link Catalog#MAX_PROVIDERS_PER_CID} providers per CID
 * (trimmed as each is added, by the CID's primary key), and about {@link Catalog#MAX_PEERS} peers:
 * the peer table is trimmed to the most recently seen when {@link #TRIM_EVERY} new peers have
 * been added since the last trim (and on open), not on every update.
 */
final class PeerStats {
    /** New peers between two trims of the peer table; it holds at most MAX_PEERS + this many. */
    static final int TRIM_EVERY = 500;

    private final int maxPeers;
    private final int trimEvery;
    private final AtomicInteger addedSinceTrim = new AtomicInteger();

    PeerStats(int maxPeers, int trimEvery) {
        this.maxPeers = maxPeers;
        this.trimEvery = trimEvery;
    }

    /** Records that the peer was seen; returns whether it was new. */
    boolean touch(Database.Tx tx, String peerId, long now) throws SQLException {
        if (tx.update("UPDATE peers SET last_seen = ? WHERE peer_id = ?", now, peerId) > 0) return false;
        tx.update("INSERT INTO peers(peer_id, last_seen) VALUES (?, ?)", peerId, now);
        if (addedSinceTrim.incrementAndGet() >= trimEvery) trim(tx);
        return true;
    }

    /** Keeps the {@code maxPeers} most recently seen peers (with their providers' rows). */
    int trim(Database.Tx tx) throws SQLException {
        addedSinceTrim.set(0);
        int n = tx.update("DELETE FROM peers WHERE peer_id IN (SELECT peer_id FROM peers ORDER BY last_seen DESC, peer_id LIMIT -1 OFFSET ?)", maxPeers);
        if (n > 0) tx.update("DELETE FROM providers WHERE peer_id NOT IN (SELECT peer_id FROM peers)");
        return n;
    }

    /**
     * Adds (or refreshes) a provider of {@code cid}. Over the bound, providers that never served
     * verified bytes (no successful retrieval) go first, least recently seen first: a proven
     * provider is never evicted by an unproven one, and when every kept provider is proven an
     * unproven newcomer is itself the one left out.
     */
    void addProvider(Database.Tx tx, String cid, String peerId, long now) throws SQLException {
        addProvider(tx, cid, peerId, now, null);
    }

    /**
     * {@link #addProvider(Database.Tx, String, String, long)}, touching the peer only when it is
     * not in {@code touched} (the peers this transaction has touched already, when given): a
     * page of a catalog sync names one provider for all its releases.
     */
    void addProvider(Database.Tx tx, String cid, String peerId, long now, java.util.Set<String> touched) throws SQLException {
        if (touched == null || touched.add(peerId)) touch(tx, peerId, now);
        tx.update("INSERT INTO providers(cid, peer_id, last_seen) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET last_seen = excluded.last_seen", cid, peerId, now);
        tx.update("DELETE FROM providers WHERE cid = ? AND peer_id NOT IN (SELECT pr.peer_id FROM providers pr LEFT JOIN peers pe ON pe.peer_id = pr.peer_id"
                        + " WHERE pr.cid = ? ORDER BY (COALESCE(pe.successful, 0) > 0) DESC, pr.last_seen DESC, pr.peer_id LIMIT ?)",
                cid, cid, Catalog.MAX_PROVIDERS_PER_CID);
    }

    void recordRetrieval(Database.Tx tx, String peerId, boolean success, long now) throws SQLException {
        touch(tx, peerId, now);
        tx.update(success ? "UPDATE peers SET successful = successful + 1 WHERE peer_id = ?" : "UPDATE peers SET failed = failed + 1 WHERE peer_id = ?", peerId);
    }

    /** Providers of a CID, best reputation first. */
    static List<PeerReputation> providers(Database.Tx tx, String cid) throws SQLException {
        List<PeerReputation> out = new ArrayList<>(tx.list(
                "SELECT pe.peer_id, pe.successful, pe.failed, pe.last_seen FROM providers pr JOIN peers pe ON pe.peer_id = pr.peer_id WHERE pr.cid = ?",
                rs -> new PeerReputation(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)), cid));
        out.sort(Comparator.comparingDouble(PeerReputation::reputation).reversed().thenComparing(PeerReputation::peerId));
        return out;
    }

    static PeerReputation peer(Database.Tx tx, String peerId) throws SQLException {
        return tx.first("SELECT successful, failed, last_seen FROM peers WHERE peer_id = ?",
                rs -> new PeerReputation(peerId, rs.getLong(1), rs.getLong(2), rs.getLong(3)), peerId).orElse(new PeerReputation(peerId, 0, 0, 0));
    }

    static int providedCount(Database.Tx tx, String peerId) throws SQLException {
        return (int) tx.count("SELECT COUNT(*) FROM providers WHERE peer_id = ?", peerId);
    }

    static long peerCount(Database.Tx tx) throws SQLException {
        return tx.count("SELECT count(*) FROM peers");
    }
}
