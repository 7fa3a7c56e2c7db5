package io.ggen.node.metrics;

import io.ggen.marketplace.p2p.TransferMeter;
import io.ggen.marketplace.service.ServiceMetrics;
import io.ggen.p2p.core.BandwidthMeter;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Direction;
import io.ggen.p2p.core.DurationHistogram;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.kad.KadDht;
import io.ggen.p2p.kad.KadMessage;
import io.ggen.p2p.kad.KadMetrics;
import io.ggen.p2p.pubsub.gossipsub.Gossipsub;
import io.ggen.p2p.pubsub.gossipsub.GossipRouter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node's metric families, read from the stack's own counters at each scrape (nothing is
 * counted twice, and nothing here runs between scrapes). The families and their labels are
 * listed in the user guide; every label has a fixed set of values, or one bounded by the
 * host's limits (protocols, connected peers).
 */
public final class NodeCollector implements MultiCollector {
    /** Peers whose gossipsub score is exported, best connected first; the connection limits keep it lower in practice. */
    static final int MAX_SCORED_PEERS = 500;

    /** What the collector reads. */
    public record Sources(Host host, KadDht dht, Gossipsub pubsub, TransferMeter transfers, ServiceMetrics operations, io.ggen.marketplace.catalog.Catalog catalog,
                          java.util.function.Supplier<Map<String, Integer>> portMappings) {}

    private final Sources s;

    public NodeCollector(Sources sources) {
        this.s = sources;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        connections(out);
        streams(out);
        dht(out);
        gossip(out);
        marketplace(out);
        GaugeSnapshot.Builder mappings = GaugeSnapshot.builder().name("ggen_nat_port_mappings")
                .help("Ports the home router forwards to this node, by method (pcp, natpmp, upnp).");
        s.portMappings().get().forEach((method, n) -> mappings.dataPoint(gauge(n, Labels.of("method", method))));
        out.add(mappings.build());
        return new MetricSnapshots(out);
    }

    private void connections(List<MetricSnapshot> out) {
        Map<Labels, Integer> open = new TreeMap<>();
        for (Direction d : Direction.values()) {
            // Relayed stays 0 until this node speaks circuit relay; the label is there so dashboards need not change then.
            for (String transport : List.of("direct", "relayed")) open.put(Labels.of("direction", d.wireName(), "transport", transport), 0);
        }
        for (Connection c : s.host().connections()) {
            String transport = c.relayed() ? "relayed" : "direct";
            open.merge(Labels.of("direction", c.direction().wireName(), "transport", transport), 1, Integer::sum);
        }
        GaugeSnapshot.Builder g = GaugeSnapshot.builder().name("ggen_libp2p_connections").help("Open connections by direction and transport (direct or relayed).");
        open.forEach((l, n) -> g.dataPoint(gauge(n, l)));
        out.add(g.build());
        out.add(GaugeSnapshot.builder().name("ggen_libp2p_connected_peers").help("Peers with at least one open connection.")
                .dataPoint(gauge(s.host().connectedPeers().size(), Labels.EMPTY)).build());
        // Two per open connection, freed as it closes; one per handshake in progress. A count
        // that only grows would be a leak of native memory.
        out.add(GaugeSnapshot.builder().name("ggen_noise_native_cipher_contexts")
                .help("OpenSSL cipher contexts allocated and not yet freed (0 with the JDK's cipher).")
                .dataPoint(gauge(io.ggen.p2p.security.noise.ChaChaPolyEngine.nativeContexts(), Labels.EMPTY)).build());
    }

    private void streams(List<MetricSnapshot> out) {
        Map<String, Integer> byProtocol = new TreeMap<>();
        for (String p : s.host().protocols()) byProtocol.put(p, 0);
        for (Connection c : s.host().connections()) for (Stream st : c.streams()) byProtocol.merge(st.protocol(), 1, Integer::sum);
        GaugeSnapshot.Builder g = GaugeSnapshot.builder().name("ggen_libp2p_streams").help("Open streams by protocol.");
        byProtocol.forEach((p, n) -> g.dataPoint(gauge(n, Labels.of("protocol", p))));
        out.add(g.build());
        CounterSnapshot.Builder bytes = CounterSnapshot.builder().name("ggen_libp2p_stream_bytes")
                .help("Bytes read from (in) and written to (out) streams, by protocol; multistream negotiation, yamux and noise framing excluded.");
        BandwidthMeter.Totals total = s.host().bandwidth().total();
        Map<String, BandwidthMeter.Totals> counted = s.host().bandwidth().byProtocol();
        // Before any stream, every served protocol at 0, so the family is never empty.
        if (counted.isEmpty()) for (String p : s.host().protocols()) counted.put(p, BandwidthMeter.Totals.ZERO);
        counted.forEach((p, t) -> {
            bytes.dataPoint(counter(t.bytesIn(), Labels.of("direction", "in", "protocol", p)));
            bytes.dataPoint(counter(t.bytesOut(), Labels.of("direction", "out", "protocol", p)));
        });
        out.add(bytes.build());
        out.add(GaugeSnapshot.builder().name("ggen_libp2p_bandwidth_bytes_per_second")
                .help("Current stream traffic of all protocols together (exponential moving average over about 10 s).")
                .dataPoint(gauge(total.rateIn(), Labels.of("direction", "in")))
                .dataPoint(gauge(total.rateOut(), Labels.of("direction", "out"))).build());
    }

    private void dht(List<MetricSnapshot> out) {
        KadMetrics m = s.dht().node().metrics();
        KadMetrics.Snapshot k = m.snapshot();
        out.add(CounterSnapshot.builder().name("ggen_dht_queries").help("DHT lookups started, and those that found no peer that answered.")
                .dataPoint(counter(k.queries(), Labels.of("result", "all")))
                .dataPoint(counter(k.queryFailures(), Labels.of("result", "failed"))).build());
        out.add(CounterSnapshot.builder().name("ggen_dht_requests").help("DHT requests sent (and of those failed), and received.")
                .dataPoint(counter(k.requestsSent(), Labels.of("direction", "sent", "result", "all")))
                .dataPoint(counter(k.requestFailures(), Labels.of("direction", "sent", "result", "failed")))
                .dataPoint(counter(k.requestsReceived(), Labels.of("direction", "received", "result", "all")))
                .dataPoint(counter(k.malformedReceived(), Labels.of("direction", "received", "result", "malformed"))).build());
        HistogramSnapshot.Builder h = HistogramSnapshot.builder().name("ggen_dht_query_duration_seconds")
                .help("How long DHT lookups took, by the request they send (FIND_NODE, GET_VALUE, GET_PROVIDERS, ...).");
        for (Map.Entry<KadMessage.Type, DurationHistogram.Snapshot> e : m.queryLatencies().entrySet()) {
            if (e.getKey() == KadMessage.Type.PING || e.getKey() == KadMessage.Type.PUT_VALUE || e.getKey() == KadMessage.Type.ADD_PROVIDER) continue;
            h.dataPoint(histogram(e.getValue(), Labels.of("type", e.getKey().name().toLowerCase(Locale.ROOT))));
        }
        out.add(h.build());
        out.add(GaugeSnapshot.builder().name("ggen_dht_routing_table_peers").help("Peers in the DHT routing table.")
                .dataPoint(gauge(s.dht().routingTable().size(), Labels.EMPTY)).build());
    }

    private void gossip(List<MetricSnapshot> out) {
        GossipRouter.Stats st = s.pubsub().stats();
        out.add(CounterSnapshot.builder().name("ggen_gossipsub_messages")
                .help("Gossip messages received, by validation result: accept, reject (bad signature or refused by the topic's validator), "
                        + "ignore (the validator ignored it, e.g. already known), throttled (too many validations pending).")
                .dataPoint(counter(st.accepted, Labels.of("result", "accept")))
                .dataPoint(counter(st.invalid, Labels.of("result", "reject")))
                .dataPoint(counter(st.ignored, Labels.of("result", "ignore")))
                .dataPoint(counter(st.validationDropped, Labels.of("result", "throttled"))).build());
        out.add(CounterSnapshot.builder().name("ggen_gossipsub_duplicates").help("Gossip messages received again after the first copy.")
                .dataPoint(counter(st.duplicates, Labels.EMPTY)).build());
        out.add(CounterSnapshot.builder().name("ggen_gossipsub_forwarded").help("Gossip messages forwarded to mesh peers.")
                .dataPoint(counter(st.forwarded, Labels.EMPTY)).build());
        GaugeSnapshot.Builder scores = GaugeSnapshot.builder().name("ggen_gossipsub_peer_score")
                .help("Gossipsub score of each connected peer (topic behaviour, the marketplace's reputation as application score, IP colocation).");
        int n = 0;
        for (PeerId p : s.host().connectedPeers()) {
            if (n >= MAX_SCORED_PEERS) break;
            var score = s.pubsub().score(p);
            if (score.isEmpty()) continue;
            scores.dataPoint(gauge(score.get(), Labels.of("peer", p.toString())));
            n++;
        }
        out.add(scores.build());
    }

    private void marketplace(List<MetricSnapshot> out) {
        TransferMeter t = s.transfers();
        out.add(CounterSnapshot.builder().name("ggen_marketplace_transfer_bytes")
                .help("Archive bytes fetched from peers and served to peers over /ggen/fetch/1.0.0.")
                .dataPoint(counter(t.fetchedBytes(), Labels.of("direction", "fetched")))
                .dataPoint(counter(t.servedBytes(), Labels.of("direction", "served"))).build());
        out.add(CounterSnapshot.builder().name("ggen_marketplace_bandwidth_wait_seconds")
                .help("Time transfers waited for the [bandwidth] limits.")
                .dataPoint(counter(t.download().waitedNanos() / 1e9, Labels.of("direction", "download")))
                .dataPoint(counter(t.upload().waitedNanos() / 1e9, Labels.of("direction", "upload"))).build());
        out.add(GaugeSnapshot.builder().name("ggen_catalog_releases").help("Releases in the local catalog.")
                .dataPoint(gauge(s.catalog().releaseCount(), Labels.EMPTY)).build());
        out.add(GaugeSnapshot.builder().name("ggen_catalog_staged_announcements")
                .help("Gossip announcements checked and waiting for their group commit (at most 1024).")
                .dataPoint(gauge(s.catalog().stagedCount(), Labels.EMPTY)).build());
        out.add(CounterSnapshot.builder().name("ggen_catalog_announcement_commits")
                .help("Group commits of gossip announcements (at most one per 50 ms while they stream in).")
                .dataPoint(counter(s.catalog().batchesCommitted(), Labels.EMPTY)).build());
        var ranked = s.catalog().rankedSearches();
        out.add(CounterSnapshot.builder().name("ggen_catalog_searches")
                .help("Free-text relevance searches by how they were ranked: from the packages' term vectors, or by FTS5's bm25() (a word beyond ASCII, a package without a vector).")
                .dataPoint(counter(ranked.byVectors(), Labels.of("ranked_by", "vectors")))
                .dataPoint(counter(ranked.byBm25(), Labels.of("ranked_by", "bm25"))).build());
        HistogramSnapshot.Builder ops = HistogramSnapshot.builder().name("ggen_marketplace_operation_duration_seconds")
                .help("Publishes and installs (fetch jobs) by outcome, and how long they took; _count is how many ran.");
        for (ServiceMetrics.Operation op : ServiceMetrics.Operation.values()) {
            for (ServiceMetrics.Outcome o : ServiceMetrics.Outcome.values()) {
                if (op == ServiceMetrics.Operation.PUBLISH && o == ServiceMetrics.Outcome.CANCELLED) continue;
                ops.dataPoint(histogram(s.operations().snapshot(op, o),
                        Labels.of("operation", op.name().toLowerCase(Locale.ROOT), "outcome", o.name().toLowerCase(Locale.ROOT))));
            }
        }
        out.add(ops.build());
    }

    private static GaugeDataPointSnapshot gauge(double v, Labels l) {
        return GaugeDataPointSnapshot.builder().value(v).labels(l).build();
    }

    private static CounterDataPointSnapshot counter(double v, Labels l) {
        return CounterDataPointSnapshot.builder().value(v).labels(l).build();
    }

    private static HistogramDataPointSnapshot histogram(DurationHistogram.Snapshot h, Labels l) {
        double[] bounds = new double[DurationHistogram.BOUNDS_SECONDS.length + 1];
        System.arraycopy(DurationHistogram.BOUNDS_SECONDS, 0, bounds, 0, DurationHistogram.BOUNDS_SECONDS.length);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        return HistogramDataPointSnapshot.builder().classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, h.counts()))
                .sum(h.sumSeconds()).labels(l).build();
    }
}
