package io.ggen.p2p.security.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Noise {@code SymmetricState} (rev 34, section 5.2) with SHA-256: chaining key {@code ck},
 * handshake hash {@code h} and a {@link CipherState}. HKDF is the Noise spec's own (section 4.3):
 * HMAC-SHA256 extract with {@code ck} as the salt, then two or three expand blocks.
 */
public final class SymmetricState {
    public static final int HASHLEN = 32;

    private final CipherState cipher = new CipherState();
    private final MessageDigest sha256;
    private final Mac hmac;
    private byte[] ck;
    private byte[] h;

    /** {@code InitializeSymmetric(protocolName)}. */
    public SymmetricState(String protocolName) {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
            hmac = Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256 or HmacSHA256", e);
        }
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        // A name of at most HASHLEN bytes is zero-padded into h; a longer one is hashed.
        h = name.length <= HASHLEN ? Arrays.copyOf(name, HASHLEN) : sha256.digest(name);
        ck = h.clone();
    }

    public void mixKey(byte[] inputKeyMaterial) {
        byte[][] out = hkdf(ck, inputKeyMaterial);
        ck = out[0];
        // HASHLEN is 32 = the ChaChaPoly key length, so no truncation is needed.
        cipher.initializeKey(out[1]);
    }

    public void mixHash(byte[] data) {
        sha256.update(h);
        sha256.update(data);
        h = sha256.digest();
    }

    public byte[] encryptAndHash(byte[] plaintext) throws NoiseException {
        byte[] ciphertext = cipher.encryptWithAd(h, plaintext);
        mixHash(ciphertext);
        return ciphertext;
    }

    public byte[] decryptAndHash(byte[] ciphertext) throws NoiseException {
        byte[] plaintext = cipher.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return plaintext;
    }

    public boolean hasKey() {
        return cipher.hasKey();
    }

    /** The handshake hash {@code h} (a copy): after the handshake, a unique channel binding. */
    public byte[] handshakeHash() {
        return h.clone();
    }

    /** {@code Split()}: the initiator-to-responder and responder-to-initiator cipher states. */
    public CipherState[] split() {
        byte[][] out = hkdf(ck, new byte[0]);
        CipherState c1 = new CipherState(out[0]);
        CipherState c2 = new CipherState(out[1]);
        Arrays.fill(ck, (byte) 0);
        Arrays.fill(out[0], (byte) 0);
        Arrays.fill(out[1], (byte) 0);
        // The handshake's own key has no use after Split: forget it, and free its native
        // context (OpenSSL's) now rather than when this state is collected.
        cipher.destroy();
        return new CipherState[] {c1, c2};
    }

    private byte[][] hkdf(byte[] chainingKey, byte[] ikm) {
        byte[] tempKey = hmac(chainingKey, ikm);
        byte[] out1 = hmac(tempKey, new byte[] {1});
        byte[] in2 = Arrays.copyOf(out1, HASHLEN + 1);
        in2[HASHLEN] = 2;
        byte[] out2 = hmac(tempKey, in2);
        Arrays.fill(tempKey, (byte) 0);
        return new byte[][] {out1, out2};
    }

    private byte[] hmac(byte[] key, byte[] data) {
        try {
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return hmac.doFinal(data);
    }
}
