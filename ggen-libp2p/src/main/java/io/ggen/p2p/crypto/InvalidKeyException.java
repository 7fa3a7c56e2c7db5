package io.ggen.p2p.crypto;

/** A key, signature or peer id that is malformed or of a kind we refuse. */
public class InvalidKeyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidKeyException(String message) {
        super(message);
    }

    public InvalidKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
