package io.ggen.marketplace.p2p;

import io.ggen.marketplace.content.ContentId;
import io.ggen.p2p.crypto.PeerId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the marketplace needs from the Kademlia DHT: package heads under {@code /ggen/pkg/<id>}
 * and provider records for archive CIDs. The node adapts the libp2p DHT to it, so the
 * marketplace's logic is independent of the DHT's API and testable on its own.
 */
public interface PackageDht {
    /** Stores a value; completes with the number of DHT nodes that confirmed it. */
    CompletableFuture<Integer> put(String key, byte[] value);

    /** The best record for the key (by the namespace's selector), if any node has one. */
    CompletableFuture<Optional<byte[]>> get(String key);

    /** Announces this node as a provider of the content; completes with the number of DHT nodes that took the record. */
    CompletableFuture<Integer> provide(ContentId cid);

    /** Up to {@code max} providers of the content (their addresses go to the host's peer store). */
    CompletableFuture<List<PeerId>> findProviders(ContentId cid, int max);
}
