package io.ggen.p2p.crypto;

import java.io.IOException;
import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.RSADigestSigner;

/** RSA private key: the libp2p {@code Data} is the DER PKCS#1 {@code RSAPrivateKey}. */
public final class RsaPrivateKey implements PrivateKey {
    private static final BigInteger F4 = BigInteger.valueOf(65537);
    private final RSAPrivateCrtKeyParameters params;
    private final RsaPublicKey publicKey;

    private RsaPrivateKey(RSAPrivateCrtKeyParameters params) {
        this.params = params;
        this.publicKey = RsaPublicKey.of(params.getModulus(), params.getPublicExponent());
    }

    /** A new 2048-bit key (exponent 65537). */
    public static RsaPrivateKey generate() {
        return generate(2048);
    }

    public static RsaPrivateKey generate(int bits) {
        if (bits < RsaPublicKey.MIN_BITS || bits > RsaPublicKey.MAX_BITS) throw new InvalidKeyException("RSA key size " + bits + " is outside 2048..8192");
        RSAKeyPairGenerator gen = new RSAKeyPairGenerator();
        gen.init(new RSAKeyGenerationParameters(F4, EcSupport.RANDOM, bits, 112));
        AsymmetricCipherKeyPair kp = gen.generateKeyPair();
        return new RsaPrivateKey((RSAPrivateCrtKeyParameters) kp.getPrivate());
    }

    /** Parses DER PKCS#1; the primes must multiply to the modulus. */
    public static RsaPrivateKey fromRaw(byte[] der) {
        RSAPrivateKey k;
        try {
            k = RSAPrivateKey.getInstance(EcSupport.parseDer(der, "RSA private key"));
        } catch (IllegalArgumentException | ClassCastException e) {
            if (e instanceof InvalidKeyException ike) throw ike;
            throw new InvalidKeyException("RSA private key: not PKCS#1: " + e.getMessage(), e);
        }
        RsaPublicKey.checkParameters(k.getModulus(), k.getPublicExponent());
        BigInteger p = k.getPrime1();
        BigInteger q = k.getPrime2();
        if (p.signum() <= 0 || q.signum() <= 0 || !p.multiply(q).equals(k.getModulus())) throw new InvalidKeyException("RSA private key: primes do not match the modulus");
        if (k.getPrivateExponent().signum() <= 0 || k.getExponent1().signum() <= 0 || k.getExponent2().signum() <= 0 || k.getCoefficient().signum() <= 0) {
            throw new InvalidKeyException("RSA private key: non-positive component");
        }
        try {
            return new RsaPrivateKey(new RSAPrivateCrtKeyParameters(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(), p, q,
                    k.getExponent1(), k.getExponent2(), k.getCoefficient()));
        } catch (IllegalArgumentException e) {
            if (e instanceof InvalidKeyException ike) throw ike;
            throw new InvalidKeyException("RSA private key: " + e.getMessage(), e);
        }
    }

    @Override
    public KeyType type() {
        return KeyType.RSA;
    }

    @Override
    public RsaPublicKey publicKey() {
        return publicKey;
    }

    /** RSASSA-PKCS1-v1_5 with SHA-256 (blinded). */
    @Override
    public byte[] sign(byte[] data) {
        RSADigestSigner signer = new RSADigestSigner(new SHA256Digest());
        signer.init(true, params);
        signer.update(data, 0, data.length);
        try {
            return signer.generateSignature();
        } catch (org.bouncycastle.crypto.CryptoException e) {
            throw new IllegalStateException("RSA signing failed", e);
        }
    }

    @Override
    public byte[] raw() {
        try {
            return new RSAPrivateKey(params.getModulus(), params.getPublicExponent(), params.getExponent(), params.getP(), params.getQ(),
                    params.getDP(), params.getDQ(), params.getQInv()).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "RsaPrivateKey[public=" + publicKey + "]";
    }
}
