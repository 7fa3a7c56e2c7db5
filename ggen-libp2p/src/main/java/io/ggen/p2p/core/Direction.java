package io.ggen.p2p.core;

/** Who opened a connection or stream. Lower case in JSON, as js-libp2p prints it. */
public enum Direction {
    INBOUND,
    OUTBOUND;

    public String wireName() {
        return this == INBOUND ? "inbound" : "outbound";
    }
}
