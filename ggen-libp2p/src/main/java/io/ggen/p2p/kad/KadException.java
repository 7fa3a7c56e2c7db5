package io.ggen.p2p.kad;

/** A kad-dht message or record that breaks the protocol's rules or our limits. */
public final class KadException extends Exception {
    private static final long serialVersionUID = 1L;

    public KadException(String message) {
        super(message);
    }
}
