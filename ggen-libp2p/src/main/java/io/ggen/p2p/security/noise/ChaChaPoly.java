package io.ggen.p2p.security.noise;

import java.nio.ByteBuffer;

/**
 * One ChaCha20-Poly1305 key (RFC 8439, the IETF variant) with the Noise nonce layout: the 96-bit
 * nonce is 4 zero bytes followed by the 64-bit counter, little-endian (Noise spec section 12.3).
 * {@link CipherState} keeps the counter; this does the arithmetic.
 *
 * <p>Two implementations, chosen once per process by {@link ChaChaPolyEngine}: the system's
 * OpenSSL through the foreign-function API (JDK 22+), and the JDK's own {@code Cipher}.
 * Outputs are identical (a test holds one to the other); only their cost differs.
 *
 * <p>Not thread-safe: one instance belongs to one direction of one connection, used on its event
 * loop (or by one handshake). Bounds are checked before any byte is read or written.
 */
abstract class ChaChaPoly {
    static final int TAG_LENGTH = 16;
    static final int KEY_LENGTH = 32;

    /** Sets the key (32 bytes, copied); may be called again to re-key. */
    abstract void setKey(byte[] key);

    /**
     * Encrypts {@code len} bytes at {@code in[inOff]} with associated data {@code ad} (empty for
     * transport messages) and writes ciphertext plus tag, {@code len + 16} bytes, at
     * {@code out[outOff]}; returns that count. {@code out} may be {@code in} at the same offset.
     */
    abstract int seal(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) throws NoiseException;

    /**
     * Encrypts the remaining bytes of {@code parts}, in order, as one plaintext with empty
     * associated data into {@code out[outOff]}; returns total + 16. The caller has checked that
     * {@code out} has room.
     */
    abstract int sealParts(long nonce, ByteBuffer[] parts, long total, byte[] out, int outOff) throws NoiseException;

    /**
     * Checks and decrypts {@code len} bytes (ciphertext and its tag) at {@code in[inOff]}, writing
     * {@code len - 16} bytes of plaintext at {@code out[outOff]}; returns that count. On a tag
     * mismatch it throws and leaves no plaintext in {@code out} (what was there is zeroed).
     * {@code out} may be {@code in} at the same offset.
     */
    abstract int open(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) throws NoiseException;

    /**
     * True when this implementation reads and writes native memory (direct buffers) without
     * copying, and so offers {@link #sealInto} and the piecewise open: the transport then
     * decrypts straight out of the socket's buffers and encrypts straight into the buffers
     * written to the socket. False for the JDK's, whose direct-buffer paths copy into arrays.
     */
    boolean worksOnNativeMemory() {
        return false;
    }

    /**
     * As {@link #sealParts}, into {@code out} (heap or direct) at its position, which must have
     * {@code total + 16} bytes remaining; returns that count and leaves {@code out}'s position.
     * Only when {@link #worksOnNativeMemory}.
     */
    int sealInto(long nonce, ByteBuffer[] parts, long total, ByteBuffer out) throws NoiseException {
        throw new UnsupportedOperationException("this ChaCha20-Poly1305 works on arrays only");
    }

    /**
     * Begins a piecewise open of one message with empty associated data: its ciphertext is then
     * given in pieces, as it arrives, by {@link #openPiece}, and its tag to {@link #openFinish},
     * which checks it. Nothing written by the pieces may be used before that check passes. Only
     * when {@link #worksOnNativeMemory}.
     */
    void openBegin(long nonce) throws NoiseException {
        throw new UnsupportedOperationException("this ChaCha20-Poly1305 opens whole messages only");
    }

    /** Decrypts all of {@code in}'s remaining bytes (heap or direct) to {@code out[outOff]}; leaves {@code in}'s position. */
    void openPiece(ByteBuffer in, byte[] out, int outOff) throws NoiseException {
        throw new UnsupportedOperationException("this ChaCha20-Poly1305 opens whole messages only");
    }

    /**
     * Checks the message's 16-byte {@code tag}; on a mismatch throws and zeroes the
     * {@code plainLen} bytes the pieces wrote at {@code out[outOff]}.
     */
    void openFinish(byte[] tag, byte[] out, int outOff, int plainLen) throws NoiseException {
        throw new UnsupportedOperationException("this ChaCha20-Poly1305 opens whole messages only");
    }

    /** Forgets the key and frees what the implementation holds; the instance is unusable after. */
    abstract void destroy();

    /** The 12-byte nonce for {@code n}: 4 zero bytes, then {@code n} little-endian. */
    static void writeNonce(long n, byte[] nonce12) {
        for (int i = 4; i < 12; i++) {
            nonce12[i] = (byte) n;
            n >>>= 8;
        }
    }

    /** Throws unless {@code [off, off + len)} lies inside an array of {@code arrayLength}. */
    static void checkRange(int arrayLength, int off, int len) {
        if (off < 0 || len < 0 || off > arrayLength - len) {
            throw new IndexOutOfBoundsException("range [" + off + ", " + off + " + " + len + ") outside an array of " + arrayLength);
        }
    }

    /**
     * Output may be the input at the same offset (in place) or elsewhere, but must not overlap it
     * at a different offset: neither implementation defines what that would produce.
     */
    static void checkNoPartialOverlap(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        if (in != out || inOff == outOff) return;
        if (inOff < outOff + outLen && outOff < inOff + inLen) {
            throw new IllegalArgumentException("output overlaps input at a different offset");
        }
    }
}
