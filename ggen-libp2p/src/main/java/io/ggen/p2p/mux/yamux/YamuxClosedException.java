package io.ggen.p2p.mux.yamux;

import java.io.IOException;

/**
 * A stream or session ended by an expected protocol event (a reset, GoAway, the connection
 * closing); the message says which. No stack trace is taken: every connection that ends makes
 * some of these, and where the code that sees one stands says nothing about the cause.
 */
public final class YamuxClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    public YamuxClosedException(String message) {
        super(message);
    }

    public YamuxClosedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
