package io.ggen.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import io.ggen.p2p.multiformats.TestGens;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeysTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] MESSAGE = "a message to sign".getBytes(StandardCharsets.UTF_8);

    /** One key per type, made once: RSA generation takes a while. */
    private static final Map<KeyType, PrivateKey> KEYS = Map.of(
            KeyType.ED25519, Keys.generate(KeyType.ED25519),
            KeyType.SECP256K1, Keys.generate(KeyType.SECP256K1),
            KeyType.ECDSA, Keys.generate(KeyType.ECDSA),
            KeyType.RSA, Keys.generate(KeyType.RSA));

    private record Vector(String privateHex, String publicHex, String peerId, String peerIdCid) {}

    private static final Map<KeyType, Vector> SPEC = Map.of(
            KeyType.ED25519, new Vector(SpecVectors.ED25519_PRIVATE, SpecVectors.ED25519_PUBLIC, SpecVectors.ED25519_PEER_ID, SpecVectors.ED25519_PEER_ID_CID),
            KeyType.SECP256K1, new Vector(SpecVectors.SECP256K1_PRIVATE, SpecVectors.SECP256K1_PUBLIC, SpecVectors.SECP256K1_PEER_ID, SpecVectors.SECP256K1_PEER_ID_CID),
            KeyType.ECDSA, new Vector(SpecVectors.ECDSA_PRIVATE, SpecVectors.ECDSA_PUBLIC, SpecVectors.ECDSA_PEER_ID, null),
            KeyType.RSA, new Vector(SpecVectors.RSA_PRIVATE, SpecVectors.RSA_PUBLIC, SpecVectors.RSA_PEER_ID, SpecVectors.RSA_PEER_ID_CID));

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void specVectorPrivateKeyYieldsItsPublicKeyAndPeerId(KeyType type) {
        Vector v = SPEC.get(type);
        PrivateKey priv = Keys.unmarshalPrivate(HEX.parseHex(v.privateHex));
        assertThat(priv.type()).isEqualTo(type);
        assertThat(HEX.formatHex(priv.publicKey().marshal())).isEqualTo(v.publicHex);
        assertThat(HEX.formatHex(priv.marshal())).as("private key re-encodes identically").isEqualTo(v.privateHex);

        PublicKey pub = Keys.unmarshalPublic(HEX.parseHex(v.publicHex));
        assertThat(pub).isEqualTo(priv.publicKey());
        assertThat(HEX.formatHex(pub.marshal())).isEqualTo(v.publicHex);
        PeerId id = PeerId.fromPublicKey(pub);
        assertThat(id.toBase58()).isEqualTo(v.peerId);
        if (v.peerIdCid != null) assertThat(id.toCidString()).isEqualTo(v.peerIdCid);
        assertThat(PeerId.fromString(id.toCidString())).isEqualTo(id);
        assertThat(id.matches(pub)).isTrue();
        // Inline (identity) for Ed25519 and secp256k1, sha2-256 for the long ECDSA and RSA keys.
        assertThat(id.publicKey().isPresent()).isEqualTo(type == KeyType.ED25519 || type == KeyType.SECP256K1);

        byte[] sig = priv.sign(MESSAGE);
        assertThat(pub.verify(MESSAGE, sig)).isTrue();
        assertThat(pub.verify("another".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
    }

    @Test
    void ed25519SeedVectorsTheProjectReliesOn() throws Exception {
        byte[] seedA = MessageDigest.getInstance("SHA-256").digest("a".getBytes(StandardCharsets.UTF_8));
        assertThat(PeerId.fromPublicKey(Ed25519PrivateKey.fromSeed(seedA).publicKey()).toBase58())
                .isEqualTo("12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D");
        byte[] seedOne = new byte[32];
        seedOne[31] = 1;
        PeerId one = PeerId.fromPublicKey(Ed25519PrivateKey.fromSeed(seedOne).publicKey());
        assertThat(one.toBase58()).isEqualTo("12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp");
        // Its CID forms, as js-libp2p prints them (base32 by default, base36 accepted).
        assertThat(one.toCidString()).isEqualTo("bafzaajaiaejcatfvvp3k26p36wv3zsx4yju5qxgsmupnjoefwwdj6ja25xyklorj");
        assertThat(PeerId.fromString("k51qzi5uqu5di3f1nh9ghouv3e5dfupe3wbgb8gy679ko7ttpovbtr2bwjz8rt")).isEqualTo(one);
    }

    @Test
    void ed25519LegacyPrivateKeyFormats() {
        Ed25519PrivateKey k = (Ed25519PrivateKey) KEYS.get(KeyType.ED25519);
        byte[] raw = k.raw();
        byte[] legacy = Arrays.copyOf(raw, 96);
        System.arraycopy(raw, 32, legacy, 64, 32);
        assertThat(Ed25519PrivateKey.fromRaw(legacy).publicKey()).isEqualTo(k.publicKey());
        legacy[95] ^= 1;
        // The spec: the two copies of the legacy form must be identical, and the key must match the seed.
        assertThatThrownBy(() -> Ed25519PrivateKey.fromRaw(legacy)).isInstanceOf(InvalidKeyException.class);
        raw[63] ^= 1;
        assertThatThrownBy(() -> Ed25519PrivateKey.fromRaw(raw)).isInstanceOf(InvalidKeyException.class);
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void generatedKeysRoundTripAndSign(KeyType type) {
        PrivateKey k = KEYS.get(type);
        PrivateKey again = Keys.unmarshalPrivate(k.marshal());
        assertThat(again.publicKey()).isEqualTo(k.publicKey());
        assertThat(Keys.unmarshalPublic(k.publicKey().marshal())).isEqualTo(k.publicKey());
        byte[] sig = again.sign(MESSAGE);
        assertThat(k.publicKey().verify(MESSAGE, sig)).isTrue();
        PublicKey other = KEYS.get(type == KeyType.ED25519 ? KeyType.SECP256K1 : KeyType.ED25519).publicKey();
        assertThat(other.verify(MESSAGE, sig)).isFalse();
        byte[] tampered = sig.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThat(k.publicKey().verify(MESSAGE, tampered)).isFalse();
        assertThat(PeerId.fromString(PeerId.fromPublicKey(k.publicKey()).toBase58()).matches(k.publicKey())).isTrue();
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void verifyNeverThrows(KeyType type) {
        PublicKey pub = KEYS.get(type).publicKey();
        qt().withExamples(300).forAll(TestGens.bytes(600), TestGens.bytes(40)).checkAssert((sig, data) -> assertThat(pub.verify(data, sig)).isFalse());
        byte[] good = KEYS.get(type).sign(MESSAGE);
        qt().withExamples(300).forAll(TestGens.mutations(good)).checkAssert(sig -> {
            boolean ok = pub.verify(MESSAGE, sig);
            if (ok) assertThat(sig).as("only the genuine signature (or an equivalent encoding) verifies").isNotNull();
        });
        assertThat(pub.verify(MESSAGE, null)).isFalse();
        assertThat(pub.verify(null, good)).isFalse();
    }

    @Test
    void secp256k1SignsLowSAndAcceptsHighS() throws Exception {
        Secp256k1PrivateKey k = (Secp256k1PrivateKey) KEYS.get(KeyType.SECP256K1);
        BigInteger n = EcSupport.SECP256K1.domain().getN();
        byte[] sig = k.sign(MESSAGE);
        BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(n, sig);
        assertThat(rs[1]).isLessThanOrEqualTo(n.shiftRight(1));
        byte[] highS = StandardDSAEncoding.INSTANCE.encode(n, rs[0], n.subtract(rs[1]));
        // go-libp2p accepts high-S signatures (only js's noble refuses them); we follow go.
        assertThat(k.publicKey().verify(MESSAGE, highS)).isTrue();
        // The uncompressed public key form is accepted and re-encoded compressed.
        Secp256k1PublicKey fromUncompressed = Secp256k1PublicKey.fromRaw(k.publicKey().uncompressed());
        assertThat(fromUncompressed).isEqualTo(k.publicKey());
        assertThat(fromUncompressed.raw()).hasSize(33);
        // Raw r||s is not DER: refused for secp256k1.
        assertThat(k.publicKey().verify(MESSAGE, PlainDSAEncoding.INSTANCE.encode(n, rs[0], rs[1]))).isFalse();
    }

    @Test
    void ecdsaAcceptsWebCryptoRawSignatures() throws Exception {
        EcdsaPrivateKey k = (EcdsaPrivateKey) KEYS.get(KeyType.ECDSA);
        BigInteger n = EcSupport.P256.domain().getN();
        BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(n, k.sign(MESSAGE));
        byte[] plain = PlainDSAEncoding.INSTANCE.encode(n, rs[0], rs[1]);
        assertThat(plain).hasSize(64);
        assertThat(k.publicKey().verify(MESSAGE, plain)).isTrue();
        assertThat(k.publicKey().curveName()).isEqualTo("P-256");
    }

    @Test
    void rsaKeySizesOutsideTheRangeAreRefused() throws Exception {
        assertThatThrownBy(() -> RsaPrivateKey.generate(1024)).isInstanceOf(InvalidKeyException.class);
        // A 1024-bit and a 8200-bit modulus (values need not be real keys to be refused on size).
        for (int bits : new int[] {1024, 2047, 8200}) {
            BigInteger modulus = BigInteger.ONE.shiftLeft(bits - 1).setBit(0);
            byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                    new RSAPublicKey(modulus, BigInteger.valueOf(65537))).getEncoded(ASN1Encoding.DER);
            assertThatThrownBy(() -> Keys.publicFromRaw(KeyType.RSA, spki)).isInstanceOf(InvalidKeyException.class).hasMessageContaining("bits");
        }
        assertThat(((RsaPublicKey) KEYS.get(KeyType.RSA).publicKey()).bits()).isEqualTo(2048);
    }

    @Test
    void protobufDefectsAreRefused() {
        byte[] good = KEYS.get(KeyType.ED25519).publicKey().marshal();
        assertThatThrownBy(() -> Keys.unmarshalPublic(new byte[0])).isInstanceOf(InvalidKeyException.class);
        byte[] unknownField = Arrays.copyOf(good, good.length + 2);
        unknownField[good.length] = 0x18;
        assertThatThrownBy(() -> Keys.unmarshalPublic(unknownField)).isInstanceOf(InvalidKeyException.class);
        byte[] badType = good.clone();
        badType[1] = 9;
        assertThatThrownBy(() -> Keys.unmarshalPublic(badType)).isInstanceOf(InvalidKeyException.class).hasMessageContaining("unknown key type");
        assertThatThrownBy(() -> Keys.unmarshalPublic(new byte[Keys.MAX_ENCODED_KEY + 1])).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> Keys.unmarshalPrivate(new byte[Keys.MAX_ENCODED_PRIVATE_KEY + 1])).isInstanceOf(InvalidKeyException.class);
    }
}
