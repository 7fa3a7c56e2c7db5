package io.ggen.marketplace.p2p;

import io.ggen.marketplace.release.CanonicalReader;
import io.ggen.marketplace.release.CanonicalWriter;
import io.ggen.marketplace.release.RecordException;
import io.ggen.marketplace.release.SignedRecord;
import java.util.List;

/**
 * The messages of {@code /ggen/catalog/1.0.0} in the canonical encoding, without I/O: the request
 * {@code {1: cursor, 2: limit}} and the page {@code {1: repeated signed record, 2: next cursor,
 * 3: done}}. Decoders refuse with {@link RecordException} only.
 */
final class CatalogSyncCodec {
    /** Longest request: two varints and their tags. */
    static final int MAX_REQUEST = 64;

    private CatalogSyncCodec() {}

    /** A page request; {@code limit} is already within 1..{@link CatalogSync#MAX_PAGE}. */
    record Request(long cursor, int limit) {}

    /** One page of signed records and where the next one starts. */
    record Page(List<byte[]> records, long nextCursor, boolean done) {
        Page {
            records = List.copyOf(records);
        }
    }

    static byte[] encodeRequest(long cursor, int limit) {
        return new CanonicalWriter().uint(1, cursor).uint(2, limit).toBytes();
    }

    /** Decodes a request; a limit out of range is clamped, as a server answers what it can. */
    static Request decodeRequest(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, "catalog request");
        long cursor = r.uint(1);
        int limit = (int) Math.min(CatalogSync.MAX_PAGE, Math.max(1, r.uint(2)));
        r.end();
        return new Request(cursor, limit);
    }

    static byte[] encodePage(Page page) {
        return new CanonicalWriter().messages(1, page.records()).uint(2, page.nextCursor()).bool(3, page.done()).toBytes();
    }

    static Page decodePage(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, "catalog page");
        List<byte[]> records = r.repeated(1, SignedRecord.MAX_ENCODED, CatalogSync.MAX_PAGE * 2);
        long next = r.uint(2);
        boolean done = r.bool(3);
        r.end();
        return new Page(records, next, done);
    }
}
