package io.ggen.marketplace.release;

import io.ggen.marketplace.error.MarketplaceException;

/** A record that does not decode, does not verify, or breaks a rule (e.g. immutability). */
public final class RecordException extends MarketplaceException {
    private static final long serialVersionUID = 1L;

    public RecordException(String message) {
        super(Kind.VERIFICATION, message);
    }
}
