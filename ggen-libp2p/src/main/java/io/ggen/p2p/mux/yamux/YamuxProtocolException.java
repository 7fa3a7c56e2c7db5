package io.ggen.p2p.mux.yamux;

/** The remote broke the yamux protocol; the session answers with GoAway(protocol error). */
public final class YamuxProtocolException extends Exception {
    public YamuxProtocolException(String message) {
        super(message);
    }
}
