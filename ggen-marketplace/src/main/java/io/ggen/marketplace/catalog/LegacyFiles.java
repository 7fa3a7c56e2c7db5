package io.ggen.marketplace.catalog;

import io.ggen.p2p.crypto.PeerId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's state files from before schema 2, read once into the catalog: {@code announced.txt}
 * (one {@code id@version} per line) and {@code catalog-sync.txt} ("peer-id cursor" lines). After the
 * import has committed they are renamed {@code *.migrated}, never deleted. A damaged line is skipped,
 * as the old readers did: at worst a release is announced again or a peer synced from the start.
 */
final class LegacyFiles {
    private static final Logger log = LoggerFactory.getLogger(LegacyFiles.class);
    static final String ANNOUNCED = "announced.txt";
    static final String SYNC_CURSORS = "catalog-sync.txt";
    private static final long MAX_FILE = 64L << 20;
    private static final Pattern COORDINATES = Pattern.compile("[A-Za-z0-9._-]{1,128}@[0-9A-Za-z.+-]{1,128}");

    private LegacyFiles() {}

    private static List<String> lines(Path file) {
        try {
            if (Files.size(file) > MAX_FILE) return List.of();
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read {}: {}; not imported", file, e.toString());
            return List.of();
        }
    }

    static int importAnnounced(Database.Tx tx, Path file) throws SQLException {
        int n = 0;
        long now = System.currentTimeMillis();
        for (String l : lines(file)) {
            String c = l.trim();
            if (COORDINATES.matcher(c).matches()) n += NodeState.markAnnounced(tx, c, now) ? 1 : 0;
        }
        return n;
    }

    static int importSyncCursors(Database.Tx tx, Path file) throws SQLException {
        int n = 0;
        long now = System.currentTimeMillis();
        for (String line : lines(file)) {
            String[] f = line.trim().split(" ");
            if (f.length != 2) continue;
            try {
                long cursor = Long.parseLong(f[1]);
                String peer = PeerId.fromString(f[0]).toString();
                if (cursor < 0) continue;
                // Never move a cursor backwards: the table may already know more.
                tx.update("""
                        INSERT INTO sync_cursors(peer_id, cursor, updated_at) VALUES (?, ?, ?)
                        ON CONFLICT(peer_id) DO UPDATE SET cursor = max(cursor, excluded.cursor)""", peer, cursor, now);
                n++;
            } catch (RuntimeException e) {
                log.warn("{}: skipping a damaged line", file);
            }
        }
        NodeState.trimSyncCursors(tx);
        return n;
    }

    /** Renames imported files to {@code *.migrated} (after the import committed). */
    static void retireAll(Path dataDir) {
        for (String name : List.of(ANNOUNCED, SYNC_CURSORS)) retire(dataDir.resolve(name));
    }

    static void retire(Path file) {
        if (!Files.exists(file)) return;
        try {
            Files.move(file, file.resolveSibling(file.getFileName() + ".migrated"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // Harmless: the data is in the catalog; the file is only read by a migration.
            log.warn("cannot rename {} after importing it: {}", file, e.toString());
        }
    }
}
