package io.ggen.marketplace.archive;

import io.ggen.marketplace.error.MarketplaceException;

/** An archive that breaks a safety rule or a limit; nothing of it was written. */
public final class ArchiveException extends MarketplaceException {
    private static final long serialVersionUID = 1L;

    public ArchiveException(String message) {
        super(Kind.INVALID, message);
    }

    public ArchiveException(String message, Throwable cause) {
        super(Kind.INVALID, message, cause);
    }
}
