package io.ggen.p2p.core;

/** A dial, upgrade, negotiation or limit failure, with a message fit for a log or a user. */
public class HostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HostException(String message) {
        super(message);
    }

    public HostException(String message, Throwable cause) {
        super(message, cause);
    }
}
