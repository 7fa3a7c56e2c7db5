package io.ggen.p2p.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.RSADigestSigner;

/**
 * RSA public key: the libp2p {@code Data} is the DER SubjectPublicKeyInfo (PKIX). Signatures are
 * RSASSA-PKCS1-v1_5 with SHA-256. Moduli outside {@value #MIN_BITS}..{@value #MAX_BITS} bits are
 * refused (smaller is weak, larger is a denial-of-service lever).
 */
public final class RsaPublicKey implements PublicKey {
    public static final int MIN_BITS = 2048;
    public static final int MAX_BITS = 8192;

    private final RSAKeyParameters params;
    private final byte[] encoded;

    private RsaPublicKey(RSAKeyParameters params, byte[] encoded) {
        this.params = params;
        this.encoded = encoded;
    }

    static RsaPublicKey of(BigInteger modulus, BigInteger exponent) {
        checkParameters(modulus, exponent);
        try {
            byte[] der = new SubjectPublicKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), new RSAPublicKey(modulus, exponent))
                    .getEncoded(ASN1Encoding.DER);
            return new RsaPublicKey(parameters(modulus, exponent), der);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** BouncyCastle refuses some moduli itself (small factors, not a probable composite): an invalid key here. */
    private static RSAKeyParameters parameters(BigInteger modulus, BigInteger exponent) {
        try {
            return new RSAKeyParameters(false, modulus, exponent);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("RSA public key: " + e.getMessage(), e);
        }
    }

    static void checkParameters(BigInteger n, BigInteger e) {
        int bits = n.bitLength();
        if (bits < MIN_BITS || bits > MAX_BITS) throw new InvalidKeyException("RSA key of " + bits + " bits is outside " + MIN_BITS + ".." + MAX_BITS);
        if (!n.testBit(0)) throw new InvalidKeyException("RSA modulus is even");
        if (e.signum() <= 0 || !e.testBit(0) || e.equals(BigInteger.ONE) || e.compareTo(n) >= 0) throw new InvalidKeyException("RSA public exponent is invalid");
    }

    /** Parses a DER SubjectPublicKeyInfo holding an rsaEncryption key. */
    public static RsaPublicKey fromRaw(byte[] der) {
        RSAPublicKey key;
        try {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(EcSupport.parseDer(der, "RSA public key"));
            if (!PKCSObjectIdentifiers.rsaEncryption.equals(spki.getAlgorithm().getAlgorithm())) throw new InvalidKeyException("RSA public key: algorithm is not rsaEncryption");
            key = RSAPublicKey.getInstance(spki.parsePublicKey());
        } catch (IOException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
            if (e instanceof InvalidKeyException ike) throw ike;
            throw new InvalidKeyException("RSA public key: not a PKIX RSA key: " + e.getMessage(), e);
        }
        checkParameters(key.getModulus(), key.getPublicExponent());
        // The peer id hashes these exact bytes, so keep what the peer sent.
        return new RsaPublicKey(parameters(key.getModulus(), key.getPublicExponent()), der.clone());
    }

    @Override
    public KeyType type() {
        return KeyType.RSA;
    }

    @Override
    public byte[] raw() {
        return encoded.clone();
    }

    public int bits() {
        return params.getModulus().bitLength();
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        if (data == null || signature == null || signature.length != (bits() + 7) / 8) return false;
        try {
            RSADigestSigner verifier = new RSADigestSigner(new SHA256Digest());
            verifier.init(false, params);
            verifier.update(data, 0, data.length);
            return verifier.verifySignature(signature);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RsaPublicKey other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "RsaPublicKey[" + bits() + " bits]";
    }
}
