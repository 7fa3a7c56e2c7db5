package io.ggen.marketplace.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Checks a catalog file before SQLite opens it, so a damaged one is refused instead of being
 * recreated or half-read: an existing file of 0 bytes (SQLite would take it for a new, empty
 * database), a file that does not start with SQLite's header, and one shorter than its header
 * says (truncated), unless a write-ahead log beside it still holds pages (then SQLite itself
 * finishes the file, and the integrity check judges).
 */
final class CatalogFile {
    static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER = 100;

    private CatalogFile() {}

    /** Throws {@link CatalogDamagedException} for a damaged file; a missing one is fine (it is created). */
    static void check(Path file) throws IOException {
        if (!Files.exists(file)) return;
        long size = Files.size(file);
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        boolean walHoldsPages = Files.exists(wal) && Files.size(wal) > 32;
        if (size == 0) {
            if (walHoldsPages) return; // a new database whose pages are all still in the log
            throw new CatalogDamagedException(file, "the file is empty (0 bytes): it was truncated");
        }
        byte[] h = new byte[HEADER];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(h, 0, HEADER);
        }
        if (n < HEADER || !Arrays.equals(Arrays.copyOf(h, MAGIC.length), MAGIC)) {
            throw new CatalogDamagedException(file, "it is not a SQLite database: its header is missing or overwritten");
        }
        int pageSize = ((h[16] & 0xff) << 8) | (h[17] & 0xff);
        if (pageSize == 1) pageSize = 65536;
        long changeCounter = u32(h, 24);
        long pages = u32(h, 28);
        long validFor = u32(h, 92);
        if (pages > 0 && changeCounter == validFor && !walHoldsPages && size < pages * pageSize) {
            throw new CatalogDamagedException(file, "truncated: " + size + " bytes of the " + pages * pageSize + " its header names");
        }
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
