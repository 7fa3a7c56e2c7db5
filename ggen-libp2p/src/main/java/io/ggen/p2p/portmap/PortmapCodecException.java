package io.ggen.p2p.portmap;

/** Bytes or text from a gateway (or sent to one) that do not form a valid message. */
public final class PortmapCodecException extends Exception {
    public PortmapCodecException(String message) {
        super(message);
    }

    public PortmapCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
