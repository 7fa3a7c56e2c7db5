package io.ggen.marketplace.version;

import io.ggen.marketplace.error.MarketplaceException;

/** A version or range that does not parse; {@link #column()} is 0-based within the text. */
public final class VersionException extends MarketplaceException {
    private static final long serialVersionUID = 1L;
    private final int column;

    public VersionException(String message, int column) {
        super(Kind.USAGE, message);
        this.column = column;
    }

    public int column() {
        return column;
    }
}
