package io.ggen.p2p.mux.yamux;

/**
 * The remote broke the yamux protocol; the session answers with GoAway(protocol error). No stack
 * trace is taken: the remote's behaviour is the cause, not the code that noticed it.
 */
public final class YamuxProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public YamuxProtocolException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
