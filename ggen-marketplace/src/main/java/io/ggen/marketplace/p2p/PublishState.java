package io.ggen.marketplace.p2p;

import io.ggen.marketplace.catalog.Catalog;
import java.io.IOException;

/**
 * Which of this node's own releases have been announced on the network, kept in the catalog
 * (table {@code announced}; {@code announced.txt} of older versions is imported when the catalog
 * is migrated). A release published while no node ran is missing from it, so the node announces
 * it when it next starts. Re-announcing is harmless: receivers ignore what they already know.
 */
public final class PublishState {
    private final Catalog catalog;

    public PublishState(Catalog catalog) {
        this.catalog = catalog;
    }

    public boolean isAnnounced(String coordinates) {
        return catalog.isAnnounced(coordinates);
    }

    public void markAnnounced(String coordinates) throws IOException {
        catalog.markAnnounced(coordinates);
    }

    public boolean isYankAnnounced(String coordinates) {
        return catalog.isYankAnnounced(coordinates);
    }

    public void markYankAnnounced(String coordinates) throws IOException {
        catalog.markYankAnnounced(coordinates);
    }
}
