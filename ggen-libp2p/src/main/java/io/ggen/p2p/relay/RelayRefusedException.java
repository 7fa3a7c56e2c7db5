package io.ggen.p2p.relay;

/** A relay answered with a status other than OK. */
public final class RelayRefusedException extends java.io.IOException {
    private static final long serialVersionUID = 1L;
    private final RelayMessage.Status status;

    public RelayRefusedException(RelayMessage.Status status, String message) {
        super(message);
        this.status = status;
    }

    public RelayMessage.Status status() {
        return status;
    }
}
