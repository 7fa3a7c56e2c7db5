package io.ggen.p2p.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * ECDSA over SHA-256 as libp2p uses it for secp256k1 and NIST P-curve keys, on BouncyCastle's
 * lightweight API (its custom curve implementations are constant-time and fast). Nonces are
 * deterministic (RFC 6979), as in go and js.
 */
final class EcSupport {
    static final SecureRandom RANDOM = new SecureRandom();

    /** A named curve: its OID and domain. */
    record Curve(String name, ASN1ObjectIdentifier oid, ECDomainParameters domain) {
        int fieldBytes() {
            return (domain.getCurve().getFieldSize() + 7) / 8;
        }

        int orderBits() {
            return domain.getN().bitLength();
        }
    }

    static final Curve SECP256K1 = curve("secp256k1", SECObjectIdentifiers.secp256k1);
    static final Curve P256 = curve("P-256", SECObjectIdentifiers.secp256r1);
    static final Curve P384 = curve("P-384", SECObjectIdentifiers.secp384r1);
    static final Curve P521 = curve("P-521", SECObjectIdentifiers.secp521r1);

    private EcSupport() {}

    private static Curve curve(String name, ASN1ObjectIdentifier oid) {
        X9ECParameters x9 = CustomNamedCurves.getByOID(oid);
        return new Curve(name, oid, new ECDomainParameters(x9));
    }

    static Curve nistCurve(ASN1ObjectIdentifier oid) {
        if (P256.oid.equals(oid)) return P256;
        if (P384.oid.equals(oid)) return P384;
        if (P521.oid.equals(oid)) return P521;
        throw new InvalidKeyException("ECDSA: unsupported curve " + oid);
    }

    /** Decodes an SEC1 point (compressed or uncompressed), rejecting infinity and off-curve points. */
    static ECPoint decodePoint(Curve curve, byte[] encoded) {
        int f = curve.fieldBytes();
        boolean compressed = encoded.length == f + 1 && (encoded[0] == 2 || encoded[0] == 3);
        boolean uncompressed = encoded.length == 2 * f + 1 && encoded[0] == 4;
        if (!compressed && !uncompressed) throw new InvalidKeyException(curve.name + ": public key is not an SEC1 point");
        try {
            ECPoint p = curve.domain.getCurve().decodePoint(encoded).normalize();
            if (p.isInfinity() || !p.isValid()) throw new InvalidKeyException(curve.name + ": public key is not a valid point");
            return p;
        } catch (IllegalArgumentException | ArithmeticException e) {
            if (e instanceof InvalidKeyException ike) throw ike;
            throw new InvalidKeyException(curve.name + ": public key is not a valid point", e);
        }
    }

    static BigInteger checkScalar(Curve curve, BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(curve.domain.getN()) >= 0) throw new InvalidKeyException(curve.name + ": private scalar out of range");
        return d;
    }

    static ECPoint publicPoint(Curve curve, BigInteger d) {
        return new FixedPointCombMultiplier().multiply(curve.domain.getG(), d).normalize();
    }

    static BigInteger generateScalar(Curve curve) {
        ECKeyPairGenerator gen = new ECKeyPairGenerator();
        gen.init(new ECKeyGenerationParameters(curve.domain, RANDOM));
        AsymmetricCipherKeyPair kp = gen.generateKeyPair();
        return ((ECPrivateKeyParameters) kp.getPrivate()).getD();
    }

    static byte[] sha256(byte[] data) {
        SHA256Digest d = new SHA256Digest();
        d.update(data, 0, data.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    /** DER signature over SHA-256(data); {@code lowS} folds s into the lower half of the order. */
    static byte[] signDer(Curve curve, BigInteger d, byte[] data, boolean lowS) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(d, curve.domain));
        BigInteger[] rs = signer.generateSignature(sha256(data));
        BigInteger n = curve.domain.getN();
        BigInteger s = rs[1];
        if (lowS && s.compareTo(n.shiftRight(1)) > 0) s = n.subtract(s);
        try {
            return StandardDSAEncoding.INSTANCE.encode(n, rs[0], s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Verifies a signature over SHA-256(data): strict DER, or, when {@code allowPlain}, the
     * fixed-size r||s form WebCrypto produces. Never throws.
     */
    static boolean verify(Curve curve, ECPoint q, byte[] data, byte[] signature, boolean allowPlain) {
        if (data == null || signature == null || signature.length == 0 || signature.length > 256) return false;
        BigInteger n = curve.domain.getN();
        BigInteger[] rs = null;
        try {
            rs = StandardDSAEncoding.INSTANCE.decode(n, signature);
        } catch (IllegalArgumentException | IOException e) {
            if (allowPlain && signature.length == 2 * ((curve.orderBits() + 7) / 8)) {
                try {
                    rs = PlainDSAEncoding.INSTANCE.decode(n, signature);
                } catch (IllegalArgumentException e2) {
                    return false;
                }
            }
        } catch (RuntimeException e) {
            return false;
        }
        if (rs == null) return false;
        try {
            ECDSASigner signer = new ECDSASigner();
            signer.init(false, new ECPublicKeyParameters(q, curve.domain));
            return signer.verifySignature(sha256(data), rs[0], rs[1]);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Parses DER that must be exactly one ASN.1 object (BouncyCastle bounds reads by the input length). */
    static ASN1Primitive parseDer(byte[] der, String what) {
        if (der.length == 0 || der[0] != 0x30) throw new InvalidKeyException(what + ": not a DER sequence");
        try {
            return ASN1Primitive.fromByteArray(der);
        } catch (IOException | RuntimeException e) {
            throw new InvalidKeyException(what + ": malformed DER: " + e.getMessage(), e);
        }
    }
}
