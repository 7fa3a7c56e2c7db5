package io.ggen.marketplace.content;

import io.ggen.marketplace.error.MarketplaceException;

/** Bytes in the store (or received) do not hash to the content id they are stored under. */
public final class CorruptObjectException extends MarketplaceException {
    private static final long serialVersionUID = 1L;

    public CorruptObjectException(String message) {
        super(Kind.VERIFICATION, message);
    }
}
