package io.ggen.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.testing.Packs;
import io.ggen.node.config.NodeConfig;
import io.ggen.node.config.NodeConfigLoader;
import io.ggen.node.home.ApiToken;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's control API in-process: three real nodes on loopback in a line (A - B - C), driven
 * through HTTP as the CLI drives them. Publish on A, find it from C, fetch it into C's store;
 * requests that break a rule are refused with 400 and a message naming the request's field.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Node> nodes = new ArrayList<>();
    @TempDir
    static Path tmp;
    private Node a;
    private Node b;
    private Node c;

    @BeforeAll
    void startNodes() throws Exception {
        a = start("a", List.of());
        b = start("b", List.of(addr(a)));
        c = start("c", List.of(addr(b)));
        for (Node n : nodes) n.joinNetwork();
        new MarketplaceHome(a.dataDir().root()).keys().generate("default");
    }

    @AfterAll
    void stopNodes() {
        nodes.forEach(Node::close);
    }

    private Node start(String name, List<String> bootstrap) throws Exception {
        DataDir dir = DataDir.of(tmp.resolve(name));
        dir.ensure();
        NodeConfig cfg = NodeConfigLoader.load(dir.configFile(), false,
                Map.of("GGEN_P2P_LISTEN", "/ip4/127.0.0.1/tcp/0", "GGEN_P2P_WARMUP", "0"), new NodeConfigLoader.Flags(List.of(), bootstrap, null));
        Node n = Node.start(dir, cfg, IdentityFile.loadOrCreate(dir));
        nodes.add(n);
        return n;
    }

    private static String addr(Node n) {
        return n.host().listenAddrs().get(0).withPeerId(n.host().peerId()).toString();
    }

    private HttpResponse<String> call(Node n, String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.api().port() + path))
                .header("Authorization", "Bearer " + ApiToken.loadOrCreate(n.dataDir()))
                .timeout(Duration.ofSeconds(60));
        r.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(Node n, String method, String path, String body) throws Exception {
        HttpResponse<String> r = call(n, method, path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void publishOnOneNodeIsFoundAndFetchedTwoHopsAway() throws Exception {
        Path pack = Packs.pack(Files.createDirectories(tmp.resolve("packs/web")), "io.ggen.test.web", "1.2.0");
        JsonNode published = ok(a, "POST", "/v1/publish", JSON.createObjectNode().put("path", pack.toString()).toString());
        assertThat(published.path("package").asText()).isEqualTo("io.ggen.test.web");
        assertThat(published.path("version").asText()).isEqualTo("1.2.0");
        assertThat(published.path("cid").asText()).startsWith("bafk");
        assertThat(published.path("offline").asBoolean()).isFalse();
        String cid = published.path("cid").asText();

        // C learns of it through gossip via B, or asks its peers when its catalog has nothing yet.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode found = ok(c, "POST", "/v1/search", "{\"query\":\"io.ggen.test.web\"}");
            assertThat(found.path("results")).anySatisfy(h -> {
                assertThat(h.path("id").asText()).isEqualTo("io.ggen.test.web");
                assertThat(h.path("cid").asText()).isEqualTo(cid);
                assertThat(h.path("avg_reputation").isNumber()).isTrue();
            });
        });

        JsonNode job = ok(c, "POST", "/v1/fetch", "{\"spec\":\"io.ggen.test.web@^1.2\"}");
        String id = job.path("job").asText();
        assertThat(job.path("releases")).extracting(JsonNode::asText).containsExactly("io.ggen.test.web@1.2.0");
        await().atMost(Duration.ofSeconds(30)).until(() -> ok(c, "GET", "/v1/fetch/" + id, null).path("done").asBoolean());
        JsonNode done = ok(c, "GET", "/v1/fetch/" + id, null);
        assertThat(done.path("error").asText()).isEmpty();
        assertThat(done.path("fetched")).extracting(JsonNode::asText).containsExactly("io.ggen.test.web@1.2.0");
        assertThat(done.path("bytes_done").asLong()).isEqualTo(published.path("size").asLong());
        assertThat(new MarketplaceHome(c.dataDir().root()).store().contains(io.ggen.marketplace.content.ContentId.parse(cid))).isTrue();
    }

    @Test
    void aYankThroughTheApiReachesNodesThatAlreadyHaveTheReleaseAndIsNotResolvedThere() throws Exception {
        Path v1 = Packs.pack(Files.createDirectories(tmp.resolve("packs/yank-1")), "io.ggen.test.yank", "1.0.0");
        Path v2 = Packs.write(Files.createDirectories(tmp.resolve("packs/yank-2")),
                Packs.manifest("io.ggen.test.yank", "1.1.0", "").replace("A pack for tests", "A broken pack for tests"));
        ok(a, "POST", "/v1/publish", JSON.createObjectNode().put("path", v1.toString()).toString());
        ok(a, "POST", "/v1/publish", JSON.createObjectNode().put("path", v2.toString()).toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> c.catalog().releases("io.ggen.test.yank").size() == 2);

        JsonNode yanked = ok(a, "POST", "/v1/yank", "{\"spec\":\"io.ggen.test.yank@1.1.0\",\"reason\":\"broken build\"}");
        assertThat(yanked.path("package").asText()).isEqualTo("io.ggen.test.yank");
        assertThat(yanked.path("version").asText()).isEqualTo("1.1.0");
        assertThat(yanked.path("reason").asText()).isEqualTo("broken build");
        assertThat(yanked.path("offline").asBoolean()).isFalse();
        assertThat(yanked.path("announced_to").asInt() + yanked.path("head_stored_on").asInt()).as(yanked.toString()).isPositive();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var row = c.catalog().release("io.ggen.test.yank", io.ggen.marketplace.version.Version.parse("1.1.0")).orElseThrow();
            assertThat(row.yanked()).isTrue();
            assertThat(row.yankReason()).isEqualTo("broken build");
        });
        JsonNode job = ok(c, "POST", "/v1/fetch", "{\"spec\":\"io.ggen.test.yank@^1\"}");
        assertThat(job.path("releases")).extracting(JsonNode::asText).containsExactly("io.ggen.test.yank@1.0.0");
        // Yanking it again changes nothing and says so.
        assertThat(ok(a, "POST", "/v1/yank", "{\"spec\":\"io.ggen.test.yank@1.1.0\"}").path("already_yanked").asBoolean()).isTrue();
        assertRefused(a, "/v1/yank", "{\"spec\":\"io.ggen.test.yank\"}", 400, "spec 'io.ggen.test.yank' is not <id>@<version>");
        assertRefused(a, "/v1/yank", "{\"spec\":\"io.ggen.test.yank@^1\"}", 400, "one exact version");
        assertRefused(a, "/v1/yank", "{\"spec\":\"io.ggen.test.nothing@1.0.0\"}", 404, "no package io.ggen.test.nothing");
    }

    @Test
    void aReleasePublishedWithNoPeerConnectedIsAnnouncedWhenAPeerArrives() throws Exception {
        Path fast = Files.createDirectories(tmp.resolve("x"));
        Files.writeString(fast.resolve("p2p-config.toml"), "[marketplace]\nsync_interval_secs = 2\n");
        Node x = start("x", List.of());
        x.joinNetwork();
        new MarketplaceHome(x.dataDir().root()).keys().generate("default");
        Path pack = Packs.pack(Files.createDirectories(tmp.resolve("packs/alone")), "io.ggen.test.alone", "1.0.0");
        JsonNode published = ok(x, "POST", "/v1/publish", JSON.createObjectNode().put("path", pack.toString()).toString());
        assertThat(published.path("announced_to").asInt()).isZero();
        assertThat(published.path("head_stored_on").asInt()).isZero();
        assertThat(x.catalog().isAnnounced("io.ggen.test.alone@1.0.0")).isFalse();

        Node y = start("y", List.of(addr(x)));
        y.joinNetwork();

        // The head reaches the newcomer's DHT, and the release counts as announced.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(x.catalog().isAnnounced("io.ggen.test.alone@1.0.0")).isTrue();
            assertThat(y.dht().node().recordCount()).isGreaterThanOrEqualTo(1);
        });
    }

    @Test
    void aCancelledDownloadStopsBlamesNoProviderAndLeavesNothing() throws Exception {
        // A provider that uploads at 128 KiB/s, so a 3 MiB archive takes long enough to cancel.
        Path slowHome = Files.createDirectories(tmp.resolve("slow"));
        Files.writeString(slowHome.resolve("p2p-config.toml"), "[marketplace]\nupload_limit_kib_per_sec = 128\n");
        Node slow = start("slow", List.of());
        slow.joinNetwork();
        Node downloader = start("downloader", List.of(addr(slow)));
        downloader.joinNetwork();
        new MarketplaceHome(slow.dataDir().root()).keys().generate("default");
        Path pack = Packs.pack(Files.createDirectories(tmp.resolve("packs/big")), "io.ggen.test.big", "1.0.0");
        byte[] noise = new byte[3 << 20];
        new java.util.Random(7).nextBytes(noise);
        Files.write(pack.resolve("templates/cli/data.tmpl"), noise); // covered by the default template globs
        String cid = ok(slow, "POST", "/v1/publish", JSON.createObjectNode().put("path", pack.toString()).toString()).path("cid").asText();

        JsonNode job = ok(downloader, "POST", "/v1/fetch", "{\"spec\":\"io.ggen.test.big\"}");
        String id = job.path("job").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> ok(downloader, "GET", "/v1/fetch/" + id, null).path("bytes_done").asLong() > 0);
        JsonNode cancelled = ok(downloader, "DELETE", "/v1/fetch/" + id, null);
        assertThat(cancelled.path("job").asText()).isEqualTo(id);
        await().atMost(Duration.ofSeconds(30)).until(() -> ok(downloader, "GET", "/v1/fetch/" + id, null).path("done").asBoolean());
        JsonNode done = ok(downloader, "GET", "/v1/fetch/" + id, null);
        assertThat(done.path("error").asText()).isEqualTo("cancelled");
        assertThat(done.path("bytes_done").asLong()).isLessThan(noise.length);
        assertThat(new MarketplaceHome(downloader.dataDir().root()).store().contains(io.ggen.marketplace.content.ContentId.parse(cid))).isFalse();
        JsonNode provider = ok(downloader, "GET", "/v1/peers/" + slow.host().peerId(), null);
        assertThat(provider.path("failed_retrievals").asLong()).as("a cancel is not the provider's failure").isZero();
        assertThat(call(downloader, "DELETE", "/v1/fetch/no-such-job", null).statusCode()).isEqualTo(404);
    }

    @Test
    void thePackagePageShowsVersionsProvidersAndTheArchivesFilesAndReadmeOnceLocal() throws Exception {
        Path pack = Packs.pack(Files.createDirectories(tmp.resolve("packs/page")), "io.ggen.test.page", "2.0.0");
        Files.writeString(pack.resolve("README.md"), "# Page pack\n\n<b>stays text</b>\n");
        JsonNode published = ok(a, "POST", "/v1/publish", JSON.createObjectNode().put("path", pack.toString()).toString());

        JsonNode onA = ok(a, "GET", "/v1/packages/io.ggen.test.page", null);
        assertThat(onA.path("version").asText()).isEqualTo("2.0.0");
        assertThat(onA.path("install_command").asText()).isEqualTo("ggen marketplace p2p install io.ggen.test.page@2.0.0");
        assertThat(onA.path("archive_local").asBoolean()).isTrue();
        assertThat(onA.path("readme_path").asText()).isEqualTo("README.md");
        assertThat(onA.path("readme").asText()).isEqualTo("# Page pack\n\n<b>stays text</b>\n");
        assertThat(onA.path("files")).extracting(f -> f.path("path").asText()).contains("gpack.toml", "README.md", "templates/cli/main.tmpl");
        assertThat(onA.path("publisher").path("fingerprint").asText()).isEqualTo(published.path("publisher").asText());
        assertThat(onA.path("publisher").path("trust").asText()).isEqualTo("tofu");
        assertThat(onA.path("providers")).anySatisfy(p -> {
            assertThat(p.path("peer_id").asText()).isEqualTo(a.host().peerId().toString());
            assertThat(p.path("self").asBoolean()).isTrue();
        });
        assertThat(onA.path("versions")).extracting(v -> v.path("version").asText() + " " + v.path("yanked").asBoolean()).containsExactly("2.0.0 false");

        // C knows the release from the network but not its bytes: no files or readme until it fetches them.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(call(c, "GET", "/v1/packages/io.ggen.test.page", null).statusCode()).isEqualTo(200));
        JsonNode onC = ok(c, "GET", "/v1/packages/io.ggen.test.page", null);
        assertThat(onC.path("archive_local").asBoolean()).isFalse();
        assertThat(onC.path("files")).isEmpty();
        assertThat(onC.path("readme").asText()).isEmpty();
        assertThat(onC.path("providers")).extracting(p -> p.path("peer_id").asText()).contains(a.host().peerId().toString());
        String job = ok(c, "POST", "/v1/fetch", "{\"spec\":\"io.ggen.test.page@2.0.0\"}").path("job").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> ok(c, "GET", "/v1/fetch/" + job, null).path("done").asBoolean());
        JsonNode fetched = ok(c, "GET", "/v1/packages/io.ggen.test.page", null);
        assertThat(fetched.path("archive_local").asBoolean()).isTrue();
        assertThat(fetched.path("readme").asText()).startsWith("# Page pack");

        assertThat(call(c, "GET", "/v1/packages/io.ggen.test.none", null).statusCode()).isEqualTo(404);
        assertThat(call(c, "GET", "/v1/packages/io.ggen.test.page?version=9.9.9", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theRoutingTableViewGroupsPeersByBucket() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode t = ok(b, "GET", "/v1/dht/routing-table", null);
            assertThat(t.path("peer_id").asText()).isEqualTo(b.host().peerId().toString());
            assertThat(t.path("k").asInt()).isEqualTo(20);
            List<String> peers = new ArrayList<>();
            t.path("buckets").forEach(bucket -> bucket.path("peers").forEach(p -> peers.add(p.path("peer_id").asText())));
            assertThat(peers).contains(a.host().peerId().toString(), c.host().peerId().toString());
            assertThat(t.path("size").asInt()).isEqualTo(peers.size());
            t.path("buckets").forEach(bucket -> assertThat(bucket.path("common_prefix").asInt()).isBetween(0, 255));
        });
    }

    @Test
    void statusAndPeersDescribeTheNode() throws Exception {
        JsonNode status = ok(b, "GET", "/v1/status", null);
        assertThat(status.path("peer_id").asText()).isEqualTo(b.host().peerId().toString());
        assertThat(status.path("listen_addrs").get(0).asText()).endsWith("/p2p/" + b.host().peerId());
        assertThat(status.path("dht").path("protocol").asText()).isEqualTo("/ggen/kad/1.0.0");
        assertThat(status.path("pubsub").path("topics").get(0).path("topic").asText()).isEqualTo("/ggen/packages/v1");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode peers = ok(b, "GET", "/v1/peers", null);
            assertThat(peers.path("peers")).extracting(p -> p.path("peer_id").asText())
                    .contains(a.host().peerId().toString(), c.host().peerId().toString());
            assertThat(peers.path("total").asInt()).isEqualTo(peers.path("peers").size());
        });
        JsonNode one = ok(b, "GET", "/v1/peers/" + a.host().peerId(), null);
        assertThat(one.path("connected").asBoolean()).isTrue();
        assertThat(one.path("connections").get(0).path("muxer").asText()).isEqualTo("/yamux/1.0.0");
        assertThat(call(b, "GET", "/v1/peers/not-a-peer", null).statusCode()).isEqualTo(400);
        String text = call(b, "GET", "/v1/status?render=table", null).body();
        assertThat(text).contains("P2P node status").contains(b.host().peerId().toString());
    }

    @Test
    void requestsThatBreakARuleAreRefusedNamingTheField() throws Exception {
        assertRefused(a, "/v1/search", "{\"query\":\"x\",\"limit\":5000}", 400, "limit must be between 1 and 1000, got 5000");
        assertRefused(a, "/v1/search", "{\"query\":\"x\",\"min_reputation\":2}", 400, "min_reputation must be a number from 0.0 to 1.0");
        assertRefused(a, "/v1/search", "{\"query\":\"x\",\"limit\":\"many\"}", 400, "\"limit\" has the wrong type");
        assertRefused(a, "/v1/publish", "{\"path\":\"relative/dir\"}", 400, "path must be the absolute path of a pack directory");
        assertRefused(a, "/v1/fetch", "{\"spec\":\"\"}", 400, "spec ");
        assertRefused(a, "/v1/fetch", "{\"spec\":\"io.ggen.nothing.here\"}", 404, "io.ggen.nothing.here");
        assertRefused(a, "/v1/bootstrap", "{\"addrs\":[\"/ip4/127.0.0.1/tcp/4001\"]}", 400, "/p2p/<peer id>");
        assertRefused(a, "/v1/bootstrap", "{\"addrs\":[]}", 400, "addrs must name at least one multiaddr");
    }

    private void assertRefused(Node n, String path, String body, int status, String message) throws Exception {
        HttpResponse<String> r = call(n, "POST", path, body);
        assertThat(r.statusCode()).as(path + " " + body + " -> " + r.body()).isEqualTo(status);
        assertThat(JSON.readTree(r.body()).path("error").asText()).contains(message);
    }
}
