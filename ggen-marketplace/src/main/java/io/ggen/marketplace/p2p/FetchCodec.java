package io.ggen.marketplace.p2p;

import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.release.CanonicalReader;
import io.ggen.marketplace.release.CanonicalWriter;
import io.ggen.marketplace.release.RecordException;

/**
 * The messages of {@code /ggen/fetch/1.0.0} in the canonical encoding, without I/O: the request
 * {@code {1: cid, 2: offset, 3: length (0: to the end)}} and the answer's header
 * {@code {1: status, 2: total size, 3: message}}. Decoders refuse with {@link RecordException} only.
 */
final class FetchCodec {
    static final int MAX_MESSAGE = 512;

    private FetchCodec() {}

    record Request(ContentId cid, long offset, long length) {}

    /** A response header. */
    record Header(int status, long total, String message) {}

    static byte[] encodeRequest(Request r) {
        return new CanonicalWriter().bytes(1, r.cid().bytes()).uint(2, r.offset()).uint(3, r.length()).toBytes();
    }

    static Request decodeRequest(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, "fetch request");
        byte[] cidBytes = r.bytes(1, 64);
        long offset = r.uint(2);
        long length = r.uint(3);
        r.end();
        ContentId cid;
        try {
            cid = ContentId.fromBytes(cidBytes);
        } catch (RuntimeException e) {
            throw new RecordException("fetch request: not a content id: " + e.getMessage());
        }
        return new Request(cid, offset, length);
    }

    static byte[] encodeHeader(Header h) {
        return new CanonicalWriter().uint(1, h.status()).uint(2, h.total()).string(3, h.message()).toBytes();
    }

    static Header decodeHeader(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, "fetch answer");
        long status = r.uint(1);
        long total = r.uint(2);
        String msg = r.string(3, MAX_MESSAGE);
        r.end();
        if (status > Integer.MAX_VALUE) throw new RecordException("fetch answer: status " + status + " is out of range");
        return new Header((int) status, total, msg);
    }
}
