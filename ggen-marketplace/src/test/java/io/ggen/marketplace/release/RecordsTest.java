package io.ggen.marketplace.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import io.ggen.marketplace.content.ContentId;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RecordsTest {
    static final Ed25519PrivateKey KEY = Ed25519PrivateKey.fromSeed(new byte[32]);

    static ReleaseRecord release(String desc, List<String> kw, long at) {
        TreeMap<String, String> deps = new TreeMap<>();
        deps.put("io.ggen.macros.std", "^0.1");
        deps.put("a.b", ">=1, <2");
        return new ReleaseRecord("io.ggen.demo", "1.2.3-rc.1", ContentId.of(desc.getBytes()), 1234, "Demo", desc.isEmpty() ? "d" : desc, "MIT", ">=0.1",
                deps, List.of("Ada"), kw, List.of(), List.of("x"), null, "https://example.org/r", KEY.publicKey(), at);
    }

    @Test
    void encodeDecodeRoundTripsAndIsCanonical() {
        qt().forAll(strings().betweenCodePoints(0x20, 0xD7FF).ofLengthBetween(0, 40), lists().of(strings().basicLatinAlphabet().ofLengthBetween(0, 8)).ofSizeBetween(0, 4),
                longs().between(0, Long.MAX_VALUE)).checkAssert((desc, kw, at) -> {
            ReleaseRecord r = release(desc, kw, at);
            byte[] bytes = r.encode();
            ReleaseRecord back = ReleaseRecord.decode(bytes);
            assertThat(back).usingRecursiveComparison().isEqualTo(r);
            assertThat(back.encode()).isEqualTo(bytes);
        });
    }

    @Test
    void signatureCoversEveryByte() {
        SignedRecord s = SignedRecord.sign(release("desc", List.of("k"), 1), KEY);
        assertThat(SignedRecord.decode(s.encode()).openRelease().id()).isEqualTo("io.ggen.demo");
        byte[] enc = s.encode();
        qt().forAll(integers().between(0, enc.length - 1), integers().between(1, 255)).checkAssert((i, x) -> {
            byte[] t = enc.clone();
            t[i] ^= x.byteValue();
            assertThatThrownBy(() -> SignedRecord.decode(t).openRelease()).isInstanceOf(io.ggen.marketplace.error.MarketplaceException.class);
        });
    }

    @Test
    void refusesNonCanonicalEncodings() {
        byte[] good = release("d", List.of(), 5).encode();
        byte[] extra = java.util.Arrays.copyOf(good, good.length + 2);
        extra[good.length] = (byte) (99 << 3);
        extra[good.length + 1] = 1;
        assertThatThrownBy(() -> ReleaseRecord.decode(extra)).hasMessageContaining("unknown or out-of-order");
        byte[] explicitDefault = new CanonicalWriter().uint(1, 1).toBytes();
        byte[] withZero = java.util.Arrays.copyOf(explicitDefault, explicitDefault.length + 2);
        withZero[explicitDefault.length] = (byte) (5 << 3);
        withZero[explicitDefault.length + 1] = 0;
        assertThatThrownBy(() -> ReleaseRecord.decode(withZero)).isInstanceOf(RecordException.class);
        assertThatThrownBy(() -> ReleaseRecord.decode(new byte[] {8, (byte) 0x81, 0})).hasMessageContaining("non-minimal");
    }

    @Test
    void aSignatureFromAnotherKindOfRecordDoesNotTransfer() {
        YankRecord y = new YankRecord("io.ggen.demo", "1.0.0", ContentId.of(new byte[1]), "broken", KEY.publicKey(), 7);
        SignedRecord s = SignedRecord.sign(y, KEY);
        assertThat(SignedRecord.decode(s.encode()).openYank().reason()).isEqualTo("broken");
        assertThatThrownBy(() -> new SignedRecord(ReleaseRecord.TYPE, s.payload(), s.signature()).openRelease()).isInstanceOf(RecordException.class);
    }

    @Test
    void packageHeadSortsVersionsByPrecedence() {
        ContentId c = ContentId.of(new byte[2]);
        PackageHead h = new PackageHead("io.ggen.demo", KEY.publicKey(), 3,
                List.of(new PackageHead.Entry("1.0.0", c, false), new PackageHead.Entry("1.0.0-rc.1", c, true), new PackageHead.Entry("0.9.0", c, false)), 9);
        PackageHead back = SignedRecord.decode(SignedRecord.sign(h, KEY).encode()).openHead();
        assertThat(back.versions()).extracting(PackageHead.Entry::version).containsExactly("0.9.0", "1.0.0-rc.1", "1.0.0");
        assertThat(back.encode()).isEqualTo(h.encode());
    }
}
