package io.ggen.p2p.security.noise;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * ChaCha20-Poly1305 from the JDK's {@code Cipher}, which has intrinsics for both halves on JDK
 * 21+, but only on heap arrays (its ByteBuffer paths copy into new arrays), so everything here
 * works on arrays. One {@code Cipher} is kept and re-initialised with each nonce:
 * {@code Cipher.getInstance} costs far more than {@code init}. Used when OpenSSL is not
 * available (see {@link ChaChaPolyEngine}).
 */
final class JdkChaChaPoly extends ChaChaPoly {
    private static final String ALGORITHM = "ChaCha20-Poly1305";

    private SecretKeySpec key;
    private Cipher cipher;
    private final byte[] nonceBytes = new byte[12];
    /** Reused array for direct parts of {@link #sealParts} (rare: small control frames). */
    private byte[] scratch;

    @Override
    void setKey(byte[] k) {
        if (k.length != KEY_LENGTH) throw new IllegalArgumentException("ChaChaPoly key must be 32 bytes");
        key = new SecretKeySpec(k, "ChaCha20");
    }

    @Override
    int seal(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) throws NoiseException {
        checkRange(in.length, inOff, len);
        checkRange(out.length, outOff, len + TAG_LENGTH);
        checkNoPartialOverlap(in, inOff, len, out, outOff, len + TAG_LENGTH);
        Cipher c = begin(Cipher.ENCRYPT_MODE, nonce);
        try {
            if (ad.length > 0) c.updateAAD(ad);
            return c.doFinal(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new NoiseException("encryption failed", e);
        }
    }

    @Override
    int sealParts(long nonce, ByteBuffer[] parts, long total, byte[] out, int outOff) throws NoiseException {
        checkRange(out.length, outOff, Math.toIntExact(total + TAG_LENGTH));
        Cipher c = begin(Cipher.ENCRYPT_MODE, nonce);
        int at = outOff;
        try {
            for (ByteBuffer part : parts) {
                int len = part.remaining();
                if (len == 0) continue;
                if (part.hasArray()) {
                    at += c.update(part.array(), part.arrayOffset() + part.position(), len, out, at);
                } else {
                    if (scratch == null) scratch = new byte[4096];
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
        return at - outOff;
    }

    @Override
    int open(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) throws NoiseException {
        if (len < TAG_LENGTH) throw new NoiseException("ciphertext shorter than its authentication tag");
        checkRange(in.length, inOff, len);
        checkRange(out.length, outOff, len - TAG_LENGTH);
        checkNoPartialOverlap(in, inOff, len, out, outOff, len - TAG_LENGTH);
        Cipher c = begin(Cipher.DECRYPT_MODE, nonce);
        try {
            if (ad.length > 0) c.updateAAD(ad);
            return c.doFinal(in, inOff, len, out, outOff);
        } catch (AEADBadTagException e) {
            // The JDK writes nothing before the tag is checked; zeroed anyway, as the contract says.
            Arrays.fill(out, outOff, outOff + len - TAG_LENGTH, (byte) 0);
            throw new NoiseException("decryption failed: authentication tag mismatch");
        } catch (GeneralSecurityException e) {
            throw new NoiseException("decryption failed", e);
        }
    }

    @Override
    void destroy() {
        key = null;
        cipher = null;
    }

    private Cipher begin(int mode, long nonce) throws NoiseException {
        if (key == null) throw new NoiseException("cipher has no key");
        writeNonce(nonce, nonceBytes);
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
}
