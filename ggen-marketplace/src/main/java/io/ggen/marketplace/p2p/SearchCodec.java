package io.ggen.marketplace.p2p;

import io.ggen.marketplace.catalog.SearchQuery;
import io.ggen.marketplace.release.CanonicalReader;
import io.ggen.marketplace.release.CanonicalWriter;
import io.ggen.marketplace.release.RecordException;
import io.ggen.marketplace.release.SignedRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages of {@code /ggen/search/1.0.0} in the canonical encoding, without I/O: the query
 * {@code {1: text, 2: category, 3: repeated tag, 4: limit}} and the answer {@code {1: repeated
 * Hit{1: signed release, 2: repeated provider peer id}}}. Decoders refuse with
 * {@link RecordException} only (a query that breaks {@link SearchProtocol.Query}'s rules too).
 */
final class SearchCodec {
    private SearchCodec() {}

    /** One hit of an answer: a signed release record as its publisher signed it, and provider hints. */
    record Hit(byte[] signedRecord, List<byte[]> providers) {
        Hit {
            providers = List.copyOf(providers);
        }
    }

    static byte[] encodeQuery(SearchProtocol.Query q) {
        CanonicalWriter w = new CanonicalWriter().string(1, q.text());
        if (q.category() != null) w.string(2, q.category());
        return w.strings(3, q.tags()).uint(4, q.limit()).toBytes();
    }

    static SearchProtocol.Query decodeQuery(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, "search request");
        String text = r.string(1, SearchQuery.MAX_TEXT);
        String category = r.string(2, 128);
        List<String> tags = r.strings(3, 64, 32);
        long limit = r.uint(4);
        r.end();
        try {
            return new SearchProtocol.Query(text, category.isEmpty() ? null : category, tags, (int) Math.min(SearchProtocol.MAX_HITS, limit));
        } catch (IllegalArgumentException e) {
            throw new RecordException("search request: " + e.getMessage());
        }
    }

    static byte[] encodeHit(Hit hit) {
        return new CanonicalWriter().bytes(1, hit.signedRecord()).messages(2, hit.providers()).toBytes();
    }

    static byte[] encodeAnswer(List<byte[]> encodedHits) {
        return new CanonicalWriter().messages(1, encodedHits).toBytes();
    }

    static List<Hit> decodeAnswer(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, "search answer");
        List<byte[]> hits = r.repeated(1, SignedRecord.MAX_ENCODED + SearchProtocol.MAX_PROVIDERS_PER_HIT * 64 + 64, SearchProtocol.MAX_HITS);
        r.end();
        List<Hit> out = new ArrayList<>(hits.size());
        for (byte[] hit : hits) {
            CanonicalReader h = new CanonicalReader(hit, "search hit");
            byte[] record = h.bytes(1, SignedRecord.MAX_ENCODED);
            List<byte[]> providers = h.repeated(2, 64, SearchProtocol.MAX_PROVIDERS_PER_HIT);
            h.end();
            out.add(new Hit(record, providers));
        }
        return out;
    }
}
