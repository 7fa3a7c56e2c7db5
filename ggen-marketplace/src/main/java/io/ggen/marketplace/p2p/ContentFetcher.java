package io.ggen.marketplace.p2p;

import io.ggen.marketplace.content.ContentId;
import java.util.function.LongConsumer;

/**
 * Fetches content from the network into the local store, verified against its CID before it is
 * committed. Implemented over {@code /ggen/fetch/1.0.0}; the node supplies it.
 */
public interface ContentFetcher {
    /**
     * @param expectedSize the size the signed release record states (an upper bound for what is accepted)
     * @param progress receives the number of verified-or-in-flight bytes received so far; it may
     *     throw an unchecked exception to stop the download (a cancel), which then propagates
     *     without any provider being blamed
     * @throws Exception when no provider could deliver the content
     */
    void fetch(ContentId cid, long expectedSize, LongConsumer progress) throws Exception;

    /**
     * As {@link #fetch(ContentId, long, LongConsumer)}, telling {@code notes} what the user
     * should know of how the content came (through a relay, say, and why).
     */
    default void fetch(ContentId cid, long expectedSize, LongConsumer progress, java.util.function.Consumer<String> notes) throws Exception {
        fetch(cid, expectedSize, progress);
    }
}
