package io.ggen.p2p.kad;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the DHT; {@link #defaults()} follows the spec and the libp2p implementations.
 *
 * @param protocol protocol id, {@code /ggen/kad/1.0.0} for our network, {@code /ipfs/kad/1.0.0} works too
 * @param mode server (serve the protocol, enter others' tables), client (query only), or auto (server once a public address is known)
 * @param k bucket size and replication factor
 * @param alpha concurrent requests per lookup, 1..10
 * @param beta distinct peers whose value a get waits for before it stops
 * @param requestTimeout one request to one peer
 * @param queryTimeout a whole lookup
 * @param maxRecordAge stored records older than this are dropped
 * @param providerTtl provider records are kept this long
 * @param republishInterval the author's records and provider records are republished this often
 * @param refreshInterval bucket refresh (and stale-peer pings) period
 * @param maxRecords, maxProviderKeys, maxProvidersPerKey bounds of the stores
 * @param routingTableFile where the table is kept across restarts (empty: not persisted)
 */
public record KadConfig(
        String protocol,
        Mode mode,
        int k,
        int alpha,
        int beta,
        Duration requestTimeout,
        Duration queryTimeout,
        Duration maxRecordAge,
        Duration providerTtl,
        Duration republishInterval,
        Duration refreshInterval,
        int maxRecords,
        int maxProviderKeys,
        int maxProvidersPerKey,
        int maxPerPrefix16PerBucket,
        int maxPerPrefix16,
        Optional<Path> routingTableFile) {

    public enum Mode { SERVER, CLIENT, AUTO }

    public static final String GGEN_PROTOCOL = "/ggen/kad/1.0.0";
    public static final String IPFS_PROTOCOL = "/ipfs/kad/1.0.0";

    public KadConfig {
        if (!protocol.startsWith("/")) throw new IllegalArgumentException("protocol must start with /");
        if (alpha < 1 || alpha > 10) throw new IllegalArgumentException("alpha must be 1..10");
        if (k < 1 || k > 64) throw new IllegalArgumentException("k must be 1..64");
        if (beta < 1 || beta > k) throw new IllegalArgumentException("beta must be 1..k");
    }

    public static KadConfig defaults() {
        return new KadConfig(GGEN_PROTOCOL, Mode.SERVER, 20, 3, 3, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofHours(36), Duration.ofHours(48), Duration.ofHours(22), Duration.ofMinutes(10),
                10_000, 10_000, 64, 2, 10, Optional.empty());
    }

    public KadConfig withProtocol(String p) {
        return new KadConfig(p, mode, k, alpha, beta, requestTimeout, queryTimeout, maxRecordAge, providerTtl, republishInterval,
                refreshInterval, maxRecords, maxProviderKeys, maxProvidersPerKey, maxPerPrefix16PerBucket, maxPerPrefix16, routingTableFile);
    }

    public KadConfig withMode(Mode m) {
        return new KadConfig(protocol, m, k, alpha, beta, requestTimeout, queryTimeout, maxRecordAge, providerTtl, republishInterval,
                refreshInterval, maxRecords, maxProviderKeys, maxProvidersPerKey, maxPerPrefix16PerBucket, maxPerPrefix16, routingTableFile);
    }

    public KadConfig withAlpha(int a) {
        return new KadConfig(protocol, mode, k, a, beta, requestTimeout, queryTimeout, maxRecordAge, providerTtl, republishInterval,
                refreshInterval, maxRecords, maxProviderKeys, maxProvidersPerKey, maxPerPrefix16PerBucket, maxPerPrefix16, routingTableFile);
    }

    public KadConfig withTimeouts(Duration request, Duration query) {
        return new KadConfig(protocol, mode, k, alpha, beta, request, query, maxRecordAge, providerTtl, republishInterval,
                refreshInterval, maxRecords, maxProviderKeys, maxProvidersPerKey, maxPerPrefix16PerBucket, maxPerPrefix16, routingTableFile);
    }

    public KadConfig withRoutingTableFile(Path file) {
        return new KadConfig(protocol, mode, k, alpha, beta, requestTimeout, queryTimeout, maxRecordAge, providerTtl, republishInterval,
                refreshInterval, maxRecords, maxProviderKeys, maxProvidersPerKey, maxPerPrefix16PerBucket, maxPerPrefix16, Optional.of(file));
    }

    public KadConfig withIntervals(Duration republish, Duration refresh) {
        return new KadConfig(protocol, mode, k, alpha, beta, requestTimeout, queryTimeout, maxRecordAge, providerTtl, republish,
                refresh, maxRecords, maxProviderKeys, maxProvidersPerKey, maxPerPrefix16PerBucket, maxPerPrefix16, routingTableFile);
    }
}
