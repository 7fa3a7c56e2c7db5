package io.ggen.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quicktheories.generators.SourceDSL;

class MultihashTest {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * multihash tests/values/test_cases.csv rows for the functions we implement (truncations
     * included). The input column is hashed as the ASCII text it is, not as hex.
     */
    @ParameterizedTest
    @CsvSource({
        "sha2-256, 431fb5d4c9b735ba1a34d0df045118806ae2336f2c, 120affb31f07aa15348368c9",
        "sha2-256, 431fb5d4c9b735ba1a34d0df045118806ae2336f2c, 1214ffb31f07aa15348368c90c73a834dbf9f8710365",
        "sha2-256, 431fb5d4c9b735ba1a34d0df045118806ae2336f2c, 1220ffb31f07aa15348368c90c73a834dbf9f8710365860fa0fd4ddce9ac2782cc17",
        "sha2-512, 431fb5d4c9b735ba1a34d0df045118806ae2336f2c, 130aabffa1926b038a2f1833",
        "sha2-512, 431fb5d4c9b735ba1a34d0df045118806ae2336f2c, 1340abffa1926b038a2f1833092d93859ba2ee56e07a86b158200fc7d4d5d1eaf350b0f0e511ea6f5043a9f4a7c7886f93355652114709d75b2db4c33741124fd4fe",
        "sha2-256, 2d6db2d7882fa8b7d56e74b8e24036deb475de8c94, 12203afa34fba2f3572ac56d80f52002e8727dd95f17a2e7c9376a3147a96d3e78ac",
        "sha2-512, 2d6db2d7882fa8b7d56e74b8e24036deb475de8c94, 13401c452c7d9f572510fa1a3224e37a3030c8750b3e1763f1ad0d38274b3ea58ca7b4317dd0913250b4b16c9b0f6281aa74c42d8d5e72043e0fb214d3ad51d4ee8c",
    })
    void specVectors(String name, String inputText, String multihashHex) {
        byte[] input = inputText.getBytes(StandardCharsets.US_ASCII);
        Multihash mh = Multihash.fromBytes(HEX.parseHex(multihashHex));
        assertThat(mh.name()).isEqualTo(name);
        assertThat(mh.matches(input)).isTrue();
        assertThat(HEX.formatHex(mh.toBytes())).isEqualTo(multihashHex);
        Multihash full = name.equals("sha2-256") ? Multihash.sha256(input) : Multihash.sha512(input);
        assertThat(full.code()).isEqualTo(mh.code());
        assertThat(Arrays.copyOf(full.digest(), mh.digestLength())).isEqualTo(mh.digest());
    }

    @Test
    void readmeExampleSha256OfMultihash() {
        Multihash mh = Multihash.sha256("multihash".getBytes(StandardCharsets.US_ASCII));
        assertThat(HEX.formatHex(mh.toBytes())).isEqualTo("12209cbc07c3f991725836a3aa2a581ca2029198aa420b9d99bc0e131d9f3e2cbe47");
        assertThat(Base58.encode(mh.toBytes())).isEqualTo("QmYtUc4iTCbbfVSDNKvtQqrfyezPPnFvE33wFmutw9PBBk");
    }

    @Test
    void identityAndUnknownCodes() {
        Multihash id = Multihash.identity(new byte[] {1, 2, 3});
        assertThat(id.toBytes()).containsExactly(0, 3, 1, 2, 3);
        assertThat(id.matches(new byte[] {1, 2, 3})).isTrue();
        assertThat(id.matches(new byte[] {1, 2})).isFalse();
        // blake2b-256 (0xb220): kept opaquely, two-byte code varint.
        Multihash other = Multihash.fromBytes(HEX.parseHex("a0e40220" + "00".repeat(32)));
        assertThat(other.code()).isEqualTo(0xb220);
        assertThat(other.matches(new byte[0])).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "'', ends inside",
        "12, ends inside",
        "1220, truncated",
        "1221" + "00, longer than the function",
        "120100ff, trailing",
        "0081, ends inside",
        "00ff01, exceeds",
        "8000, not minimally",
    })
    void malformedBytesAreRejected(String hex, String message) {
        assertThatThrownBy(() -> Multihash.fromBytes(HEX.parseHex(hex))).isInstanceOf(MultiformatException.class).hasMessageContaining(message);
    }

    @Test
    void oversizeLengthIsRejectedBeforeAllocation() {
        byte[] claimsHuge = HEX.parseHex("00ffffffff07");
        assertThatThrownBy(() -> Multihash.fromBytes(claimsHuge)).isInstanceOf(MultiformatException.class).hasMessageContaining("exceeds");
    }

    @Test
    void roundTrips() {
        qt().withExamples(500).forAll(SourceDSL.longs().between(0, Long.MAX_VALUE), TestGens.bytes(32)).checkAssert((code, digest) -> {
            Multihash mh = Multihash.of(code, digest);
            assertThat(Multihash.fromBytes(mh.toBytes())).isEqualTo(mh);
        });
    }

    @Test
    void hostileBytesOnlyEverRaiseMultiformatException() {
        qt().withExamples(3000).forAll(TestGens.bytes(80)).checkAssert(b -> TestGens.decodesOrRejects(() -> Multihash.fromBytes(b)));
        qt().withExamples(1000).forAll(TestGens.mutations(Multihash.sha256(new byte[] {42}).toBytes()))
                .checkAssert(b -> TestGens.decodesOrRejects(() -> Multihash.fromBytes(b)));
    }
}
