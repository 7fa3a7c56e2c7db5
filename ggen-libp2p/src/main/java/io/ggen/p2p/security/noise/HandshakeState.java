package io.ggen.p2p.security.noise;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The Noise {@code HandshakeState} (rev 34, section 5.3) for the one pattern libp2p uses,
 * {@code XX}, with 25519 DH, ChaChaPoly and SHA-256:
 * <pre>
 *   -&gt; e
 *   &lt;- e, ee, s, es
 *   -&gt; s, se
 * </pre>
 * Only the pattern's three messages are hard-wired; everything else (prologue, payloads) is as
 * general as the Noise spec, so that the class can be checked against the published test
 * vectors. It knows nothing of libp2p: see {@link NoiseHandshake} for the signed payloads.
 *
 * <p>All input lengths are checked before anything is allocated from them. Any failure leaves
 * the state unusable (every later call fails), as a Noise handshake cannot be resumed.
 */
public final class HandshakeState {
    public static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
    public static final int DHLEN = 32;
    /** The Noise spec's limit on any message (section 3). */
    public static final int MAX_MESSAGE = 65535;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean initiator;
    private final SymmetricState ss;
    private final byte[] sPriv;
    private final byte[] sPub = new byte[DHLEN];
    private final byte[] fixedEphemeral; // test vectors only; null means fresh random
    private byte[] ePriv;
    private byte[] ePub;
    private byte[] re;
    private byte[] rs;
    private int message; // index of the next message of the pattern, 0..3
    private boolean failed;

    /**
     * @param staticPrivate our 32-byte X25519 static private key
     * @param fixedEphemeral a fixed ephemeral private key for test vectors, or null for a random one
     */
    public HandshakeState(boolean initiator, byte[] prologue, byte[] staticPrivate, byte[] fixedEphemeral) {
        this(initiator, prologue, staticPrivate, publicKeyOf(checkKey(staticPrivate)), fixedEphemeral);
    }

    /**
     * With the static key's public half already known (a host's static key, computed once),
     * which saves a scalar multiplication per handshake.
     *
     * @param staticPublic the X25519 public key of {@code staticPrivate}; not checked
     */
    public HandshakeState(boolean initiator, byte[] prologue, byte[] staticPrivate, byte[] staticPublic, byte[] fixedEphemeral) {
        checkKey(staticPrivate);
        checkKey(staticPublic);
        if (fixedEphemeral != null) checkKey(fixedEphemeral);
        this.initiator = initiator;
        this.sPriv = staticPrivate.clone();
        System.arraycopy(staticPublic, 0, sPub, 0, DHLEN);
        this.fixedEphemeral = fixedEphemeral == null ? null : fixedEphemeral.clone();
        this.ss = new SymmetricState(PROTOCOL_NAME);
        ss.mixHash(prologue);
        // XX has no pre-messages, so nothing more is hashed here.
    }

    private static byte[] checkKey(byte[] key) {
        if (key.length != DHLEN) throw new IllegalArgumentException("X25519 key must be 32 bytes");
        return key;
    }

    /** A fresh random X25519 private key (the Noise {@code GENERATE_KEYPAIR}). */
    public static byte[] generatePrivateKey() {
        byte[] k = new byte[DHLEN];
        X25519.generatePrivateKey(RANDOM, k);
        return k;
    }

    public static byte[] publicKeyOf(byte[] privateKey) {
        byte[] pub = new byte[DHLEN];
        X25519.generatePublicKey(privateKey, 0, pub, 0);
        return pub;
    }

    public boolean isInitiator() {
        return initiator;
    }

    /** True when it is our turn to write the next message. */
    public boolean isMyTurn() {
        return !isComplete() && (message % 2 == 0) == initiator;
    }

    public boolean isComplete() {
        return message == 3;
    }

    public byte[] localStaticPublicKey() {
        return sPub.clone();
    }

    /** The remote static public key, once received (message 2 for the initiator, 3 for the responder). */
    public byte[] remoteStaticPublicKey() {
        return rs == null ? null : rs.clone();
    }

    public byte[] handshakeHash() {
        return ss.handshakeHash();
    }

    /** Largest payload that fits in the next message we write. */
    public int maxPayload() {
        return MAX_MESSAGE - fixedOverhead(message);
    }

    /** {@code WriteMessage(payload)}: the next handshake message. */
    public byte[] writeMessage(byte[] payload) throws NoiseException {
        checkUsable();
        if (!isMyTurn()) throw new NoiseException("not our turn to write a handshake message");
        if (payload.length > maxPayload()) throw new NoiseException("handshake payload too large: " + payload.length + " bytes");
        failed = true; // cleared on success below
        byte[] out = new byte[fixedOverhead(message) + payload.length];
        int pos = 0;
        switch (message) {
            case 0 -> { // -> e
                pos = writeE(out, pos);
            }
            case 1 -> { // <- e, ee, s, es
                pos = writeE(out, pos);
                ss.mixKey(dh(ePriv, re));
                pos = put(out, pos, ss.encryptAndHash(sPub));
                ss.mixKey(dh(sPriv, re));
            }
            case 2 -> { // -> s, se
                pos = put(out, pos, ss.encryptAndHash(sPub));
                ss.mixKey(dh(sPriv, re));
            }
            default -> throw new IllegalStateException();
        }
        pos = put(out, pos, ss.encryptAndHash(payload));
        if (pos != out.length) throw new IllegalStateException("handshake message length mismatch");
        message++;
        failed = false;
        return out;
    }

    /** {@code ReadMessage(message)}: the payload it carries; fails on any defect. */
    public byte[] readMessage(byte[] msg) throws NoiseException {
        checkUsable();
        if (isComplete() || isMyTurn()) throw new NoiseException("not expecting a handshake message now");
        int min = fixedOverhead(message);
        if (msg.length < min) throw new NoiseException("handshake message " + (message + 1) + " too short: " + msg.length + " bytes, need at least " + min);
        if (msg.length > MAX_MESSAGE) throw new NoiseException("handshake message longer than 65535 bytes");
        failed = true;
        int pos = 0;
        switch (message) {
            case 0 -> { // -> e
                pos = readE(msg, pos);
            }
            case 1 -> { // <- e, ee, s, es
                pos = readE(msg, pos);
                ss.mixKey(dh(ePriv, re));
                rs = ss.decryptAndHash(Arrays.copyOfRange(msg, pos, pos + DHLEN + CipherState.TAG_LENGTH));
                pos += DHLEN + CipherState.TAG_LENGTH;
                ss.mixKey(dh(ePriv, rs));
            }
            case 2 -> { // -> s, se
                rs = ss.decryptAndHash(Arrays.copyOfRange(msg, pos, pos + DHLEN + CipherState.TAG_LENGTH));
                pos += DHLEN + CipherState.TAG_LENGTH;
                ss.mixKey(dh(ePriv, rs));
            }
            default -> throw new IllegalStateException();
        }
        byte[] payload = ss.decryptAndHash(Arrays.copyOfRange(msg, pos, msg.length));
        message++;
        failed = false;
        return payload;
    }

    /**
     * {@code Split()} after the last message: {@code [send, receive]} from our point of view
     * (the Noise spec's c1 is the initiator's sending cipher, c2 the responder's).
     */
    public CipherState[] split() throws NoiseException {
        checkUsable();
        if (!isComplete()) throw new NoiseException("handshake not complete");
        CipherState[] c = ss.split();
        Arrays.fill(sPriv, (byte) 0);
        if (ePriv != null) Arrays.fill(ePriv, (byte) 0);
        failed = true; // the handshake state must not be used after Split
        return initiator ? new CipherState[] {c[0], c[1]} : new CipherState[] {c[1], c[0]};
    }

    /** Bytes of message {@code index} that are not payload (keys and tags). */
    private static int fixedOverhead(int index) {
        return switch (index) {
            case 0 -> DHLEN; // e, payload in clear (no key yet)
            case 1 -> DHLEN + DHLEN + CipherState.TAG_LENGTH + CipherState.TAG_LENGTH; // e, enc(s), payload tag
            case 2 -> DHLEN + CipherState.TAG_LENGTH + CipherState.TAG_LENGTH; // enc(s), payload tag
            default -> 0;
        };
    }

    private int writeE(byte[] out, int pos) {
        ePriv = fixedEphemeral != null ? fixedEphemeral.clone() : generatePrivateKey();
        ePub = publicKeyOf(ePriv);
        ss.mixHash(ePub);
        return put(out, pos, ePub);
    }

    private int readE(byte[] msg, int pos) {
        re = Arrays.copyOfRange(msg, pos, pos + DHLEN);
        ss.mixHash(re);
        return pos + DHLEN;
    }

    private static int put(byte[] out, int pos, byte[] data) {
        System.arraycopy(data, 0, out, pos, data.length);
        return pos + data.length;
    }

    /**
     * X25519. A low-order remote key gives an all-zero result, which we refuse (the Noise spec
     * allows either; refusing keeps a malicious peer from forcing a known shared secret).
     */
    private static byte[] dh(byte[] priv, byte[] pub) throws NoiseException {
        byte[] out = new byte[DHLEN];
        if (!X25519.calculateAgreement(priv, 0, pub, 0, out, 0)) {
            throw new NoiseException("X25519: remote public key has low order");
        }
        return out;
    }

    private void checkUsable() throws NoiseException {
        if (failed) throw new NoiseException("handshake state is no longer usable");
    }
}
