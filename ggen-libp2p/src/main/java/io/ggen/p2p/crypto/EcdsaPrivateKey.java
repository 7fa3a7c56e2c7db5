package io.ggen.p2p.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECDSA private key. The libp2p {@code Data} is the DER SEC1 {@code ECPrivateKey} (RFC 5915)
 * with the named curve and the public point, which is what the spec's test vector, go and js
 * hold (the spec's prose says "PKIX", but its vector is SEC1).
 */
public final class EcdsaPrivateKey implements PrivateKey {
    private final EcSupport.Curve curve;
    private final BigInteger d;
    private final EcdsaPublicKey publicKey;

    private EcdsaPrivateKey(EcSupport.Curve curve, BigInteger d) {
        this.curve = curve;
        this.d = EcSupport.checkScalar(curve, d);
        this.publicKey = new EcdsaPublicKey(curve, EcSupport.publicPoint(curve, d));
    }

    /** A new P-256 key. */
    public static EcdsaPrivateKey generate() {
        return new EcdsaPrivateKey(EcSupport.P256, EcSupport.generateScalar(EcSupport.P256));
    }

    /** Parses a DER SEC1 ECPrivateKey; a public point, if present, must match the scalar. */
    public static EcdsaPrivateKey fromRaw(byte[] der) {
        ASN1Primitive prim = EcSupport.parseDer(der, "ECDSA private key");
        ECPrivateKey sec1;
        org.bouncycastle.asn1.ASN1Object params;
        DERBitString pub;
        BigInteger d;
        try {
            sec1 = ECPrivateKey.getInstance(prim);
            params = sec1.getParametersObject();
            pub = (DERBitString) sec1.getPublicKey();
            d = sec1.getKey();
        } catch (RuntimeException e) {
            // BouncyCastle reports malformed ASN.1 with several unchecked exception types
            throw new InvalidKeyException("ECDSA private key: not an SEC1 ECPrivateKey", e);
        }
        if (!(params instanceof ASN1ObjectIdentifier oid)) throw new InvalidKeyException("ECDSA private key: curve must be named");
        EcdsaPrivateKey key = new EcdsaPrivateKey(EcSupport.nistCurve(oid), d);
        if (pub != null) {
            ECPoint given = EcSupport.decodePoint(key.curve, pub.getOctets());
            if (!given.equals(EcSupport.publicPoint(key.curve, d))) throw new InvalidKeyException("ECDSA private key: public point does not match the scalar");
        }
        return key;
    }

    @Override
    public KeyType type() {
        return KeyType.ECDSA;
    }

    @Override
    public EcdsaPublicKey publicKey() {
        return publicKey;
    }

    /** DER ECDSA over SHA-256(data), deterministic (RFC 6979). */
    @Override
    public byte[] sign(byte[] data) {
        return EcSupport.signDer(curve, d, data, false);
    }

    @Override
    public byte[] raw() {
        try {
            ECPoint q = EcSupport.publicPoint(curve, d);
            return new ECPrivateKey(curve.orderBits(), d, new DERBitString(q.getEncoded(false)), curve.oid()).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "EcdsaPrivateKey[public=" + publicKey + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EcdsaPrivateKey other && Arrays.equals(raw(), other.raw());
    }

    @Override
    public int hashCode() {
        return d.hashCode();
    }
}
