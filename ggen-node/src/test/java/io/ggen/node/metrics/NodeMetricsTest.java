package io.ggen.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.service.PublishRequest;
import io.ggen.marketplace.service.SearchRequest;
import io.ggen.marketplace.testing.Packs;
import io.ggen.node.Node;
import io.ggen.node.NodeStatus;
import io.ggen.node.PeerView;
import io.ggen.node.config.ConfigException;
import io.ggen.node.config.NodeConfig;
import io.ggen.node.config.NodeConfigLoader;
import io.ggen.node.error.NodeError;
import io.ggen.node.home.DataDir;
import io.ggen.node.home.IdentityFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real nodes on loopback, metrics on: one publishes, the other searches, installs (a fetch
 * job) and publishes its own; /metrics is scraped over HTTP, parsed as Prometheus text, and
 * every family the guide lists has a sample. The same traffic shows in status and peer views.
 */
class NodeMetricsTest {
    /** The families of the user guide's list; each must have at least one sample. */
    static final List<String> FAMILIES = List.of(
            "ggen_libp2p_connections", "ggen_libp2p_connected_peers", "ggen_noise_native_cipher_contexts", "ggen_libp2p_streams", "ggen_libp2p_stream_bytes",
            "ggen_libp2p_bandwidth_bytes_per_second", "ggen_dht_queries", "ggen_dht_requests", "ggen_dht_query_duration_seconds",
            "ggen_dht_routing_table_peers", "ggen_gossipsub_messages", "ggen_gossipsub_duplicates", "ggen_gossipsub_forwarded",
            "ggen_gossipsub_peer_score", "ggen_marketplace_transfer_bytes", "ggen_marketplace_bandwidth_wait_seconds", "ggen_catalog_releases",
            "ggen_catalog_staged_announcements", "ggen_catalog_announcement_commits", "ggen_catalog_searches", "ggen_marketplace_operation_duration_seconds", "ggen_nat_port_mappings",
            // JVM basics
            "jvm_memory_used_bytes", "jvm_threads_current", "jvm_gc_collection_seconds", "process_cpu_seconds", "jvm_classes_currently_loaded");

    @TempDir
    Path tmp;
    final List<Node> nodes = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        nodes.forEach(Node::close);
    }

    Node start(String name, List<String> bootstrap, Map<String, String> extraEnv, String toml) throws Exception {
        DataDir dir = DataDir.of(tmp.resolve(name));
        dir.ensure();
        if (toml != null) Files.writeString(dir.configFile(), toml);
        Map<String, String> env = new HashMap<>(Map.of("GGEN_P2P_LISTEN", "/ip4/127.0.0.1/tcp/0", "GGEN_P2P_WARMUP", "0"));
        env.putAll(extraEnv);
        NodeConfig cfg = NodeConfigLoader.load(dir.configFile(), false, env, new NodeConfigLoader.Flags(List.of(), bootstrap, null, null, "127.0.0.1:0"));
        Node n = Node.start(dir, cfg, IdentityFile.loadOrCreate(dir));
        nodes.add(n);
        new MarketplaceHome(dir.root()).keys().generate("default");
        return n;
    }

    String scrape(Node n) throws Exception {
        String url = n.metricsUrl().orElseThrow();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return r.body();
    }

    @Test
    void everyFamilyHasASampleAfterPublishSearchAndInstall() throws Exception {
        Node a = start("a", List.of(), Map.of(), null);
        Node b = start("b", List.of(a.host().listenAddrs().get(0).withPeerId(a.host().peerId()).toString()), Map.of(),
                "[bandwidth]\ndownload = \"4 MiB/s\"\nupload = \"4 MiB/s\"\n");
        a.joinNetwork();
        b.joinNetwork();
        Path packA = Packs.pack(Files.createDirectories(tmp.resolve("packs/a")), "io.ggen.test.metrics", "1.0.0");
        a.marketplace().publish(new PublishRequest(packA, null, false, null));
        await().atMost(Duration.ofSeconds(30)).until(() -> !b.marketplace().search(new SearchRequest("io.ggen.test.metrics", null, List.of(), 10, null, false)).results().isEmpty());
        String job = b.marketplace().startFetch("io.ggen.test.metrics@1.0.0").job();
        await().atMost(Duration.ofSeconds(30)).until(() -> b.marketplace().fetchJob(job).orElseThrow().done());
        assertThat(b.marketplace().fetchJob(job).orElseThrow().error()).isEmpty();
        Path packB = Packs.pack(Files.createDirectories(tmp.resolve("packs/b")), "io.ggen.test.metrics.b", "1.0.0");
        b.marketplace().publish(new PublishRequest(packB, null, false, null));

        b.catalog().search(io.ggen.marketplace.catalog.SearchQuery.text("metrics"));
        Map<String, PrometheusText.Family> families = PrometheusText.parse(scrape(b));
        for (String f : FAMILIES) {
            // The text format names a counter's family with its _total suffix.
            PrometheusText.Family family = families.getOrDefault(f, families.get(f + "_total"));
            assertThat(family).as("family %s among %s", f, families.keySet()).isNotNull();
            assertThat(family.samples()).as("samples of %s", f).isNotEmpty();
        }

        assertThat(value(families, "ggen_marketplace_operation_duration_seconds_count", Map.of("operation", "publish", "outcome", "ok"))).isEqualTo(1);
        assertThat(value(families, "ggen_marketplace_operation_duration_seconds_count", Map.of("operation", "install", "outcome", "ok"))).isEqualTo(1);
        long size = b.catalog().release("io.ggen.test.metrics", io.ggen.marketplace.version.Version.parse("1.0.0")).orElseThrow().record().size();
        assertThat(value(families, "ggen_marketplace_transfer_bytes_total", Map.of("direction", "fetched"))).isEqualTo(size);
        assertThat(value(families, "ggen_catalog_releases", Map.of())).isEqualTo(2);
        // Gossip may still be arriving: the scrape saw a moment at or before these.
        assertThat(value(families, "ggen_catalog_staged_announcements", Map.of())).isBetween(0.0, 1024.0);
        assertThat(value(families, "ggen_catalog_announcement_commits_total", Map.of())).isLessThanOrEqualTo(b.catalog().batchesCommitted());
        assertThat(value(families, "ggen_catalog_searches_total", Map.of("ranked_by", "vectors"))).isGreaterThanOrEqualTo(1);
        assertThat(value(families, "ggen_catalog_searches_total", Map.of("ranked_by", "bm25"))).isZero();
        assertThat(value(families, "ggen_libp2p_connections", Map.of("direction", "outbound", "transport", "direct"))).isEqualTo(1);
        assertThat(value(families, "ggen_libp2p_connections", Map.of("direction", "inbound", "transport", "relayed"))).isZero();
        assertThat(value(families, "ggen_libp2p_stream_bytes_total", Map.of("direction", "in", "protocol", "/ggen/fetch/1.0.0"))).isGreaterThan(size);
        assertThat(value(families, "ggen_gossipsub_peer_score", Map.of("peer", a.host().peerId().toString()))).isNotNaN();
        assertThat(families.get("ggen_dht_query_duration_seconds").samples()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("ggen_dht_query_duration_seconds_count");
            assertThat(s.value()).isPositive();
        });
        assertThat(families.get("ggen_gossipsub_messages_total").samples()).anySatisfy(s -> {
            assertThat(s.labels()).containsEntry("result", "accept");
            assertThat(s.value()).isPositive();
        });

        // The same bytes, kept per peer and in total, in status and peer-info.
        NodeStatus st = b.status();
        assertThat(st.metricsUrl()).isEqualTo(b.metricsUrl().orElseThrow());
        assertThat(st.bandwidth().bytesIn()).isGreaterThan(size);
        assertThat(st.bandwidth().archiveBytesFetched()).isEqualTo(size);
        assertThat(st.bandwidth().downloadLimitBytesPerSec()).isEqualTo(4L << 20);
        PeerView peerA = b.peer(a.host().peerId(), true).orElseThrow();
        assertThat(peerA.traffic().bytesIn()).isGreaterThan(size);
        assertThat(peerA.traffic().bytesOut()).isPositive();
        // What A served is what B fetched.
        assertThat(a.status().bandwidth().archiveBytesServed()).isEqualTo(size);
    }

    static double value(Map<String, PrometheusText.Family> families, String sample, Map<String, String> labels) {
        return families.values().stream().flatMap(f -> f.samples().stream())
                .filter(s -> s.name().equals(sample) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(PrometheusText.Sample::value).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + sample + labels));
    }

    @Test
    void metricsAreOffByDefault() throws Exception {
        DataDir dir = DataDir.of(tmp.resolve("off"));
        dir.ensure();
        NodeConfig cfg = NodeConfigLoader.load(dir.configFile(), false, Map.of("GGEN_P2P_LISTEN", "/ip4/127.0.0.1/tcp/0", "GGEN_P2P_WARMUP", "0"),
                NodeConfigLoader.Flags.NONE);
        Node n = Node.start(dir, cfg, IdentityFile.loadOrCreate(dir));
        nodes.add(n);
        assertThat(n.metricsUrl()).isEmpty();
        assertThat(n.status().metricsUrl()).isNull();
    }

    @Test
    void anAddressInUseStopsTheStartWithOneLine() throws Exception {
        Node a = start("busy", List.of(), Map.of(), null);
        String taken = a.metricsUrl().orElseThrow().replace("http://", "").replace("/metrics", "");
        DataDir dir = DataDir.of(tmp.resolve("second"));
        dir.ensure();
        NodeConfig cfg = NodeConfigLoader.load(dir.configFile(), false, Map.of("GGEN_P2P_LISTEN", "/ip4/127.0.0.1/tcp/0", "GGEN_P2P_WARMUP", "0"),
                new NodeConfigLoader.Flags(List.of(), List.of(), null, null, taken));
        assertThatThrownBy(() -> nodes.add(Node.start(dir, cfg, IdentityFile.loadOrCreate(dir))))
                .isInstanceOf(NodeError.class)
                .hasMessageStartingWith("metrics cannot listen on " + taken)
                .hasMessageContaining("--metrics-listen")
                .message().doesNotContain("\n");
    }

    @Test
    void badListenValuesAreRefusedWithWhatIsExpected() {
        for (String bad : List.of("9464", "127.0.0.1", "127.0.0.1:http", "127.0.0.1:70000", "metrics.example.com:9464", "::1:9464")) {
            assertThatThrownBy(() -> NodeConfigLoader.load(tmp.resolve("none.toml"), false, Map.of(), new NodeConfigLoader.Flags(List.of(), List.of(), null, null, bad)))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("--metrics-listen: metrics.listen: \"" + bad + "\"")
                    .hasMessageContaining("127.0.0.1:9464")
                    .message().doesNotContain("\n");
        }
    }
}
