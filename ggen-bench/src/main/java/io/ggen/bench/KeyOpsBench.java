package io.ggen.bench;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The key operations of one connection set-up, BouncyCastle's (what the Noise handshake and our
 * Ed25519 keys use) against the JDK's own (XDH and EdDSA of SunEC). Per side, a libp2p Noise XX
 * handshake does one ephemeral key generation, three X25519 agreements, one Ed25519 signature
 * (or none: the host signs its Noise static key once) and one verification; identify adds one
 * verification (the signed peer record). The JDK rows include turning raw 32-byte keys into
 * key objects, as the handshake would have to (its keys arrive as bytes).
 *
 * <p>{@code java -jar ggen-bench/target/benchmarks.jar KeyOps -f 1 -wi 3 -w 1s -i 5 -r 1s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KeyOpsBench {
    private static final byte[] MESSAGE = new byte[56];

    private final SecureRandom random = new SecureRandom();
    private byte[] xPriv;
    private byte[] xPeerPub;
    private byte[] edPriv;
    private byte[] edPub;
    private byte[] edSig;
    private KeyFactory xdhFactory;
    private KeyPairGenerator xdhGenerator;
    private KeyPair jdkEd;
    private byte[] jdkEdSig;

    @Setup
    public void setup() throws Exception {
        xPriv = new byte[32];
        X25519.generatePrivateKey(random, xPriv);
        byte[] peerPriv = new byte[32];
        X25519.generatePrivateKey(random, peerPriv);
        xPeerPub = new byte[32];
        X25519.generatePublicKey(peerPriv, 0, xPeerPub, 0);
        edPriv = new byte[32];
        Ed25519.generatePrivateKey(random, edPriv);
        edPub = new byte[32];
        Ed25519.generatePublicKey(edPriv, 0, edPub, 0);
        edSig = new byte[64];
        Ed25519.sign(edPriv, 0, MESSAGE, 0, MESSAGE.length, edSig, 0);
        xdhFactory = KeyFactory.getInstance("XDH");
        xdhGenerator = KeyPairGenerator.getInstance("X25519");
        KeyPairGenerator edGen = KeyPairGenerator.getInstance("Ed25519");
        jdkEd = edGen.generateKeyPair();
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(jdkEd.getPrivate());
        s.update(MESSAGE);
        jdkEdSig = s.sign();
    }

    @Benchmark
    public byte[] x25519KeyGenBc() {
        byte[] priv = new byte[32];
        X25519.generatePrivateKey(random, priv);
        byte[] pub = new byte[32];
        X25519.generatePublicKey(priv, 0, pub, 0);
        return pub;
    }

    @Benchmark
    public byte[] x25519AgreeBc() {
        byte[] out = new byte[32];
        X25519.calculateAgreement(xPriv, 0, xPeerPub, 0, out, 0);
        return out;
    }

    @Benchmark
    public KeyPair x25519KeyGenJdk() {
        return xdhGenerator.generateKeyPair();
    }

    @Benchmark
    public byte[] x25519AgreeJdk() throws Exception {
        var priv = xdhFactory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, xPriv));
        byte[] le = xPeerPub.clone();
        le[31] &= 0x7f;
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) be[i] = le[31 - i];
        var pub = xdhFactory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
        KeyAgreement ka = KeyAgreement.getInstance("XDH");
        ka.init(priv);
        ka.doPhase(pub, true);
        return ka.generateSecret();
    }

    @Benchmark
    public byte[] ed25519SignBc() {
        byte[] sig = new byte[64];
        Ed25519.sign(edPriv, 0, MESSAGE, 0, MESSAGE.length, sig, 0);
        return sig;
    }

    @Benchmark
    public boolean ed25519VerifyBc() {
        return Ed25519.verify(edSig, 0, edPub, 0, MESSAGE, 0, MESSAGE.length);
    }

    @Benchmark
    public byte[] ed25519SignJdk() throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(jdkEd.getPrivate());
        s.update(MESSAGE);
        return s.sign();
    }

    @Benchmark
    public boolean ed25519VerifyJdk() throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(jdkEd.getPublic());
        s.update(MESSAGE);
        return s.verify(jdkEdSig);
    }
}
