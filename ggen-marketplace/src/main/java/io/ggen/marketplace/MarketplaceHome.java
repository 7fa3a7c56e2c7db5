package io.ggen.marketplace;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.content.ContentStore;
import io.ggen.marketplace.keys.KeyStore;
import java.nio.file.Path;

/**
 * The data directory: {@code $GGEN_HOME}, default {@code ~/.ggen}. Holds {@code keys/}
 * (publisher keys, 0700), {@code store/} (content-addressed objects) and {@code catalog.db}.
 */
public record MarketplaceHome(Path root) {
    public static MarketplaceHome fromEnvironment() {
        String env = System.getenv("GGEN_HOME");
        Path root = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".ggen");
        return new MarketplaceHome(root.toAbsolutePath());
    }

    public KeyStore keys() {
        return new KeyStore(root.resolve("keys"));
    }

    public ContentStore store() {
        return new ContentStore(root.resolve("store"));
    }

    public Path catalogFile() {
        return root.resolve("catalog.db");
    }

    public Catalog openCatalog() {
        return Catalog.open(catalogFile());
    }
}
