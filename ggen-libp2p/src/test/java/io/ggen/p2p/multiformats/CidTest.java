package io.ggen.p2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import io.ggen.p2p.multiformats.Multibase.Encoding;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

class CidTest {
    private static final HexFormat HEX = HexFormat.of();

    /** The peer-ids spec's example: the same sha2-256 peer id as a CIDv1 and as base58. */
    @Test
    void peerIdsSpecExampleCid() {
        Cid cid = Cid.fromString("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
        assertThat(cid.version()).isEqualTo(1);
        assertThat(cid.codec()).isEqualTo(Cid.LIBP2P_KEY);
        assertThat(Base58.encode(cid.multihash().toBytes())).isEqualTo("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
        assertThat(cid.toString()).isEqualTo("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
    }

    @Test
    void cidV0IsABareSha256Multihash() {
        String v0 = "QmYtUc4iTCbbfVSDNKvtQqrfyezPPnFvE33wFmutw9PBBk"; // multihash README: sha2-256("multihash")
        Cid cid = Cid.fromString(v0);
        assertThat(cid.version()).isZero();
        assertThat(cid.codec()).isEqualTo(Cid.DAG_PB);
        assertThat(cid.multihash()).isEqualTo(Multihash.sha256("multihash".getBytes(StandardCharsets.US_ASCII)));
        assertThat(cid.toString()).isEqualTo(v0);
        assertThat(Cid.fromBytes(cid.toBytes())).isEqualTo(cid);
        // v1 of the same: 0x01 0x70 then the multihash; base32 "bafybei..." as IPFS prints dag-pb CIDv1.
        Cid v1 = cid.toV1();
        assertThat(HEX.formatHex(v1.toBytes())).isEqualTo("0170" + HEX.formatHex(cid.toBytes()));
        assertThat(v1.toString()).startsWith("bafybei");
        assertThatThrownBy(() -> cid.toString(Encoding.BASE32)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rawSha256PrintsBafkrei() {
        byte[] content = "hello".getBytes(StandardCharsets.US_ASCII);
        Cid cid = Cid.rawSha256(content);
        assertThat(cid.version()).isEqualTo(1);
        assertThat(cid.codec()).isEqualTo(Cid.RAW);
        // 0x01 0x55 0x12 0x20 + sha256("hello")
        assertThat(HEX.formatHex(cid.toBytes())).isEqualTo("01551220" + "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(cid.toString()).isEqualTo("bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq");
        assertThat(cid.multihash().matches(content)).isTrue();
        for (Encoding e : Encoding.values()) assertThat(Cid.fromString(cid.toString(e))).isEqualTo(cid);
    }

    @Test
    void contentIdAcceptsSha256Hex() {
        Cid expected = Cid.rawSha256("hello".getBytes(StandardCharsets.US_ASCII));
        String hex = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        assertThat(Cid.parseContentId("sha256:" + hex)).isEqualTo(expected);
        assertThat(Cid.parseContentId("sha256:" + hex.toUpperCase())).isEqualTo(expected);
        assertThat(Cid.parseContentId(expected.toString())).isEqualTo(expected);
        assertThat(expected.sha256Hex()).contains(hex);
        assertThatThrownBy(() -> Cid.parseContentId("sha256:" + hex.substring(1))).isInstanceOf(MultiformatException.class);
        assertThatThrownBy(() -> Cid.parseContentId("sha256:" + hex.substring(1) + "g")).isInstanceOf(MultiformatException.class);
        assertThatThrownBy(() -> Cid.parseContentId("sha256:")).isInstanceOf(MultiformatException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4ye", // truncated
        "zQmYtUc4iTCbbfVSDNKvtQqrfyezPPnFvE33wFmutw9PBBk", // CIDv0 may not be multibase-encoded
        "QmYtUc4iTCbbfVSDNKvtQqrfyezPPnFvE33wFmutw9PBB", // 45 characters
        "baeaq", // version 2
        "f00551220", // version 0 in binary
        "f0155", // no multihash
        "f01551201ffff", // trailing byte after the multihash
        "x",
    })
    void malformedTextIsRejected(String text) {
        assertThatThrownBy(() -> Cid.fromString(text)).isInstanceOf(MultiformatException.class);
    }

    @Test
    void roundTripsInEveryBase() {
        qt().withExamples(300).forAll(SourceDSL.longs().between(0, 1 << 20), TestGens.bytes(64), Generate.enumValues(Encoding.class)).checkAssert((codec, data, e) -> {
            Cid cid = Cid.v1(codec, Multihash.sha256(data));
            assertThat(Cid.fromBytes(cid.toBytes())).isEqualTo(cid);
            assertThat(Cid.fromString(cid.toString(e))).isEqualTo(cid);
            assertThat(Cid.fromString(cid.toString())).isEqualTo(cid);
        });
    }

    @Test
    void hostileInputOnlyEverRaisesMultiformatException() {
        qt().withExamples(3000).forAll(TestGens.bytes(100)).checkAssert(b -> TestGens.decodesOrRejects(() -> Cid.fromBytes(b)));
        byte[] valid = Cid.rawSha256(new byte[] {1}).toBytes();
        qt().withExamples(1000).forAll(TestGens.mutations(valid)).checkAssert(b -> TestGens.decodesOrRejects(() -> Cid.fromBytes(b)));
        qt().withExamples(2000).forAll(TestGens.anyStrings(80)).checkAssert(s -> TestGens.decodesOrRejects(() -> Cid.parseContentId(s)));
        qt().withExamples(1000).forAll(TestGens.mutations(Cid.rawSha256(new byte[] {1}).toString())).checkAssert(s -> TestGens.decodesOrRejects(() -> Cid.fromString(s)));
        assertThatThrownBy(() -> Cid.fromBytes(new byte[Cid.MAX_BYTES + 1])).isInstanceOf(MultiformatException.class);
        assertThatThrownBy(() -> Cid.fromString("b" + "a".repeat(Cid.MAX_TEXT_LENGTH))).isInstanceOf(MultiformatException.class);
    }
}
