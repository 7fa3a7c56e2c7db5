package io.ggen.p2p.multiformats;

/** Malformed multiformat input (varint, multibase, multihash, CID, multiaddr). */
public class MultiformatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MultiformatException(String message) {
        super(message);
    }

    public MultiformatException(String message, Throwable cause) {
        super(message, cause);
    }
}
