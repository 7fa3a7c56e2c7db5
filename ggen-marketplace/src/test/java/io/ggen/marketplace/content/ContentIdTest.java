package io.ggen.marketplace.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ContentIdTest {
    @Test
    void knownVectorForEmptyContent() {
        assertThat(ContentId.of(new byte[0])).hasToString("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    }

    @Test
    void acceptsSha256HexAndUpperCaseBase32() {
        ContentId id = ContentId.of("hello".getBytes());
        assertThat(ContentId.parse("sha256:" + id.hex())).isEqualTo(id);
        assertThat(ContentId.parse("sha256:" + id.hex().toUpperCase())).isEqualTo(id);
        assertThat(ContentId.parse("B" + id.toString().substring(1).toUpperCase())).isEqualTo(id);
    }

    @Test
    void rejectsOtherCodecsAndGarbage() {
        assertThatThrownBy(() -> ContentId.parse("zQmSomething")).hasMessageContaining("invalid content id").hasMessageContaining("bafk");
        assertThatThrownBy(() -> ContentId.parse("bafy1")).hasMessageContaining("invalid content id");
        assertThatThrownBy(() -> ContentId.parse("sha256:abc")).hasMessageContaining("invalid content id").hasMessageContaining("sha256:");
        assertThatThrownBy(() -> ContentId.parse("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi")).hasMessageContaining("raw codec");
    }

    @Test
    void acceptsOtherMultibasesOfTheSameCid() {
        ContentId id = ContentId.of("hello".getBytes());
        assertThat(ContentId.parse(id.cid().toString(io.ggen.p2p.multiformats.Multibase.Encoding.BASE58BTC))).isEqualTo(id);
        assertThat(ContentId.parse(id.cid().toString(io.ggen.p2p.multiformats.Multibase.Encoding.BASE36))).isEqualTo(id);
    }

    @Test
    void roundTripsThroughTextAndBytes() {
        qt().forAll(integers().between(0, 200), integers().all()).checkAssert((len, seed) -> {
            byte[] data = new byte[len];
            new Random(seed).nextBytes(data);
            ContentId id = ContentId.of(data);
            assertThat(id.toString()).startsWith("bafkrei");
            assertThat(ContentId.parse(id.toString())).isEqualTo(id);
            assertThat(ContentId.fromBytes(id.bytes())).isEqualTo(id);
        });
    }
}
