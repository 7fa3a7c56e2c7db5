package io.ggen.p2p.interop;


import io.ggen.p2p.host.NettyHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.kad.KadConfig;
import io.ggen.p2p.kad.KadDht;
import io.ggen.p2p.kad.KadException;
import io.ggen.p2p.kad.KadMessage;
import io.ggen.p2p.kad.KadNode;
import io.ggen.p2p.kad.RecordSelector;
import io.ggen.p2p.kad.RecordValidator;
import io.ggen.p2p.multiformats.Cid;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * A mixed DHT of our nodes and js-libp2p kad-dht peers (interop/jspeer) on both protocol ids:
 * values, providers and peers found across implementations, client mode honoured both ways,
 * invalid records refused by our nodes.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class JsKadInteropTest {
    final List<NettyHost> hosts = new ArrayList<>();
    final List<KadDht> dhts = new ArrayList<>();
    final List<PeerProcess> js = new ArrayList<>();

    @AfterEach
    void stop() {
        dhts.forEach(KadDht::close);
        hosts.forEach(NettyHost::close);
        js.forEach(PeerProcess::close);
    }

    KadDht javaNode(String protocol, KadConfig.Mode mode) {
        NettyHost h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        hosts.add(h);
        KadDht d = KadDht.start(h, KadConfig.defaults().withProtocol(protocol).withMode(mode).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)));
        d.registerNamespace("ggen", RecordValidator.ACCEPT_ANY, RecordSelector.GREATEST);
        // Values must start with "ok:" here; the js peers accept anything in this namespace.
        d.registerNamespace("strict", (k, v) -> {
            if (!new String(v, StandardCharsets.UTF_8).startsWith("ok:")) throw new KadException("strict values start with ok:");
        }, RecordSelector.GREATEST);
        dhts.add(d);
        return d;
    }

    PeerProcess jsNode(String protocol, String mode, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--dht-protocol", protocol, "--dht-mode", mode, "--dht-namespace", "ggen", "--dht-namespace", "strict", "--no-pubsub"));
        args.addAll(List.of(extra));
        PeerProcess p = PeerProcess.js(args.toArray(String[]::new));
        js.add(p);
        return p;
    }

    void dial(KadDht from, String addr) throws Exception {
        hosts.get(dhts.indexOf(from)).dial(Multiaddr.fromString(addr)).get(20, TimeUnit.SECONDS).identified().get(20, TimeUnit.SECONDS);
    }

    static JsonNode call(PeerProcess p, String cmd, Object... kv) {
        var c = PeerProcess.cmd(cmd);
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] instanceof Integer n) c.put((String) kv[i], n);
            else c.put((String) kv[i], String.valueOf(kv[i + 1]));
        }
        return p.call(c, Duration.ofSeconds(90));
    }

    @ParameterizedTest
    @ValueSource(strings = {KadConfig.GGEN_PROTOCOL, KadConfig.IPFS_PROTOCOL})
    void mixedNetworkFindsValuesProvidersAndPeersAcrossImplementations(String protocol) throws Exception {
        PeerProcess js1 = jsNode(protocol, "server");
        KadDht j1 = javaNode(protocol, KadConfig.Mode.SERVER);
        KadDht j2 = javaNode(protocol, KadConfig.Mode.SERVER);
        KadDht j3 = javaNode(protocol, KadConfig.Mode.SERVER);
        NettyHost h1 = hosts.get(0);
        String j1Addr = h1.listenAddrs().get(0).withPeerId(h1.peerId()).toString();
        PeerProcess js2 = jsNode(protocol, "server", "--bootstrap", js1.addr(), "--bootstrap", j1Addr);
        PeerProcess js3 = jsNode(protocol, "server", "--bootstrap", js1.addr());
        for (KadDht d : List.of(j1, j2, j3)) dial(d, js1.addr());
        dial(j2, j1Addr);
        dial(j3, j1Addr);
        // Routing tables fill from identify: every node knows at least two DHT servers.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (KadDht d : List.of(j1, j2, j3)) assertThat(d.routingTable().size()).isGreaterThanOrEqualTo(2);
            for (PeerProcess p : List.of(js1, js2, js3)) assertThat(call(p, "routingTable").path("size").asInt()).isGreaterThanOrEqualTo(1);
        });
        for (KadDht d : List.of(j1, j2, j3)) d.bootstrap().get(60, TimeUnit.SECONDS);

        // A value put by a Java node is found by js, and the reverse.
        KadNode.PutResult put = j2.put("/ggen/from-java".getBytes(StandardCharsets.UTF_8), "v-java".getBytes(StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS);
        assertThat(put.stored()).isGreaterThanOrEqualTo(2);
        assertThat(call(js3, "get", "key", "/ggen/from-java").path("value").asText()).isEqualTo("v-java");
        JsonNode jsPut = call(js3, "put", "key", "/ggen/from-js", "value", "v-js");
        assertThat(jsPut.path("stored").asInt()).isGreaterThanOrEqualTo(1);
        Optional<KadNode.GetResult> got = j3.get("/ggen/from-js".getBytes(StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS);
        assertThat(got).isPresent();
        assertThat(new String(got.get().value(), StandardCharsets.UTF_8)).isEqualTo("v-js");

        // Providers announced by either are found by the other.
        Cid javaContent = Cid.rawSha256("provided by java".getBytes(StandardCharsets.UTF_8));
        assertThat(j2.provide(javaContent.multihash().toBytes()).get(60, TimeUnit.SECONDS).stored()).isGreaterThanOrEqualTo(1);
        JsonNode provs = call(js3, "findProviders", "cid", javaContent.toString(), "max", 1);
        assertThat(provs.path("providers").get(0).path("peer").asText()).isEqualTo(hosts.get(1).peerId().toString());
        call(js2, "provide", "text", "provided by js");
        Cid jsContent = Cid.rawSha256("provided by js".getBytes(StandardCharsets.UTF_8));
        List<KadMessage.PeerInfo> found = j3.findProviders(jsContent.multihash().toBytes(), 1, p -> { }).get(60, TimeUnit.SECONDS);
        assertThat(found).extracting(p -> p.id().toString()).contains(js2.peerId());

        // findPeer across both: js3 finds a Java node it never connected to, a Java node finds js3.
        PeerId j2Id = hosts.get(1).peerId();
        JsonNode fp = call(js3, "findPeer", "peer", j2Id.toString());
        assertThat(fp.path("addrs").toString()).contains("/tcp/" + hosts.get(1).listenAddrs().get(0).toTcpSocketAddress().get().getPort());
        Optional<KadMessage.PeerInfo> jsPeer = j2.findPeer(PeerId.fromString(js3.peerId())).get(60, TimeUnit.SECONDS);
        assertThat(jsPeer).isPresent();
        assertThat(jsPeer.get().addrs()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {KadConfig.GGEN_PROTOCOL, KadConfig.IPFS_PROTOCOL})
    void clientModeIsHonouredBothWays(String protocol) throws Exception {
        PeerProcess jsServer = jsNode(protocol, "server");
        KadDht javaServer = javaNode(protocol, KadConfig.Mode.SERVER);
        KadDht javaClient = javaNode(protocol, KadConfig.Mode.CLIENT);
        String javaServerAddr = hosts.get(0).listenAddrs().get(0).withPeerId(hosts.get(0).peerId()).toString();
        PeerProcess jsClient = jsNode(protocol, "client", "--bootstrap", javaServerAddr, "--bootstrap", jsServer.addr());
        dial(javaServer, jsServer.addr());
        dial(javaClient, jsServer.addr());
        dial(javaClient, javaServerAddr);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(javaServer.routingTable()).extracting(e -> e.peer().toString()).contains(jsServer.peerId());
            assertThat(call(jsServer, "routingTable").path("size").asInt()).isGreaterThanOrEqualTo(1);
        });
        // The js client is connected to our server but does not serve the protocol: not in our table.
        assertThat(hosts.get(0).connectedPeers()).extracting(PeerId::toString).contains(jsClient.peerId());
        assertThat(javaServer.routingTable()).extracting(e -> e.peer().toString()).doesNotContain(jsClient.peerId());
        assertThat(hosts.get(1).protocols()).doesNotContain(protocol);
        // Our client is not in js's table: js's closest peers to its own id never name it.
        JsonNode closest = call(jsServer, "closestPeers", "key", "anything");
        assertThat(closest.path("peers").toString()).doesNotContain(hosts.get(1).peerId().toString());
        // Both clients can still put and get through the servers.
        assertThat(javaClient.put("/ggen/c1".getBytes(StandardCharsets.UTF_8), "from-java-client".getBytes(StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS).stored())
                .isGreaterThanOrEqualTo(1);
        assertThat(call(jsClient, "get", "key", "/ggen/c1").path("value").asText()).isEqualTo("from-java-client");
        call(jsClient, "put", "key", "/ggen/c2", "value", "from-js-client");
        assertThat(javaClient.get("/ggen/c2".getBytes(StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS).map(g -> new String(g.value(), StandardCharsets.UTF_8)))
                .contains("from-js-client");
    }

    @ParameterizedTest
    @ValueSource(strings = {KadConfig.GGEN_PROTOCOL})
    void invalidRecordsFromJsAreRefusedByOurNodes(String protocol) throws Exception {
        KadDht j = javaNode(protocol, KadConfig.Mode.SERVER);
        String jAddr = hosts.get(0).listenAddrs().get(0).withPeerId(hosts.get(0).peerId()).toString();
        PeerProcess p = jsNode(protocol, "server", "--bootstrap", jAddr);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(call(p, "routingTable").path("size").asInt()).isEqualTo(1));
        // Unknown namespace: js does not know it either, so we send it ourselves below; here the
        // namespace js accepts but our validator refuses.
        JsonNode bad = call(p, "put", "key", "/strict/x", "value", "not ok");
        assertThat(bad.path("stored").asInt()).isZero();
        assertThat(bad.path("errors").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(j.node().recordCount()).isZero();
        JsonNode good = call(p, "put", "key", "/strict/y", "value", "ok: fine");
        assertThat(good.path("stored").asInt()).isEqualTo(1);
        assertThat(j.node().recordCount()).isEqualTo(1);
    }
}
