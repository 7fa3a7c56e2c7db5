package io.ggen.marketplace.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.release.RecordException;
import io.ggen.marketplace.release.SignedRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The marketplace protocols' messages as peers send them: catalog requests and pages, search
 * queries and answers, fetch requests and answer headers, and the signed records they carry,
 * which every path hands to {@link ReleaseIntake}. The encoding is canonical, so: only
 * {@link RecordException} escapes a decoder, whatever decodes re-encodes to exactly the input
 * (clamped values aside), and the intake answers every input with an outcome (never throws),
 * rejecting whatever is not a correctly signed release or yank.
 */
class ProtocolMessagesFuzzTest {
    private static final String AUTHOR = io.ggen.p2p.crypto.PeerId.fromPublicKey(io.ggen.p2p.crypto.Ed25519PrivateKey.fromSeed(new byte[32]).publicKey()).toString();
    private static Catalog catalog;
    private static ReleaseIntake intake;

    private static synchronized ReleaseIntake intake() {
        if (intake == null) {
            try {
                Path dir = Files.createTempDirectory("ggen-fuzz-catalog");
                dir.toFile().deleteOnExit();
                catalog = Catalog.open(dir.resolve("catalog.db"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            intake = new ReleaseIntake(catalog);
        }
        return intake;
    }

    @FuzzTest
    void catalogRequest(byte[] input) {
        try {
            CatalogSyncCodec.Request r = CatalogSyncCodec.decodeRequest(input);
            assertThat(r.limit()).isBetween(1, CatalogSync.MAX_PAGE);
            assertThat(CatalogSyncCodec.decodeRequest(CatalogSyncCodec.encodeRequest(r))).isEqualTo(r);
        } catch (RecordException refused) {
            // the documented refusal
        }
    }

    @FuzzTest
    void catalogPage(byte[] input) {
        // The first byte picks the version (1.0.0 pages, or 1.1.0 pages with provider hints).
        if (input.length == 0) return;
        boolean hints = (input[0] & 1) == 1;
        input = java.util.Arrays.copyOfRange(input, 1, input.length);
        CatalogSyncCodec.Page page;
        try {
            page = CatalogSyncCodec.decodePage(input, hints);
        } catch (RecordException refused) {
            return;
        }
        assertThat(page.records()).hasSizeLessThanOrEqualTo(CatalogSync.MAX_PAGE * 2);
        assertThat(page.held().length()).isLessThanOrEqualTo(page.records().size());
        assertThat(CatalogSyncCodec.encodePage(page, hints)).isEqualTo(input);
        for (byte[] record : page.records()) {
            ReleaseIntake.Result res = intake().accept(record, null);
            assertThat(res.outcome()).isNotNull();
        }
    }

    @FuzzTest
    void searchQuery(byte[] input) {
        try {
            SearchProtocol.Query q = SearchCodec.decodeQuery(input);
            assertThat(q.limit()).isBetween(1, SearchProtocol.MAX_HITS);
            assertThat(SearchCodec.decodeQuery(SearchCodec.encodeQuery(q))).isEqualTo(q);
        } catch (RecordException refused) {
            // the documented refusal
        }
    }

    @FuzzTest
    void searchAnswer(byte[] input) {
        List<SearchCodec.Hit> hits;
        try {
            hits = SearchCodec.decodeAnswer(input);
        } catch (RecordException refused) {
            return;
        }
        assertThat(hits).hasSizeLessThanOrEqualTo(SearchProtocol.MAX_HITS);
        assertThat(SearchCodec.encodeAnswer(hits.stream().map(SearchCodec::encodeHit).toList())).isEqualTo(input);
        for (SearchCodec.Hit h : hits) intake().accept(h.signedRecord(), null);
    }

    @FuzzTest
    void fetchRequest(byte[] input) {
        try {
            FetchCodec.Request r = FetchCodec.decodeRequest(input);
            assertThat(FetchCodec.encodeRequest(r)).isEqualTo(input);
        } catch (RecordException refused) {
            // the documented refusal
        }
    }

    @FuzzTest
    void fetchHeader(byte[] input) {
        try {
            FetchCodec.Header h = FetchCodec.decodeHeader(input);
            assertThat(h.message()).hasSizeLessThanOrEqualTo(FetchCodec.MAX_MESSAGE);
            assertThat(FetchCodec.encodeHeader(h)).isEqualTo(input);
        } catch (RecordException refused) {
            // the documented refusal
        }
    }

    /** Gossip, catalog sync and search all end here: any bytes get an outcome, never an exception. */
    @FuzzTest
    void intake(byte[] input) {
        ReleaseIntake.Result res = intake().accept(input, AUTHOR);
        assertThat(res.outcome()).isNotNull();
        if (res.outcome() != ReleaseIntake.Outcome.REJECTED) {
            // accepted or known: it was a signed record that opens
            SignedRecord s = SignedRecord.decode(input);
            assertThat(s.type()).isIn(io.ggen.marketplace.release.ReleaseRecord.TYPE, io.ggen.marketplace.release.YankRecord.TYPE);
        }
    }
}
