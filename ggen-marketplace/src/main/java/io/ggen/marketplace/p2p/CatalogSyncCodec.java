package io.ggen.marketplace.p2p;

import io.ggen.marketplace.release.CanonicalReader;
import io.ggen.marketplace.release.CanonicalWriter;
import io.ggen.marketplace.release.RecordException;
import io.ggen.marketplace.release.SignedRecord;
import java.util.BitSet;
import java.util.List;

/**
 * The messages of catalog sync, bytes to records and back; pure (no I/O, no catalog). Both
 * versions share the request {1: cursor, 2: limit}. A page is {1: repeated signed record, 2: next
 * cursor, 3: done} in {@code /ggen/catalog/1.0.0}; {@code /ggen/catalog/1.1.0} adds
 * {4: provider hints}, a bitmap over field 1 (bit {@code i}, least significant bit first in byte
 * {@code i / 8}) set when the serving peer holds the archive of record {@code i} in its own store.
 * A peer vouches only for itself: it cannot name others as providers through sync.
 *
 * <p>Decoding is strict, as the canonical reader is everywhere: a 1.0.0 page with field 4 is
 * refused (1.0.0 readers refuse unknown fields, which is why hints needed a new version), and so
 * is a bitmap longer than its records need, with a zero last byte, or with a bit past the last
 * record.
 */
final class CatalogSyncCodec {
    private CatalogSyncCodec() {}

    static final String V1_0 = "/ggen/catalog/1.0.0";
    static final String V1_1 = "/ggen/catalog/1.1.0";
    /** Records a page may carry, whatever the request asked. */
    static final int MAX_PAGE = 500;
    /** A page's bytes at most. */
    static final int MAX_ANSWER = 4 << 20;
    static final int MAX_REQUEST = 64;

    /** Which version a protocol id is; {@link #V1_1} pages carry hints. */
    static boolean hasHints(String protocol) {
        return V1_1.equals(protocol);
    }

    record Request(long cursor, int limit) {
        Request {
            if (cursor < 0) throw new IllegalArgumentException("negative cursor");
            limit = Math.min(MAX_PAGE, Math.max(1, limit));
        }
    }

    /**
     * One page: records in sync order, the cursor after them, whether the catalog ends there, and
     * which records' archives the serving peer holds (always empty in 1.0.0).
     */
    record Page(List<byte[]> records, long nextCursor, boolean done, BitSet held) {
        Page {
            records = List.copyOf(records);
            held = (BitSet) held.clone();
            if (held.length() > records.size()) throw new IllegalArgumentException("a hint for a record the page does not carry");
        }
    }

    static byte[] encodeRequest(Request r) {
        return new CanonicalWriter().uint(1, r.cursor()).uint(2, r.limit()).toBytes();
    }

    /** @throws RecordException for anything but the one encoding of a request */
    static Request decodeRequest(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, "catalog request");
        long cursor = r.uint(1);
        long limit = r.uint(2);
        r.end();
        // Cursors are sequence numbers below 2^63; a larger varint reads as negative here.
        if (cursor < 0) throw new RecordException("catalog request: cursor beyond 2^63");
        return new Request(cursor, (int) Math.min(MAX_PAGE, limit));
    }

    static byte[] encodePage(Page p, boolean hints) {
        CanonicalWriter w = new CanonicalWriter().messages(1, p.records()).uint(2, p.nextCursor()).bool(3, p.done());
        if (hints) w.bytes(4, p.held().toByteArray());
        else if (!p.held().isEmpty()) throw new IllegalArgumentException("a 1.0.0 page carries no hints");
        return w.toBytes();
    }

    /** @throws RecordException for anything but the one encoding of a page of this version */
    static Page decodePage(byte[] bytes, boolean hints) {
        CanonicalReader r = new CanonicalReader(bytes, "catalog page");
        List<byte[]> records = r.repeated(1, SignedRecord.MAX_ENCODED, MAX_PAGE * 2);
        long next = r.uint(2);
        boolean done = r.bool(3);
        BitSet held = new BitSet();
        if (hints) {
            // A record and its yank make at most two entries per row, so the bitmap's bound is known before reading it.
            byte[] bitmap = r.bytes(4, (MAX_PAGE * 2 + 7) / 8);
            if (bitmap.length > (records.size() + 7) / 8) throw new RecordException("catalog page: hint bitmap longer than its " + records.size() + " records");
            if (bitmap.length > 0 && bitmap[bitmap.length - 1] == 0) throw new RecordException("catalog page: hint bitmap ends in a zero byte");
            held = BitSet.valueOf(bitmap);
            if (held.length() > records.size()) throw new RecordException("catalog page: a hint for record " + (held.length() - 1) + " of " + records.size());
        }
        r.end();
        return new Page(records, next, done, held);
    }
}
