package io.ggen.marketplace.catalog;

import io.ggen.marketplace.error.MarketplaceException;
import java.nio.file.Path;

/**
 * The catalog database is damaged (truncated, overwritten, not a database at all): nothing is
 * read from it or written to it, and the message says how to rebuild it ({@link CatalogRebuild}:
 * the releases still readable in it, then the rest from peers).
 */
public final class CatalogDamagedException extends MarketplaceException {
    private static final long serialVersionUID = 1L;
    /** The command that rebuilds the catalog, named in the message. */
    public static final String REBUILD_COMMAND = "ggen marketplace doctor --rebuild-catalog";

    private final transient Path file;

    public CatalogDamagedException(Path file, String what) {
        this(file, what, null);
    }

    public CatalogDamagedException(Path file, String what, Throwable cause) {
        super(Kind.IO, "the catalog " + file + " is damaged (" + what + "); rebuild it with '" + REBUILD_COMMAND
                + "' (it keeps what is still readable, and the node fetches the rest from peers)", cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
