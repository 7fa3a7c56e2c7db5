package io.ggen.p2p.security.noise;

/**
 * A Noise handshake or transport failure: malformed or oversized input, a failed AEAD check, a
 * bad identity signature, an unexpected peer, nonce exhaustion or a timeout. Always fatal for
 * the connection; the message says what went wrong but never echoes secret material.
 */
public class NoiseException extends Exception {
    private static final long serialVersionUID = 1L;

    public NoiseException(String message) {
        super(message);
    }

    public NoiseException(String message, Throwable cause) {
        super(message, cause);
    }
}
