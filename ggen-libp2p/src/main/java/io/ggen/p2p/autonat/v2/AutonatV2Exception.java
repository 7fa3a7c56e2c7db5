package io.ggen.p2p.autonat.v2;

/** An AutoNAT v2 message that cannot be used: malformed, over a limit, or out of place. */
public class AutonatV2Exception extends Exception {
    private static final long serialVersionUID = 1L;

    public AutonatV2Exception(String message) {
        super(message);
    }

    public AutonatV2Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
