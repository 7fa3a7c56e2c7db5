package io.ggen.p2p.crypto;

import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DERBitString;
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

    /**
     * Parses a DER SubjectPublicKeyInfo holding an EC key on a supported named curve. Also accepts
     * the form js-libp2p writes instead ({@code SEQUENCE { INTEGER 1, [0] curve OID, [1] BIT STRING
     * point }}, an SEC1 private key without the scalar), so js peers' ECDSA keys can be read.
     */
    public static EcdsaPublicKey fromRaw(byte[] der) {
        ASN1Primitive prim = EcSupport.parseDer(der, "ECDSA public key");
        ASN1ObjectIdentifier oid;
        DERBitString bits;
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(prim);
            if (seq.size() == 3 && seq.getObjectAt(0) instanceof ASN1Integer version) {
                if (!version.hasValue(1)) throw new InvalidKeyException("ECDSA public key: unknown version");
                oid = ASN1ObjectIdentifier.getInstance(ASN1TaggedObject.getInstance(seq.getObjectAt(1), BERTags.CONTEXT_SPECIFIC, 0).getExplicitBaseObject());
                bits = DERBitString.convert(ASN1BitString.getInstance(ASN1TaggedObject.getInstance(seq.getObjectAt(2), BERTags.CONTEXT_SPECIFIC, 1).getExplicitBaseObject()));
            } else {
                SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(seq);
                AlgorithmIdentifier alg = spki.getAlgorithm();
                if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())) throw new InvalidKeyException("ECDSA public key: algorithm is not id-ecPublicKey");
                if (!(alg.getParameters() instanceof ASN1ObjectIdentifier named)) throw new InvalidKeyException("ECDSA public key: curve must be named");
                oid = named;
                bits = DERBitString.convert(spki.getPublicKeyData());
            }
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
            if (e instanceof InvalidKeyException ike) throw ike;
            throw new InvalidKeyException("ECDSA public key: not a SubjectPublicKeyInfo: " + e.getMessage(), e);
        }
        EcSupport.Curve curve = EcSupport.nistCurve(oid);
        if (bits.getPadBits() != 0) throw new InvalidKeyException("ECDSA public key: bit string has pad bits");
        ECPoint q = EcSupport.decodePoint(curve, bits.getOctets());
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

    /** Same curve and point; the encodings may differ (PKIX or js-libp2p's layout). */
    @Override
    public boolean equals(Object o) {
        return o instanceof EcdsaPublicKey other && curve == other.curve && point.equals(other.point);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(point.getEncoded(true));
    }

    @Override
    public String toString() {
        return "EcdsaPublicKey[" + curve.name() + " " + HexFormat.of().formatHex(point.getEncoded(true)) + "]";
    }
}
