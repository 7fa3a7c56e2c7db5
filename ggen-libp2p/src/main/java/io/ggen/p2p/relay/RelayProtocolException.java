package io.ggen.p2p.relay;

import java.io.IOException;

/** A relay message that is malformed, too large, or not what the protocol expects here. */
public final class RelayProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public RelayProtocolException(String message) {
        super(message);
    }

    public RelayProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
