package io.ggen.marketplace.service;

import io.ggen.marketplace.error.MarketplaceException;

/** The node is doing as much of this as it allows at once; the same request may succeed later. */
public final class TooBusyException extends MarketplaceException {
    private static final long serialVersionUID = 1L;

    public TooBusyException(String message) {
        super(Kind.CONFLICT, message);
    }
}
