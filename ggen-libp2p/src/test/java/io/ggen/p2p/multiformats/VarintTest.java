package io.ggen.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quicktheories.generators.SourceDSL;

class VarintTest {
    /** The unsigned-varint spec's examples. */
    @ParameterizedTest
    @CsvSource({"1, 01", "127, 7f", "128, 8001", "255, ff01", "300, ac02", "16384, 808001"})
    void specExamples(long value, String hex) {
        assertThat(HexFormat.of().formatHex(Varint.encode(value))).isEqualTo(hex);
        assertThat(Varint.decode(HexFormat.of().parseHex(hex))).isEqualTo(value);
    }

    @Test
    void roundTrips() {
        qt().withExamples(1000).forAll(SourceDSL.longs().between(0, Long.MAX_VALUE)).checkAssert(v -> assertThat(Varint.decode(Varint.encode(v))).isEqualTo(v));
    }

    @Test
    void rejectsNonMinimalOverlongAndTruncated() {
        assertThatThrownBy(() -> Varint.decode(new byte[] {(byte) 0x81, 0})).isInstanceOf(MultiformatException.class);
        assertThatThrownBy(() -> Varint.decode(new byte[] {(byte) 0x81})).isInstanceOf(MultiformatException.class);
        byte[] ten = new byte[10];
        java.util.Arrays.fill(ten, (byte) 0xff);
        ten[9] = 1;
        assertThatThrownBy(() -> Varint.decode(ten)).isInstanceOf(MultiformatException.class);
    }

    @Test
    void hostileBytesOnlyEverRaiseMultiformatException() {
        qt().withExamples(3000).forAll(TestGens.bytes(12)).checkAssert(b -> {
            TestGens.decodesOrRejects(() -> Varint.decode(b));
            TestGens.decodesOrRejects(() -> Varint.peek(b, 0, b.length, 1 << 20));
        });
    }
}
