package io.ggen.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import io.ggen.p2p.multiformats.Multibase.Encoding;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quicktheories.generators.Generate;

class MultibaseTest {
    private static final byte[] YES_MANI = "yes mani !".getBytes(StandardCharsets.US_ASCII);

    /** multibase tests/basic.csv, leading_zero.csv and two_leading_zeros.csv, for the bases we support. */
    @ParameterizedTest
    @CsvSource({
        "0, f796573206d616e692021",
        "0, F796573206D616E692021",
        "0, bpfsxgidnmfxgsibb",
        "0, BPFSXGIDNMFXGSIBB",
        "0, k2lcpzo5yikidynfl",
        "0, K2LCPZO5YIKIDYNFL",
        "0, z7paNL19xttacUY",
        "0, meWVzIG1hbmkgIQ",
        "0, ueWVzIG1hbmkgIQ",
        "1, f00796573206d616e692021",
        "1, F00796573206D616E692021",
        "1, bab4wk4zanvqw42jaee",
        "1, BAB4WK4ZANVQW42JAEE",
        "1, k02lcpzo5yikidynfl",
        "1, K02LCPZO5YIKIDYNFL",
        "1, z17paNL19xttacUY",
        "1, mAHllcyBtYW5pICE",
        "1, uAHllcyBtYW5pICE",
        "2, f0000796573206d616e692021",
        "2, baaahszltebwwc3tjeaqq",
        "2, BAAAHSZLTEBWWC3TJEAQQ",
        "2, k002lcpzo5yikidynfl",
        "2, K002LCPZO5YIKIDYNFL",
        "2, z117paNL19xttacUY",
        "2, mAAB5ZXMgbWFuaSAh",
        "2, uAAB5ZXMgbWFuaSAh",
    })
    void specVectorsDecodeAndEncode(int leadingZeros, String text) {
        byte[] expected = new byte[leadingZeros + YES_MANI.length];
        System.arraycopy(YES_MANI, 0, expected, leadingZeros, YES_MANI.length);
        Multibase.Decoded d = Multibase.decodeWithEncoding(text);
        assertThat(d.data()).isEqualTo(expected);
        assertThat(Multibase.encode(d.encoding(), expected)).isEqualTo(text);
    }

    /** multibase tests/case_insensitivity.csv: "hello world" in mixed case. */
    @ParameterizedTest
    @CsvSource({"f68656c6c6f20776F726C64", "F68656c6c6f20776F726C64", "bnbswy3dpeB3W64TMMQ", "Bnbswy3dpeB3W64TMMQ", "kfUvrsIvVnfRbjWaJo", "KfUVrSIVVnFRbJWAJo"})
    void caseInsensitiveBasesAcceptMixedCase(String text) {
        assertThat(new String(Multibase.decode(text), StandardCharsets.US_ASCII)).isEqualTo("hello world");
    }

    /** The base36 RFC's examples. */
    @ParameterizedTest
    @CsvSource({"0001, k01", "0000ff, k0073", "0100, k74", "000100, k074", "0001, K01", "0000ff, K0073"})
    void base36RfcExamples(String hex, String text) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThat(Multibase.decode(text)).isEqualTo(bytes);
        Encoding e = Encoding.fromPrefix(text.charAt(0));
        assertThat(Multibase.encode(e, bytes)).isEqualTo(text);
    }

    @Test
    void emptyDataHasTheBarePrefix() {
        for (Encoding e : Encoding.values()) {
            assertThat(Multibase.encode(e, new byte[0])).isEqualTo(String.valueOf(e.prefix()));
            assertThat(Multibase.decode(String.valueOf(e.prefix()))).isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "'', empty",
        "x123, unsupported prefix",
        "Mabc=, unsupported prefix",
        "f0, odd",
        "fzz, invalid character",
        "b1, impossible length",
        "bab4wk4zanvqw42jaef, trailing bits",
        "meWVzIG1hbmkgIR, trailing bits",
        "meWVzIG1hbmkgIQ==, invalid character",
        "ueWVz+G1hbmkgIQ, invalid character",
        "z0OIl, invalid character",
        "k!, invalid character",
    })
    void malformedTextIsRejected(String text, String message) {
        assertThatThrownBy(() -> Multibase.decode(text)).isInstanceOf(MultiformatException.class).hasMessageContaining(message);
    }

    @Test
    void overlongInputIsRejectedBeforeDecoding() {
        String huge = "z" + "1".repeat(Multibase.MAX_ENCODED_LENGTH);
        assertThatThrownBy(() -> Multibase.decode(huge)).isInstanceOf(MultiformatException.class).hasMessageContaining("longer than");
    }

    @Test
    void everyBaseRoundTrips() {
        qt().withExamples(300).forAll(Generate.enumValues(Encoding.class), TestGens.bytes(200)).checkAssert((e, data) -> {
            String text = Multibase.encode(e, data);
            assertThat(text.charAt(0)).isEqualTo(e.prefix());
            Multibase.Decoded d = Multibase.decodeWithEncoding(text);
            assertThat(d.encoding()).isEqualTo(e);
            assertThat(d.data()).isEqualTo(data);
        });
    }

    @Test
    void hostileTextOnlyEverRaisesMultiformatException() {
        qt().withExamples(2000).forAll(TestGens.anyStrings(120)).checkAssert(s -> TestGens.decodesOrRejects(() -> Multibase.decode(s)));
        qt().withExamples(2000).forAll(Generate.enumValues(Encoding.class), TestGens.asciiStrings(80))
                .checkAssert((e, s) -> TestGens.decodesOrRejects(() -> Multibase.decode(e.prefix() + s)));
    }

    @Test
    void decodingIsCanonical() {
        // Whatever decodes must encode back to the same text (modulo case for the case-insensitive bases).
        qt().withExamples(2000).forAll(Generate.enumValues(Encoding.class), TestGens.asciiStrings(40)).checkAssert((e, s) -> {
            byte[] data;
            try {
                data = Multibase.decode(e.prefix() + s);
            } catch (MultiformatException rejected) {
                return;
            }
            String again = Multibase.encode(e, data).substring(1);
            if (e == Encoding.BASE58BTC || e == Encoding.BASE64 || e == Encoding.BASE64URL) assertThat(again).isEqualTo(s);
            else assertThat(again).isEqualToIgnoringCase(s);
        });
    }
}
