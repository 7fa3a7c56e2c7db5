package io.ggen.p2p.holepunch;

import java.io.IOException;

/** A DCUtR message that is malformed, too large, or out of turn. */
public final class HolePunchException extends IOException {
    private static final long serialVersionUID = 1L;

    public HolePunchException(String message) {
        super(message);
    }

    public HolePunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
