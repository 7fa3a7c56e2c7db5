package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.testing.Ggen;
import io.ggen.p2p.interop.PeerProcess;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The node's commands end to end: real ggen processes, each with its own GGEN_HOME, on loopback. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NodeCommandsIT {
    @TempDir
    Path tmp;

    final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : running) c.close();
    }

    Path home(String name) throws Exception {
        return Files.createDirectories(tmp.resolve(name));
    }

    Ggen.Running node(Path home, String... extra) throws Exception {
        Ggen.Running n = Ggen.at(home).startNode(extra);
        running.add(n);
        return n;
    }

    static List<String> peerIds(JsonNode peerList) {
        List<String> ids = new ArrayList<>();
        peerList.path("peers").forEach(p -> ids.add(p.path("peer_id").asText()));
        return ids;
    }

    static List<String> connected(JsonNode peerList) {
        List<String> ids = new ArrayList<>();
        peerList.path("peers").forEach(p -> {
            if (p.path("connected").asBoolean()) ids.add(p.path("peer_id").asText());
        });
        return ids;
    }

    @Test
    void twoNodesOneBootstrapsToTheOtherAndBothListEachOther() throws Exception {
        Path ha = home("a");
        Path hb = home("b");
        Ggen.Running a = node(ha);
        Ggen.Running b = node(hb, "--bootstrap", a.addr);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(peerIds(Ggen.at(ha).run("marketplace", "p2p", "peer-list", "--format", "json").json())).contains(b.peerId);
            assertThat(peerIds(Ggen.at(hb).run("marketplace", "p2p", "peer-list", "--format", "json").json())).contains(a.peerId);
        });

        Ggen.Result table = Ggen.at(hb).run("marketplace", "p2p", "peer-list", "--verbose");
        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(table.out()).contains("Peer ID").contains(a.peerId).contains("connected").contains("ggen/").contains("/ipfs/id/1.0.0")
                .contains("Total: 1 peer\n");
        JsonNode yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(Ggen.at(hb).run("marketplace", "p2p", "peer-list", "--format", "yaml").out());
        assertThat(yaml.path("peers").get(0).path("reputation").asDouble()).isEqualTo(1.0);
        assertThat(yaml.path("total").asInt()).isEqualTo(1);
        assertThat(Ggen.at(hb).run("marketplace", "p2p", "peer-list", "--min-reputation", "0.5", "--format", "json").json().path("total").asInt()).isEqualTo(1);

        Ggen.Result info = Ggen.at(hb).run("marketplace", "p2p", "peer-info", a.peerId, "--full");
        assertThat(info.exit()).as(info.toString()).isZero();
        assertThat(info.out()).contains(a.peerId).contains("Status:        connected (outbound)").contains("Reputation:    1.00").contains("/noise");

        JsonNode status = Ggen.at(hb).run("marketplace", "p2p", "status", "--format", "json").json();
        assertThat(status.path("running").asBoolean()).isTrue();
        assertThat(status.path("peer_id").asText()).isEqualTo(b.peerId);
        assertThat(status.path("connected_peers").asInt()).isEqualTo(1);
        assertThat(status.path("protocols").toString()).contains("/ipfs/ping/1.0.0");
        assertThat(status.path("listen_addrs").get(0).asText()).isEqualTo(b.addr);
        // the launcher's JVM (22+, native access on) encrypts with the system's OpenSSL
        assertThat(status.path("cipher").asText()).startsWith("OpenSSL").contains("libcrypto");
        // A saw B's connection come from B's address: that is what A reports to B as observed.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Ggen.at(hb).run("marketplace", "p2p", "status", "--format", "json").json().path("observed_addrs").toString()).contains("/ip4/127.0.0.1/tcp/"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Ggen.at(hb).run("marketplace", "p2p", "status", "--format", "json").json().path("dht").path("routing_table_size").asInt()).isEqualTo(1));
        Ggen.Result human = Ggen.at(hb).run("marketplace", "p2p", "status");
        assertThat(human.out()).contains("Encryption:      ChaCha20-Poly1305 by OpenSSL");
        assertThat(human.out()).contains("running (pid").contains(b.peerId).contains("1 connected").contains("server on /ggen/kad/1.0.0, routing table 1 peer\n");

        // B restarts without --bootstrap: its saved DHT routing table brings it back to A.
        b.close();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(connected(Ggen.at(ha).run("marketplace", "p2p", "peer-list", "--format", "json").json())).doesNotContain(b.peerId));
        Ggen.Running b2 = node(hb);
        assertThat(b2.peerId).isEqualTo(b.peerId);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(connected(Ggen.at(hb).run("marketplace", "p2p", "peer-list", "--format", "json").json())).contains(a.peerId));
    }

    @Test
    void statusShowsReachabilityAndAForcedOneSaysSo() throws Exception {
        Path h = home("forced");
        node(h, "--force-reachability", "private");
        JsonNode status = Ggen.at(h).run("marketplace", "p2p", "status", "--format", "json").json();
        assertThat(status.path("reachability").asText()).isEqualTo("private");
        assertThat(status.path("reachability_source").asText()).isEqualTo("forced");
        assertThat(status.path("protocols").toString()).contains("/libp2p/autonat/2/dial-request").contains("/libp2p/autonat/1.0.0");
        assertThat(Ggen.at(h).run("marketplace", "p2p", "status").out()).contains("Reachability:    private (forced by nat.force_reachability)");

        Ggen.Result bad = Ggen.at(home("bad-reachability")).run("marketplace", "p2p", "start", "--force-reachability", "sometimes");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err().strip()).doesNotContain("\n").contains("--force-reachability").contains("public, private");
    }

    @Test
    void daemonStartsReturnsAndStops() throws Exception {
        Path h = home("d");
        Ggen.Result started = Ggen.at(h).run("marketplace", "p2p", "start", "--daemon", "--listen", "/ip4/127.0.0.1/tcp/0");
        running.add(() -> Ggen.at(h).run("marketplace", "p2p", "stop"));
        assertThat(started.exit()).as(started.toString()).isZero();
        assertThat(started.out()).contains("started in the background").containsPattern("Peer ID: 12D3KooW\\w+").contains("/ip4/127.0.0.1/tcp/");
        assertThat(Files.getPosixFilePermissions(h.resolve("api.token"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(h.resolve("identity.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        Ggen.Result status = Ggen.at(h).run("marketplace", "p2p", "status");
        assertThat(status.exit()).as(status.toString()).isZero();
        assertThat(status.out()).contains("running");

        Ggen.Result second = Ggen.at(h).run("marketplace", "p2p", "start", "--daemon", "--listen", "/ip4/127.0.0.1/tcp/0");
        assertThat(second.exit()).isEqualTo(1);
        assertThat(second.err()).startsWith("error: a node is already running on " + h).contains("GGEN_HOME");
        Ggen.Result foreground = Ggen.at(h).run("marketplace", "p2p", "start", "--listen", "/ip4/127.0.0.1/tcp/0");
        assertThat(foreground.exit()).isEqualTo(1);
        assertThat(foreground.err()).contains("already running");

        Ggen.Result stop = Ggen.at(h).run("marketplace", "p2p", "stop");
        assertThat(stop.exit()).as(stop.toString()).isZero();
        assertThat(stop.out()).contains("Node stopped");
        Ggen.Result after = Ggen.at(h).run("marketplace", "p2p", "status");
        assertThat(after.exit()).isEqualTo(1);
        assertThat(after.out()).contains("not running");
        assertThat(h.resolve("node.json")).doesNotExist();
        assertThat(Files.readString(h.resolve("logs/node.log"))).contains("stop requested");
    }

    @Test
    void aDaemonSaysWhichBootstrapPeersItReachedAndHowToStopThisVeryNode() throws Exception {
        Path h = home("dboot");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String dead = "/ip4/127.0.0.1/tcp/" + closedPort + "/p2p/12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D";
        Ggen.Result started = Ggen.at(h).run("marketplace", "p2p", "start", "--daemon", "--listen", "/ip4/127.0.0.1/tcp/0", "--bootstrap", dead);
        running.add(() -> Ggen.at(h).run("marketplace", "p2p", "stop"));
        assertThat(started.exit()).as(started.toString()).isZero();
        assertThat(started.out()).contains("Could not connect to " + dead + ": ").contains("Connected to 0 bootstrap nodes of 1")
                // this data directory is not ~/.ggen: the hint must stop this node, not the default one
                .contains("Stop it with: GGEN_HOME=" + h + " ggen marketplace p2p stop");
    }

    @Test
    void peerInfoOfAnUnknownPeerIsAnErrorOnStderr() throws Exception {
        Path h = home("pi");
        node(h);
        Ggen.Result r = Ggen.at(h).run("marketplace", "p2p", "peer-info", "12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error: peer 12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D is unknown to this node");
    }

    @Test
    void aKilledNodeLeavesNothingThatBlocksTheNextStart() throws Exception {
        Path h = home("k");
        Ggen.Running first = node(h);
        first.process.destroyForcibly();
        first.exit();
        assertThat(h.resolve("node.json")).exists(); // left behind by kill -9
        Ggen.Result status = Ggen.at(h).run("marketplace", "p2p", "status");
        assertThat(status.exit()).isEqualTo(1);
        assertThat(status.out()).contains("not running");
        Ggen.Running again = node(h);
        assertThat(again.peerId).isEqualTo(first.peerId);
        assertThat(Ggen.at(h).run("marketplace", "p2p", "status", "--format", "json").json().path("pid").asLong()).isEqualTo(again.process.pid());
    }

    @Test
    void theApiRefusesRequestsWithoutTheToken() throws Exception {
        Path h = home("t");
        node(h);
        JsonNode info = Ggen.JSON.readTree(h.resolve("node.json").toFile());
        int port = info.path("api_port").asInt();
        String token = Files.readString(h.resolve("api.token")).trim();
        HttpClient http = HttpClient.newHttpClient();
        URI status = URI.create("http://127.0.0.1:" + port + "/v1/status");
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(status).header("Authorization", "Bearer " + "0".repeat(64)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> stopNoToken = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/stop"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stopNoToken.statusCode()).isEqualTo(401);
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(status).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"running\":true");
    }

    @Test
    void withoutANodeCommandsSaySoAndHowToStartOne() throws Exception {
        Path h = home("none");
        Ggen.Result status = Ggen.at(h).run("marketplace", "p2p", "status");
        assertThat(status.exit()).isEqualTo(1);
        assertThat(status.out()).contains("not running").contains("ggen marketplace p2p start");
        assertThat(Ggen.at(h).run("marketplace", "p2p", "status", "--format", "json").json().path("running").asBoolean()).isFalse();
        for (String[] args : List.of(new String[] {"marketplace", "p2p", "peer-list"},
                new String[] {"marketplace", "p2p", "peer-info", "12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D"},
                new String[] {"marketplace", "p2p", "bootstrap", "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D"})) {
            Ggen.Result r = Ggen.at(h).run(args);
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).startsWith("error: no node is running").contains("ggen marketplace p2p start");
        }
        Ggen.Result stop = Ggen.at(h).run("marketplace", "p2p", "stop");
        assertThat(stop.exit()).isEqualTo(1);
        assertThat(stop.out()).contains("No node is running");
    }

    @Test
    void bootstrapReportsEachNode() throws Exception {
        Path ha = home("ba");
        Path hb = home("bb");
        Ggen.Running a = node(ha);
        node(hb);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String dead = "/ip4/127.0.0.1/tcp/" + closedPort + "/p2p/12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D";
        Ggen.Result r = Ggen.at(hb).run("marketplace", "p2p", "bootstrap", a.addr, dead, "--timeout", "10");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("connected  " + a.addr).contains("failed     " + dead + ": ").contains("Connected to 1 of 2 nodes")
                .contains("DHT bootstrap complete: routing table has 1 peer\n");
        Ggen.Result onlyDead = Ggen.at(hb).run("marketplace", "p2p", "bootstrap", dead, "--timeout", "5", "--format", "json");
        assertThat(onlyDead.exit()).isEqualTo(1);
        assertThat(onlyDead.json().path("results").get(0).path("connected").asBoolean()).isFalse();
        Ggen.Result malformed = Ggen.at(hb).run("marketplace", "p2p", "bootstrap", "/ip4/127.0.0.1/tcp/4001");
        assertThat(malformed.exit()).isEqualTo(2);
        assertThat(malformed.err()).startsWith("error: ").contains("/p2p/<peer id>");
    }

    @Test
    void bootstrapDialsTheAddressGivenEvenWhenThePeerIsConnected() throws Exception {
        Path ha = home("da");
        Path hb = home("db");
        Ggen.Running a = node(ha);
        node(hb, "--bootstrap", a.addr);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(connected(Ggen.at(hb).run("marketplace", "p2p", "peer-list", "--format", "json").json())).contains(a.peerId));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        // A's peer id at an address where nothing listens: not "connected", though A is
        String wrong = "/ip4/127.0.0.1/tcp/" + closedPort + "/p2p/" + a.peerId;
        Ggen.Result r = Ggen.at(hb).run("marketplace", "p2p", "bootstrap", wrong, "--timeout", "10");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("failed     " + wrong + ": ").doesNotContain("connected  " + wrong);
        Ggen.Result right = Ggen.at(hb).run("marketplace", "p2p", "bootstrap", a.addr, "--timeout", "10");
        assertThat(right.exit()).as(right.toString()).isZero();
        assertThat(right.out()).contains("connected  " + a.addr);
    }

    @Test
    void aJsLibp2pPeerBootstrapsToAGgenNodeAndAppearsInItsPeerList() throws Exception {
        Path h = home("js");
        Ggen.Running n = node(h);
        try (PeerProcess js = PeerProcess.js("--bootstrap", n.addr)) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode peers = Ggen.at(h).run("marketplace", "p2p", "peer-list", "--format", "json").json();
                JsonNode found = null;
                for (JsonNode p : peers.path("peers")) if (p.path("peer_id").asText().equals(js.peerId())) found = p;
                assertThat(found).as(peers.toString()).isNotNull();
                assertThat(found.path("connected").asBoolean()).isTrue();
                assertThat(found.path("agent_version").asText()).startsWith("jspeer/");
            });
            Ggen.Result info = Ggen.at(h).run("marketplace", "p2p", "peer-info", js.peerId(), "--format", "json");
            assertThat(info.json().path("direction").asText()).isEqualTo("inbound");
        }
    }

    @Test
    void badConfigurationIsOneLineNamingWhereAndWhat() throws Exception {
        Path h = home("cfg");
        record Case(String file, Map<String, String> env, String[] expected) {}
        List<Case> cases = List.of(
                new Case("listen_addresses = [\"/ip4/127.0.0.1/tcp/0\"]\nlisten_adresses = []\n", Map.of(),
                        new String[] {"p2p-config.toml:2:1: unknown key 'listen_adresses'", "did you mean 'listen_addresses'"}),
                new Case("dht_server_mode = \"yes\"\n", Map.of(), new String[] {"p2p-config.toml:1:1: dht_server_mode: expected true or false"}),
                new Case("[api]\nport = 70000\n", Map.of(), new String[] {"p2p-config.toml:2:1: api.port: 70000 is out of range; expected an integer from 0 to 65535"}),
                new Case("listen_addresses = [\"/ip4/127.0.0.1/tcpx/1\"]\n", Map.of(), new String[] {"p2p-config.toml:1:1: listen_addresses", "is not a multiaddr"}),
                new Case("bootstrap_nodes = [\"/ip4/127.0.0.1/tcp/4001\"]\n", Map.of(), new String[] {"bootstrap_nodes", "add /p2p/<peer id>"}),
                new Case("listen_addresses = [\n", Map.of(), new String[] {"p2p-config.toml:", "invalid TOML"}),
                new Case("[limits]\nmax_connections = \"many\"\n", Map.of(), new String[] {"p2p-config.toml:2:1: limits.max_connections: expected an integer", "without quotes"}),
                new Case("", Map.of("GGEN_P2P_LISTEN", "/ip4/127.0.0.1/tcp/99999"), new String[] {"environment GGEN_P2P_LISTEN: listen_addresses"}),
                new Case("", Map.of("GGEN_P2P_DHT_SERVER", "maybe"), new String[] {"environment GGEN_P2P_DHT_SERVER: dht_server_mode: expected true or false"}));
        for (Case c : cases) {
            Files.writeString(h.resolve("p2p-config.toml"), c.file());
            Ggen.Result r = Ggen.at(h).run(c.env(), "marketplace", "p2p", "start");
            assertThat(r.exit()).as(c.file() + c.env() + "\n" + r).isEqualTo(2);
            assertThat(r.err().lines().count()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).startsWith("error: ").doesNotContain("Exception").contains(c.expected());
        }
        Files.delete(h.resolve("p2p-config.toml"));
        Ggen.Result flag = Ggen.at(h).run("marketplace", "p2p", "start", "--listen", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D");
        assertThat(flag.exit()).isEqualTo(2);
        assertThat(flag.err()).startsWith("error: --listen: listen_addresses: ").contains("cannot be listened on");
        Ggen.Result explicit = Ggen.at(h).run("marketplace", "p2p", "start", "--config", h.resolve("missing.toml").toString());
        assertThat(explicit.exit()).isEqualTo(2);
        assertThat(explicit.err()).contains("missing.toml: no such file");
        Ggen.Result badId = Ggen.at(h).run("marketplace", "p2p", "peer-info", "not-a-peer-id");
        assertThat(badId.exit()).isEqualTo(2);
        assertThat(badId.err()).startsWith("error: 'not-a-peer-id' is not a peer id");
    }

    @Test
    void configInitWritesTheDefaultsAndShowTellsWhereEachValueComesFrom() throws Exception {
        Path h = home("init");
        Ggen.Result init = Ggen.at(h).run("marketplace", "p2p", "config", "init");
        assertThat(init.exit()).as(init.toString()).isZero();
        String written = Files.readString(h.resolve("p2p-config.toml"));
        assertThat(written).contains("listen_addresses = [\"/ip4/0.0.0.0/tcp/0\"]").contains("packages_topic = \"/ggen/packages/v1\"").contains("[dht]");
        Ggen.Result again = Ggen.at(h).run("marketplace", "p2p", "config", "init");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already exists").contains("--force");
        Files.writeString(h.resolve("p2p-config.toml"), written.replace("dht_server_mode = true", "dht_server_mode = false"));
        assertThat(Ggen.at(h).run("marketplace", "p2p", "config", "init", "--force").exit()).isZero();
        assertThat(Files.readString(h.resolve("p2p-config.toml.bak"))).contains("dht_server_mode = false");

        Files.writeString(h.resolve("p2p-config.toml"), "listen_addresses = [\"/ip4/127.0.0.1/tcp/4001\"]\ndht_server_mode = false\n");
        JsonNode shown = Ggen.at(h).run(Map.of("GGEN_P2P_LISTEN", "/ip4/127.0.0.1/tcp/4002"), "marketplace", "p2p", "config", "show", "--format", "json").json();
        assertThat(shown.path("listen_addresses").path("value").get(0).asText()).isEqualTo("/ip4/127.0.0.1/tcp/4002");
        assertThat(shown.path("listen_addresses").path("source").asText()).isEqualTo("GGEN_P2P_LISTEN");
        assertThat(shown.path("dht_server_mode").path("value").asBoolean()).isFalse();
        assertThat(shown.path("dht_server_mode").path("source").asText()).endsWith("p2p-config.toml:2:1");
        assertThat(shown.path("packages_topic").path("source").asText()).isEqualTo("default");
    }

    @Test
    void completionScriptCoversTheCommands() throws Exception {
        Ggen.Result r = Ggen.at(home("c")).run("completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("complete -F").contains("peer-list").contains("bootstrap").contains("--min-reputation");
    }
}
