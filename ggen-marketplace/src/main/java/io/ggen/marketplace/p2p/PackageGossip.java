package io.ggen.marketplace.p2p;

import java.util.concurrent.CompletableFuture;

/** What the marketplace needs from gossipsub: announcing a signed release record on the packages topic. */
public interface PackageGossip {
    /** Publishes on the packages topic; completes with the number of peers it was sent to. */
    CompletableFuture<Integer> announce(byte[] signedRelease);
}
