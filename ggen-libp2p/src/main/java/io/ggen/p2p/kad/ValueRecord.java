package io.ggen.p2p.kad;

import java.time.Instant;

/** A DHT record: key, value, and when the storing node received it (RFC 3339 on the wire). */
public record ValueRecord(byte[] key, byte[] value, Instant timeReceived) {
    public ValueRecord {
        key = key.clone();
        value = value.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }
}
