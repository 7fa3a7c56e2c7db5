package io.ggen.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ggen.p2p.multiformats.Base58;
import io.ggen.p2p.multiformats.Cid;
import io.ggen.p2p.multiformats.Multibase;
import io.ggen.p2p.multiformats.Multihash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PeerIdTest {
    /** The peer-ids spec's examples: one sha2-256 peer id, as CID and as base58. */
    @Test
    void specExamples() {
        PeerId fromCid = PeerId.fromString("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
        PeerId fromBase58 = PeerId.fromString("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
        assertThat(fromCid).isEqualTo(fromBase58);
        assertThat(fromCid.toCidString()).isEqualTo("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
        assertThat(fromCid.publicKey()).isEmpty();
        PeerId ed = PeerId.fromString("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
        assertThat(ed.publicKey()).get().extracting(PublicKey::type).isEqualTo(KeyType.ED25519);
        assertThat(ed.toString()).isEqualTo("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
    }

    @ParameterizedTest
    @EnumSource(Multibase.Encoding.class)
    void cidFormInAnyMultibase(Multibase.Encoding encoding) {
        PeerId id = PeerId.fromString(SpecVectors.ED25519_PEER_ID);
        String text = id.toCid().toString(encoding);
        if (text.startsWith("1") || text.startsWith("Q")) return; // would read as base58, never produced by a multibase prefix
        assertThat(PeerId.fromString(text)).isEqualTo(id);
    }

    @Test
    void cidWithAnotherCodecIsNotAPeerId() {
        String raw = Cid.v1(Cid.RAW, Multihash.fromBytes(PeerId.fromString(SpecVectors.ED25519_PEER_ID).toBytes())).toString();
        assertThatThrownBy(() -> PeerId.fromString(raw)).isInstanceOf(InvalidKeyException.class).hasMessageContaining("libp2p-key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12D3KooW", "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5", "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xq", "hello", "0OIl"})
    void malformedTextIsRefused(String text) {
        assertThatThrownBy(() -> PeerId.fromString(text)).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void bytesMustBeIdentityOrSha256() {
        byte[] sha512 = Multihash.sha512(new byte[] {1}).toBytes();
        assertThatThrownBy(() -> PeerId.fromBytes(sha512)).isInstanceOf(InvalidKeyException.class);
        byte[] inlineGarbage = Multihash.identity(new byte[] {8, 1, 18, 1, 0}).toBytes();
        assertThatThrownBy(() -> PeerId.fromBytes(inlineGarbage)).isInstanceOf(InvalidKeyException.class);
        assertThat(PeerId.fromBytes(Base58.decode(SpecVectors.RSA_PEER_ID)).toBase58()).isEqualTo(SpecVectors.RSA_PEER_ID);
    }
}
