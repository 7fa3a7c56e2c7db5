package io.ggen.p2p.crypto;

import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECDSA public key on a NIST curve (P-256; P-384 and P-521 are accepted too, as js does). The
 * libp2p {@code Data} is the DER SubjectPublicKeyInfo (PKIX) with a named curve.
 *
 * <p>Signatures are DER ECDSA over SHA-256(data), as the spec and go-libp2p write them.
 * Deliberate leniency: js-libp2p signs ECDSA through WebCrypto, which yields the fixed-size
 * r||s (IEEE P1363) form; we accept that form too, so js peers' signatures verify.
 */
public final class EcdsaPublicKey implements PublicKey {
    private final EcSupport.Curve curve;
    private final ECPoint point;
    private final byte[] encoded;

    EcdsaPublicKey(EcSupport.Curve curve, ECPoint point) {
        this.curve = curve;
        this.point = point;
        try {
            this.encoded = new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve.oid()), point.getEncoded(false))
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private EcdsaPublicKey(EcSupport.Curve curve, ECPoint point, byte[] encoded) {
        this.curve = curve;
        this.point = point;
        this.encoded = encoded;
    }

    /** Parses a DER SubjectPublicKeyInfo holding an EC key on a supported named curve. */
    public static EcdsaPublicKey fromRaw(byte[] der) {
        SubjectPublicKeyInfo spki;
        try {
            spki = SubjectPublicKeyInfo.getInstance(EcSupport.parseDer(der, "ECDSA public key"));
        } catch (IllegalArgumentException e) {
            if (e instanceof InvalidKeyException ike) throw ike;
            throw new InvalidKeyException("ECDSA public key: not a SubjectPublicKeyInfo", e);
        }
        AlgorithmIdentifier alg = spki.getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())) throw new InvalidKeyException("ECDSA public key: algorithm is not id-ecPublicKey");
        if (!(alg.getParameters() instanceof ASN1ObjectIdentifier oid)) throw new InvalidKeyException("ECDSA public key: curve must be named");
        EcSupport.Curve curve = EcSupport.nistCurve(oid);
        if (spki.getPublicKeyData().getPadBits() != 0) throw new InvalidKeyException("ECDSA public key: bit string has pad bits");
        ECPoint q = EcSupport.decodePoint(curve, spki.getPublicKeyData().getOctets());
        // The peer id hashes these exact bytes, so keep what the peer sent.
        return new EcdsaPublicKey(curve, q, der.clone());
    }

    @Override
    public KeyType type() {
        return KeyType.ECDSA;
    }

    @Override
    public byte[] raw() {
        return encoded.clone();
    }

    /** P-256, P-384 or P-521. */
    public String curveName() {
        return curve.name();
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        return EcSupport.verify(curve, point, data, signature, true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EcdsaPublicKey other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "EcdsaPublicKey[" + curve.name() + " " + HexFormat.of().formatHex(point.getEncoded(true)) + "]";
    }
}
