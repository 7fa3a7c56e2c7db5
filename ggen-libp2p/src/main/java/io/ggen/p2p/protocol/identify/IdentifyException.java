package io.ggen.p2p.protocol.identify;

import java.io.IOException;

/** A malformed or oversized identify message. */
public final class IdentifyException extends IOException {
    private static final long serialVersionUID = 1L;

    public IdentifyException(String message) {
        super(message);
    }

    public IdentifyException(String message, Throwable cause) {
        super(message, cause);
    }
}
