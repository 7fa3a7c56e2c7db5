package io.ggen.p2p.record;

/** A signed envelope or record that is malformed, too large, of the wrong kind, or forged. */
public class RecordException extends Exception {
    private static final long serialVersionUID = 1L;

    public RecordException(String message) {
        super(message);
    }

    public RecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
