package io.ggen.p2p.kad;

/** Checks a record of one namespace before it is stored or accepted from a lookup. */
@FunctionalInterface
public interface RecordValidator {
    /** @throws KadException when the record is invalid (the message says why) */
    void validate(byte[] key, byte[] value) throws KadException;

    /** Accepts any value (tests, and namespaces whose records are checked elsewhere). */
    RecordValidator ACCEPT_ANY = (key, value) -> { };
}
