package io.ggen.marketplace;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.content.ContentStore;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.fs.PrivateDirs;
import io.ggen.marketplace.keys.KeyStore;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The data directory: {@code $GGEN_HOME}, default {@code ~/.ggen}, created with mode 0700 by
 * whichever use comes first. Holds {@code keys/} (publisher keys, 0700), {@code store/}
 * (content-addressed objects) and {@code catalog.db}.
 */
public record MarketplaceHome(Path root) {
    public static MarketplaceHome fromEnvironment() {
        String env = System.getenv("GGEN_HOME");
        Path root = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".ggen");
        return new MarketplaceHome(root.toAbsolutePath());
    }

    public KeyStore keys() {
        ensureRoot();
        return new KeyStore(root.resolve("keys"));
    }

    public ContentStore store() {
        ensureRoot();
        return new ContentStore(root.resolve("store"));
    }

    public Path catalogFile() {
        return root.resolve("catalog.db");
    }

    public Catalog openCatalog() {
        ensureRoot();
        return Catalog.open(catalogFile());
    }

    /** Creates the data directory, private to the user (0700), unless it exists. */
    public void ensureRoot() {
        try {
            PrivateDirs.create(root);
        } catch (IOException e) {
            throw new MarketplaceException(MarketplaceException.Kind.IO, "cannot create the data directory " + root + ": " + e.getMessage()
                    + " (set GGEN_HOME to a writable directory)", e);
        }
    }
}
