package io.ggen.p2p.autonat.v1;

/** An AutoNAT v1 message that cannot be used: malformed, over a limit, or of the wrong kind. */
public class AutonatV1Exception extends Exception {
    private static final long serialVersionUID = 1L;

    public AutonatV1Exception(String message) {
        super(message);
    }

    public AutonatV1Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
