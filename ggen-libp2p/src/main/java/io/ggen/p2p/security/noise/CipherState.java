package io.ggen.p2p.security.noise;

import java.nio.ByteBuffer;

/**
 * The Noise {@code CipherState} (Noise Protocol Framework rev 34, section 5.1) for the
 * ChaChaPoly cipher: a 32-byte key {@code k} (or none) and a 64-bit nonce {@code n}.
 *
 * <p>The arithmetic is a {@link ChaChaPoly} (RFC 8439, the IETF variant): the system's OpenSSL
 * or the JDK's cipher, whichever {@link ChaChaPolyEngine} chose for the process. Its 96-bit
 * nonce is 4 zero bytes followed by {@code n} little-endian, as section 12.3 of the Noise spec
 * says. The transport methods work on arrays (and, for coalesced writes, on a list of buffers).
 *
 * <p>Nonce {@code 2^64-1} is reserved by the Noise spec; once {@code n} reaches it every call
 * fails, and the libp2p spec then requires the connection to be closed. A failed decryption
 * does not advance the nonce (as in the Noise spec), but callers treat it as fatal anyway.
 *
 * <p>Not thread-safe: each direction of a connection owns its own instance on one event loop.
 */
public final class CipherState {
    /** Length of the Poly1305 authentication tag appended to every ciphertext. */
    public static final int TAG_LENGTH = ChaChaPoly.TAG_LENGTH;
    public static final int KEY_LENGTH = ChaChaPoly.KEY_LENGTH;
    private static final long RESERVED_NONCE = -1L; // 2^64 - 1 as an unsigned long
    private static final byte[] NO_AD = new byte[0];

    /** The cipher, created with the first key; null before and after {@link #destroy}. */
    private ChaChaPoly aead;
    private boolean keyed;
    private long n;

    /** A state with no key: encryption and decryption are the identity (Noise {@code InitializeKey(empty)}). */
    public CipherState() {}

    /** A state with key {@code k} and nonce 0. */
    public CipherState(byte[] k) {
        initializeKey(k);
    }

    /** A state with key {@code k} on a given implementation: tests run the transport on each. */
    CipherState(byte[] k, ChaChaPoly implementation) {
        aead = implementation;
        initializeKey(k);
    }

    public void initializeKey(byte[] k) {
        if (k.length != KEY_LENGTH) throw new IllegalArgumentException("ChaChaPoly key must be 32 bytes");
        if (aead == null) aead = ChaChaPolyEngine.newInstance();
        aead.setKey(k);
        keyed = true;
        this.n = 0;
    }

    public boolean hasKey() {
        return keyed;
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
        aead.seal(checkedNonce(), ad, plaintext, 0, plaintext.length, out, 0);
        n++;
        return out;
    }

    /** Noise {@code DecryptWithAd}: the ciphertext itself when there is no key. */
    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws NoiseException {
        if (!hasKey()) return ciphertext.clone();
        if (ciphertext.length < TAG_LENGTH) throw new NoiseException("ciphertext shorter than its authentication tag");
        byte[] out = new byte[ciphertext.length - TAG_LENGTH];
        aead.open(checkedNonce(), ad, ciphertext, 0, ciphertext.length, out, 0);
        n++;
        return out;
    }

    /**
     * Transport encryption with empty associated data, array to array:
     * writes {@code len + 16} bytes at {@code out[outOff]} and returns that count.
     */
    public int encrypt(byte[] in, int inOff, int len, byte[] out, int outOff) throws NoiseException {
        requireKey();
        int written = aead.seal(checkedNonce(), NO_AD, in, inOff, len, out, outOff);
        n++;
        return written;
    }

    /**
     * Transport encryption of a plaintext made of several parts (for instance the components of
     * a composite buffer of coalesced writes) into one ciphertext at {@code out[outOff]}, using at
     * most {@code outLen} bytes there; returns the bytes written (total plaintext + 16). Each part
     * is read where it is, heap or direct, without first being gathered into one.
     */
    public int encrypt(ByteBuffer[] parts, byte[] out, int outOff, int outLen) throws NoiseException {
        requireKey();
        long total = 0;
        for (ByteBuffer part : parts) total += part.remaining();
        if (total + TAG_LENGTH > outLen) throw new NoiseException("ciphertext of " + (total + TAG_LENGTH) + " bytes does not fit in " + outLen);
        int written = aead.sealParts(checkedNonce(), parts, total, out, outOff);
        n++;
        return written;
    }

    /**
     * True when the cipher reads and writes direct buffers without copying: then the transport
     * uses {@link #encrypt(ByteBuffer[], ByteBuffer)} and the piecewise decryption
     * ({@link #beginDecrypt}, {@link #decryptPiece}, {@link #finishDecrypt}).
     */
    public boolean worksOnNativeMemory() {
        return aead != null && aead.worksOnNativeMemory();
    }

    /**
     * Transport encryption of {@code parts} into {@code out} (a direct buffer, say) at its
     * position, which must have room for the total plus 16; returns the bytes written. Only when
     * {@link #worksOnNativeMemory}.
     */
    public int encrypt(ByteBuffer[] parts, ByteBuffer out) throws NoiseException {
        requireKey();
        long total = 0;
        for (ByteBuffer part : parts) total += part.remaining();
        if (total + TAG_LENGTH > out.remaining()) throw new NoiseException("ciphertext of " + (total + TAG_LENGTH) + " bytes does not fit in " + out.remaining());
        int written = aead.sealInto(checkedNonce(), parts, total, out);
        n++;
        return written;
    }

    /**
     * Begins decrypting one transport message whose ciphertext arrives in pieces (straight from
     * the socket's buffers): {@link #decryptPiece} for each piece, then {@link #finishDecrypt}
     * with its tag, which alone makes the plaintext usable. Only when {@link #worksOnNativeMemory}.
     */
    public void beginDecrypt() throws NoiseException {
        requireKey();
        aead.openBegin(checkedNonce());
    }

    /** Decrypts the remaining bytes of {@code in} to {@code out[outOff]}, leaving {@code in}'s position. */
    public void decryptPiece(ByteBuffer in, byte[] out, int outOff) throws NoiseException {
        requireKey();
        aead.openPiece(in, out, outOff);
    }

    /**
     * Checks the message's tag; on success the {@code plainLen} bytes at {@code out[outOff]} are
     * its plaintext and the nonce advances, on failure they are zeroed and this throws.
     */
    public void finishDecrypt(byte[] tag, byte[] out, int outOff, int plainLen) throws NoiseException {
        requireKey();
        aead.openFinish(tag, out, outOff, plainLen);
        n++;
    }

    /**
     * Transport decryption with empty associated data: reads {@code len} bytes of ciphertext
     * (including the tag) and writes {@code len - 16} bytes of plaintext at {@code out[outOff]}.
     */
    public int decrypt(byte[] in, int inOff, int len, byte[] out, int outOff) throws NoiseException {
        requireKey();
        if (len < TAG_LENGTH) throw new NoiseException("ciphertext shorter than its authentication tag");
        int written = aead.open(checkedNonce(), NO_AD, in, inOff, len, out, outOff);
        n++;
        return written;
    }

    /** Forgets the key and frees the cipher; later use fails. Called when a connection ends. */
    public void destroy() {
        if (aead != null) aead.destroy();
        aead = null;
        keyed = false;
        n = RESERVED_NONCE;
    }

    private void requireKey() throws NoiseException {
        if (!hasKey()) throw new NoiseException("cipher state has no key");
    }

    private long checkedNonce() throws NoiseException {
        if (n == RESERVED_NONCE) throw new NoiseException("nonce exhausted: 2^64-1 messages sent on this key");
        return n;
    }

    @Override
    public String toString() {
        return "CipherState[" + (hasKey() ? "keyed" : "empty") + ", n=" + Long.toUnsignedString(n) + "]";
    }
}
