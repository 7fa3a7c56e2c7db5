package io.ggen.p2p.crypto;

import static org.quicktheories.QuickTheory.qt;

import io.ggen.p2p.multiformats.TestGens;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Random, truncated, corrupted and oversized input to every key and peer id decoder. */
class HostileKeysTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final List<String> PUBLIC = List.of(SpecVectors.ED25519_PUBLIC, SpecVectors.SECP256K1_PUBLIC, SpecVectors.ECDSA_PUBLIC, SpecVectors.RSA_PUBLIC);
    private static final List<String> PRIVATE = List.of(SpecVectors.ED25519_PRIVATE, SpecVectors.SECP256K1_PRIVATE, SpecVectors.ECDSA_PRIVATE, SpecVectors.RSA_PRIVATE);

    @Test
    void randomBytesToKeyDecoders() {
        qt().withExamples(3000).forAll(TestGens.bytes(200)).checkAssert(b -> {
            TestGens.decodesOrRejects(() -> Keys.unmarshalPublic(b));
            TestGens.decodesOrRejects(() -> Keys.unmarshalPrivate(b));
            for (KeyType t : KeyType.values()) {
                TestGens.decodesOrRejects(() -> Keys.publicFromRaw(t, b));
                TestGens.decodesOrRejects(() -> Keys.privateFromRaw(t, b));
            }
        });
    }

    @Test
    void corruptedSpecKeys() {
        for (String hex : PUBLIC) {
            qt().withExamples(400).forAll(TestGens.mutations(HEX.parseHex(hex))).checkAssert(b -> TestGens.decodesOrRejects(() -> Keys.unmarshalPublic(b)));
        }
        for (String hex : PRIVATE) {
            qt().withExamples(hex.equals(SpecVectors.RSA_PRIVATE) ? 100 : 400).forAll(TestGens.mutations(HEX.parseHex(hex)))
                    .checkAssert(b -> TestGens.decodesOrRejects(() -> Keys.unmarshalPrivate(b)));
        }
    }

    @Test
    void peerIdDecoders() {
        qt().withExamples(3000).forAll(TestGens.bytes(60)).checkAssert(b -> TestGens.decodesOrRejects(() -> PeerId.fromBytes(b)));
        PeerId ed = PeerId.fromString(SpecVectors.ED25519_PEER_ID);
        PeerId rsa = PeerId.fromString(SpecVectors.RSA_PEER_ID);
        for (PeerId id : List.of(ed, rsa)) {
            qt().withExamples(1000).forAll(TestGens.mutations(id.toBytes())).checkAssert(b -> TestGens.decodesOrRejects(() -> PeerId.fromBytes(b)));
            for (String text : List.of(id.toBase58(), id.toCidString())) {
                qt().withExamples(1000).forAll(TestGens.mutations(text)).checkAssert(s -> TestGens.decodesOrRejects(() -> PeerId.fromString(s)));
            }
        }
        qt().withExamples(2000).forAll(TestGens.anyStrings(150)).checkAssert(s -> TestGens.decodesOrRejects(() -> PeerId.fromString(s)));
    }
}
