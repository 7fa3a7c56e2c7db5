package io.ggen.p2p.protocol.identify;

/** An identify message that cannot be used: malformed, too large, or missing its public key. */
public class IdentifyException extends Exception {
    private static final long serialVersionUID = 1L;

    public IdentifyException(String message) {
        super(message);
    }

    public IdentifyException(String message, Throwable cause) {
        super(message, cause);
    }
}
