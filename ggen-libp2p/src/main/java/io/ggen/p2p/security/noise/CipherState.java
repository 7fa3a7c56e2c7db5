package io.ggen.p2p.security.noise;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Noise {@code CipherState} (Noise Protocol Framework rev 34, section 5.1) for the
 * ChaChaPoly cipher: a 32-byte key {@code k} (or none) and a 64-bit nonce {@code n}.
 *
 * <p>ChaCha20-Poly1305 is the JDK's {@code Cipher} (IETF variant, RFC 8439), whose 96-bit nonce
 * is 4 zero bytes followed by {@code n} little-endian, as section 12.3 of the Noise spec says.
 * The JDK has intrinsics for both halves on JDK 21+, but only on heap arrays, so the transport
 * methods work on arrays. One {@code Cipher} per direction is kept and re-initialised with each
 * new nonce: {@code Cipher.getInstance} costs far more than {@code init}.
 *
 * <p>Nonce {@code 2^64-1} is reserved by the Noise spec; once {@code n} reaches it every call
 * fails, and the libp2p spec then requires the connection to be closed. A failed decryption
 * does not advance the nonce (as in the Noise spec), but callers treat it as fatal anyway.
 *
 * <p>Not thread-safe: each direction of a connection owns its own instance on one event loop.
 */
public final class CipherState {
    /** Length of the Poly1305 authentication tag appended to every ciphertext. */
    public static final int TAG_LENGTH = 16;
    public static final int KEY_LENGTH = 32;
    private static final String ALGORITHM = "ChaCha20-Poly1305";
    private static final long RESERVED_NONCE = -1L; // 2^64 - 1 as an unsigned long

    private SecretKeySpec key;
    private long n;
    private Cipher cipher;
    private final byte[] nonceBytes = new byte[12];

    /** A state with no key: encryption and decryption are the identity (Noise {@code InitializeKey(empty)}). */
    public CipherState() {}

    /** A state with key {@code k} and nonce 0. */
    public CipherState(byte[] k) {
        initializeKey(k);
    }

    public void initializeKey(byte[] k) {
        if (k.length != KEY_LENGTH) throw new IllegalArgumentException("ChaChaPoly key must be 32 bytes");
        this.key = new SecretKeySpec(k, "ChaCha20");
        this.n = 0;
    }

    public boolean hasKey() {
        return key != null;
    }

    /** The next nonce to be used, as an unsigned 64-bit value. */
    public long nonce() {
        return n;
    }

    /** Sets the nonce; the Noise {@code SetNonce}, used by tests to reach the reserved nonce. */
    public void setNonce(long nonce) {
        this.n = nonce;
    }

    /** Noise {@code EncryptWithAd}: the plaintext itself when there is no key. */
    public byte[] encryptWithAd(byte[] ad, byte[] plaintext) throws NoiseException {
        if (!hasKey()) return plaintext.clone();
        byte[] out = new byte[plaintext.length + TAG_LENGTH];
        Cipher c = begin(Cipher.ENCRYPT_MODE);
        try {
            if (ad.length > 0) c.updateAAD(ad);
            c.doFinal(plaintext, 0, plaintext.length, out, 0);
        } catch (GeneralSecurityException e) {
            throw new NoiseException("encryption failed", e);
        }
        n++;
        return out;
    }

    /** Noise {@code DecryptWithAd}: the ciphertext itself when there is no key. */
    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws NoiseException {
        if (!hasKey()) return ciphertext.clone();
        if (ciphertext.length < TAG_LENGTH) throw new NoiseException("ciphertext shorter than its authentication tag");
        byte[] out = new byte[ciphertext.length - TAG_LENGTH];
        Cipher c = begin(Cipher.DECRYPT_MODE);
        try {
            if (ad.length > 0) c.updateAAD(ad);
            c.doFinal(ciphertext, 0, ciphertext.length, out, 0);
        } catch (AEADBadTagException e) {
            throw new NoiseException("decryption failed: authentication tag mismatch");
        } catch (GeneralSecurityException e) {
            throw new NoiseException("decryption failed", e);
        }
        n++;
        return out;
    }

    /**
     * Transport encryption with empty associated data, array to array:
     * writes {@code len + 16} bytes at {@code out[outOff]} and returns that count.
     */
    public int encrypt(byte[] in, int inOff, int len, byte[] out, int outOff) throws NoiseException {
        requireKey();
        Cipher c = begin(Cipher.ENCRYPT_MODE);
        int written;
        try {
            written = c.doFinal(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new NoiseException("encryption failed", e);
        }
        n++;
        return written;
    }

    /**
     * Transport encryption of a plaintext made of several parts (for instance the components of
     * a composite buffer of coalesced writes) into one ciphertext at {@code out[outOff]}, using at
     * most {@code outLen} bytes there; returns the bytes written (total plaintext + 16). Heap
     * parts are encrypted from their own arrays (the JDK's ByteBuffer paths would copy each into
     * a new array); direct parts are copied through {@code scratch} first.
     */
    public int encrypt(ByteBuffer[] parts, byte[] out, int outOff, int outLen, byte[] scratch) throws NoiseException {
        requireKey();
        long total = 0;
        for (ByteBuffer part : parts) total += part.remaining();
        if (total + TAG_LENGTH > outLen) throw new NoiseException("ciphertext of " + (total + TAG_LENGTH) + " bytes does not fit in " + outLen);
        Cipher c = begin(Cipher.ENCRYPT_MODE);
        int at = outOff;
        try {
            for (ByteBuffer part : parts) {
                int len = part.remaining();
                if (len == 0) continue;
                if (part.hasArray()) {
                    at += c.update(part.array(), part.arrayOffset() + part.position(), len, out, at);
                } else {
                    for (int done = 0; done < len; ) {
                        int k = Math.min(scratch.length, len - done);
                        part.get(part.position() + done, scratch, 0, k);
                        at += c.update(scratch, 0, k, out, at);
                        done += k;
                    }
                }
            }
            at += c.doFinal(out, at, 0, out, at);
        } catch (GeneralSecurityException e) {
            throw new NoiseException("encryption failed", e);
        }
        n++;
        return at - outOff;
    }

    /**
     * Transport decryption with empty associated data: reads {@code len} bytes of ciphertext
     * (including the tag) and writes {@code len - 16} bytes of plaintext at {@code out[outOff]}.
     */
    public int decrypt(byte[] in, int inOff, int len, byte[] out, int outOff) throws NoiseException {
        requireKey();
        if (len < TAG_LENGTH) throw new NoiseException("ciphertext shorter than its authentication tag");
        Cipher c = begin(Cipher.DECRYPT_MODE);
        int written;
        try {
            written = c.doFinal(in, inOff, len, out, outOff);
        } catch (AEADBadTagException e) {
            throw new NoiseException("decryption failed: authentication tag mismatch");
        } catch (GeneralSecurityException e) {
            throw new NoiseException("decryption failed", e);
        }
        n++;
        return written;
    }

    /** Forgets the key; later use fails. Called when a connection ends. */
    public void destroy() {
        key = null;
        cipher = null;
        n = RESERVED_NONCE;
    }

    private void requireKey() throws NoiseException {
        if (!hasKey()) throw new NoiseException("cipher state has no key");
    }

    private Cipher begin(int mode) throws NoiseException {
        if (n == RESERVED_NONCE) throw new NoiseException("nonce exhausted: 2^64-1 messages sent on this key");
        long v = n;
        for (int i = 4; i < 12; i++) {
            nonceBytes[i] = (byte) v;
            v >>>= 8;
        }
        try {
            if (cipher == null) cipher = Cipher.getInstance(ALGORITHM);
            // IvParameterSpec copies the array, so reusing nonceBytes is safe.
            cipher.init(mode, key, new IvParameterSpec(nonceBytes));
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
        } catch (GeneralSecurityException e) {
            throw new NoiseException("cipher initialisation failed", e);
        }
        return cipher;
    }

    @Override
    public String toString() {
        return "CipherState[" + (hasKey() ? "keyed" : "empty") + ", n=" + Long.toUnsignedString(n) + "]";
    }
}
