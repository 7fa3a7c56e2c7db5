package io.ggen.marketplace.p2p;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.ReleaseRow;
import io.ggen.marketplace.release.PackageHead;
import io.ggen.p2p.crypto.Ed25519PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds the package head an owner puts in the DHT from what its catalog holds. */
public final class HeadBuilder {
    private HeadBuilder() {}

    /** The DHT key of a package's head. */
    public static String key(String packageId) {
        return "/ggen/pkg/" + packageId;
    }

    /**
     * The head of {@code id} listing every release signed by {@code owner}, or empty when there is
     * none. The sequence is the current time in milliseconds, and above {@code previousSequence},
     * so a newer head from the same owner always wins the DHT's selector, across restarts too.
     */
    public static Optional<PackageHead> build(Catalog catalog, String id, Ed25519PublicKey owner, long previousSequence, long nowMillis) {
        List<PackageHead.Entry> entries = new ArrayList<>();
        for (ReleaseRow row : catalog.releases(id)) {
            if (!row.record().publisher().equals(owner)) continue;
            entries.add(new PackageHead.Entry(row.record().version(), row.record().cid(), row.yanked()));
        }
        if (entries.isEmpty()) return Optional.empty();
        long sequence = Math.max(nowMillis, previousSequence + 1);
        return Optional.of(new PackageHead(id, owner, sequence, entries, nowMillis));
    }
}
