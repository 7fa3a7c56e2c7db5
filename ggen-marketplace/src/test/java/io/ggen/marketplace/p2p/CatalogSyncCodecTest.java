package io.ggen.marketplace.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.ggen.marketplace.release.CanonicalWriter;
import io.ggen.marketplace.release.RecordException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The catalog-sync messages: both versions' pages, and pages a hostile peer could send. */
class CatalogSyncCodecTest {
    static List<byte[]> records(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(("record " + i).getBytes());
        return out;
    }

    static BitSet bits(int... set) {
        BitSet b = new BitSet();
        for (int i : set) b.set(i);
        return b;
    }

    /** A page as a 1.0.0 node writes it (fields 1 to 3, nothing else). */
    static byte[] oldPage(List<byte[]> records, long next, boolean done) {
        return new CanonicalWriter().messages(1, records).uint(2, next).bool(3, done).toBytes();
    }

    @Test
    void aPageOf110RoundTripsWithItsHints() {
        CatalogSyncCodec.Page page = new CatalogSyncCodec.Page(records(11), 42, false, bits(0, 3, 10));
        CatalogSyncCodec.Page back = CatalogSyncCodec.decodePage(CatalogSyncCodec.encodePage(page, true), true);
        assertThat(back.records()).containsExactlyElementsOf(page.records());
        assertThat(back.nextCursor()).isEqualTo(42);
        assertThat(back.done()).isFalse();
        assertThat(back.held()).isEqualTo(bits(0, 3, 10));
        // No record held: the field is left out, as every default is.
        byte[] none = CatalogSyncCodec.encodePage(new CatalogSyncCodec.Page(records(3), 7, true, new BitSet()), true);
        assertThat(none).isEqualTo(oldPage(records(3), 7, true));
        assertThat(CatalogSyncCodec.decodePage(none, true).held()).isEqualTo(new BitSet());
    }

    @Test
    void aPageOf100IsStillReadAndWrittenAsBefore() {
        byte[] old = oldPage(records(5), 9, true);
        CatalogSyncCodec.Page page = CatalogSyncCodec.decodePage(old, false);
        assertThat(page.records()).hasSize(5);
        assertThat(page.nextCursor()).isEqualTo(9);
        assertThat(page.done()).isTrue();
        assertThat(page.held()).isEqualTo(new BitSet());
        assertThat(CatalogSyncCodec.encodePage(page, false)).isEqualTo(old);
        // A 1.1.0 node reads a page without hints too (it holds none of them).
        assertThat(CatalogSyncCodec.decodePage(old, true).records()).hasSize(5);
        // The request did not change.
        CatalogSyncCodec.Request req = CatalogSyncCodec.decodeRequest(new CanonicalWriter().uint(1, 77).uint(2, 500).toBytes());
        assertThat(req).isEqualTo(new CatalogSyncCodec.Request(77, 500));
        assertThat(CatalogSyncCodec.encodeRequest(req)).isEqualTo(new CanonicalWriter().uint(1, 77).uint(2, 500).toBytes());
    }

    @Test
    void hintsAreRefusedIn100AndWhereverTheyDoNotFitThePage() {
        byte[] withHints = CatalogSyncCodec.encodePage(new CatalogSyncCodec.Page(records(4), 3, false, bits(1)), true);
        // 1.0.0 readers refuse an unknown field: the reason hints needed a version of their own.
        assertThatThrownBy(() -> CatalogSyncCodec.decodePage(withHints, false)).isInstanceOf(RecordException.class);
        assertThatThrownBy(() -> CatalogSyncCodec.encodePage(new CatalogSyncCodec.Page(records(4), 3, false, bits(1)), false))
                .isInstanceOf(IllegalArgumentException.class);

        byte[] bitPastTheRecords = new CanonicalWriter().messages(1, records(4)).uint(2, 3).bytes(4, new byte[] {0x10}).toBytes();
        assertThatThrownBy(() -> CatalogSyncCodec.decodePage(bitPastTheRecords, true)).isInstanceOf(RecordException.class).hasMessageContaining("record 4 of 4");
        byte[] longerThanNeeded = new CanonicalWriter().messages(1, records(4)).uint(2, 3).bytes(4, new byte[] {1, 1}).toBytes();
        assertThatThrownBy(() -> CatalogSyncCodec.decodePage(longerThanNeeded, true)).isInstanceOf(RecordException.class).hasMessageContaining("longer");
        byte[] trailingZero = new CanonicalWriter().messages(1, records(12)).uint(2, 3).bytes(4, new byte[] {1, 0}).toBytes();
        assertThatThrownBy(() -> CatalogSyncCodec.decodePage(trailingZero, true)).isInstanceOf(RecordException.class).hasMessageContaining("zero byte");
        byte[] hugeBitmap = new CanonicalWriter().messages(1, records(4)).uint(2, 3).bytes(4, new byte[200]).toBytes();
        assertThatThrownBy(() -> CatalogSyncCodec.decodePage(hugeBitmap, true)).isInstanceOf(RecordException.class);
        byte[] tooManyRecords = oldPage(records(CatalogSyncCodec.MAX_PAGE * 2 + 1), 3, false);
        assertThatThrownBy(() -> CatalogSyncCodec.decodePage(tooManyRecords, true)).isInstanceOf(RecordException.class).hasMessageContaining("more than");
        byte[] fieldAfterHints = new CanonicalWriter().messages(1, records(4)).uint(2, 3).bytes(4, new byte[] {1}).uint(5, 1).toBytes();
        assertThatThrownBy(() -> CatalogSyncCodec.decodePage(fieldAfterHints, true)).isInstanceOf(RecordException.class);
        assertThatThrownBy(() -> CatalogSyncCodec.decodeRequest(new CanonicalWriter().uint(1, 1).uint(3, 1).toBytes())).isInstanceOf(RecordException.class);
    }

    @Test
    void anyPageRoundTripsInEitherVersion() {
        qt().forAll(integers().between(0, 60), integers().between(0, Integer.MAX_VALUE), arbitrary().pick(true, false), integers().between(0, 1 << 30))
                .checkAssert((n, next, done, seed) -> {
                    Random random = new Random(seed);
                    BitSet held = new BitSet();
                    for (int i = 0; i < n; i++) if (random.nextBoolean()) held.set(i);
                    CatalogSyncCodec.Page page = new CatalogSyncCodec.Page(records(n), next, done, held);
                    CatalogSyncCodec.Page v11 = CatalogSyncCodec.decodePage(CatalogSyncCodec.encodePage(page, true), true);
                    assertThat(v11.held()).isEqualTo(held);
                    assertThat(v11.nextCursor()).isEqualTo((long) next);
                    assertThat(v11.done()).isEqualTo(done);
                    CatalogSyncCodec.Page plain = new CatalogSyncCodec.Page(records(n), next, done, new BitSet());
                    assertThat(CatalogSyncCodec.decodePage(CatalogSyncCodec.encodePage(plain, false), false).records()).hasSize(n);
                });
    }

    @Test
    void arbitraryBytesAreAPageOrARefusalNeverAnythingElse() {
        qt().forAll(lists().of(integers().between(0, 255)).ofSizeBetween(0, 300), arbitrary().pick(true, false)).checkAssert((ints, hints) -> {
            byte[] b = new byte[ints.size()];
            for (int i = 0; i < b.length; i++) b[i] = (byte) (int) ints.get(i);
            try {
                CatalogSyncCodec.Page p = CatalogSyncCodec.decodePage(b, hints);
                assertThat(p.held().length()).isLessThanOrEqualTo(p.records().size());
            } catch (RecordException expected) {
                // refused: the only way a page fails
            }
            try {
                CatalogSyncCodec.decodeRequest(b);
            } catch (RecordException expected) {
                // refused
            }
        });
    }
}
