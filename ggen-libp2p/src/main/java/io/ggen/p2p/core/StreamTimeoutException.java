package io.ggen.p2p.core;

import java.io.InterruptedIOException;

/** A stream read or write was blocked past its deadline ({@link Stream#setReadDeadline}). */
public final class StreamTimeoutException extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    public StreamTimeoutException(String message) {
        super(message);
    }
}
