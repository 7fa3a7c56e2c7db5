package io.ggen.marketplace.service;

import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.p2p.MarketplaceNetwork;
import io.ggen.marketplace.p2p.P2pPublisher;
import io.ggen.marketplace.p2p.SearchProtocol;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.p2p.crypto.PeerId;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * What the use cases need of the network, when a node runs: announce a release or a yank, ask peers'
 * catalogs, refresh a package from its DHT head, fetch and provide content. Without a node the
 * service runs with none of it, on local data only.
 */
public interface NetworkAccess {
    /** This node's peer id, recorded as a provider of what it publishes or fetches. */
    PeerId self();

    P2pPublisher.Announced announce(SignedRecord signed);

    /** Gossips a signed yank and puts the package head that marks it in the DHT. */
    P2pPublisher.Announced announceYank(SignedRecord signedYank);

    SearchProtocol.Outcome searchPeers(SearchProtocol.Query query);

    /** Before an install: the package's DHT head, and peers' records for versions the catalog lacks. */
    MarketplaceNetwork.PackageRefresh refresh(String id);

    /** Fetches {@code cid} into the store, verified; throws when no provider could deliver it. */
    void fetch(ContentId cid, long expectedSize, LongConsumer progress) throws Exception;

    /** As {@link #fetch(ContentId, long, LongConsumer)}, with notes for the user (content that came through a relay, and why). */
    default void fetch(ContentId cid, long expectedSize, LongConsumer progress, java.util.function.Consumer<String> notes) throws Exception {
        fetch(cid, expectedSize, progress);
    }

    /** Announces in the DHT that this node serves {@code cid}. */
    void provide(ContentId cid);

    /** The network of a running node: its marketplace protocols and publisher, with the node's time limits. */
    static NetworkAccess of(PeerId self, MarketplaceNetwork market, P2pPublisher publisher, int searchPeers, Duration searchTimeout, Duration refreshTimeout) {
        return new NetworkAccess() {
            @Override
            public PeerId self() {
                return self;
            }

            @Override
            public P2pPublisher.Announced announce(SignedRecord signed) {
                return publisher.announce(signed);
            }

            @Override
            public P2pPublisher.Announced announceYank(SignedRecord signedYank) {
                return publisher.announceYank(signedYank);
            }

            @Override
            public SearchProtocol.Outcome searchPeers(SearchProtocol.Query query) {
                return market.searchNetwork(query, searchPeers, searchTimeout);
            }

            @Override
            public MarketplaceNetwork.PackageRefresh refresh(String id) {
                return market.refreshPackage(id, searchPeers, refreshTimeout);
            }

            @Override
            public void fetch(ContentId cid, long expectedSize, LongConsumer progress) throws Exception {
                market.fetcher().fetch(cid, expectedSize, progress);
            }

            @Override
            public void fetch(ContentId cid, long expectedSize, LongConsumer progress, java.util.function.Consumer<String> notes) throws Exception {
                market.fetcher().fetch(cid, expectedSize, progress, notes);
            }

            @Override
            public void provide(ContentId cid) {
                market.packageDht().provide(cid);
            }
        };
    }
}
