package io.ggen.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.p2p.interop.PeerProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged Java interop peer, driven over the JSON-lines protocol exactly as the shared
 * harness drives peer.mjs: java-java and mixed pairs, every command it supports, the events,
 * the seed identities and the Unsupported answers.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JavaPeerIT {
    final List<PeerProcess> peers = new ArrayList<>();

    @AfterEach
    void stop() {
        peers.forEach(PeerProcess::close);
    }

    PeerProcess java(String... args) throws IOException {
        return java(Map.of(), args);
    }

    PeerProcess java(Map<String, String> env, String... args) throws IOException {
        PeerProcess p = PeerProcess.java(env, args);
        peers.add(p);
        return p;
    }

    PeerProcess js(String... args) throws IOException {
        List<String> a = new ArrayList<>(List.of("--no-dht", "--no-pubsub"));
        a.addAll(List.of(args));
        PeerProcess p = PeerProcess.js(a.toArray(String[]::new));
        peers.add(p);
        return p;
    }

    @Test
    void seedsGiveTheSamePeerIdsAsPeerMjs() throws Exception {
        PeerProcess a = java("--seed", "a");
        assertThat(a.peerId()).isEqualTo("12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D");
        PeerProcess b = java("--seed-hex", "0000000000000000000000000000000000000000000000000000000000000001");
        assertThat(b.peerId()).isEqualTo("12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp");
        PeerProcess js = js("--seed", "a", "--port", "0");
        assertThat(js.peerId()).isEqualTo(a.peerId());
        JsonNode ready = a.readyLine();
        assertThat(ready.get("keyType").asText()).isEqualTo("Ed25519");
        assertThat(ready.get("protocols").toString()).contains("/bench/sink/1.0.0", "/bench/source/1.0.0", "/ipfs/id/1.0.0", "/ipfs/ping/1.0.0");
        assertThat(ready.get("pid").asLong()).isPositive();
    }

    @Test
    void javaJava_allConnectionCommands() throws Exception {
        PeerProcess a = java("--events");
        PeerProcess b = java(Map.of("PEER_HASH", "1"), "--events");
        JsonNode d = a.call(PeerProcess.cmd("dial").put("addr", b.addr()));
        assertThat(d.get("peer").asText()).isEqualTo(b.peerId());
        assertThat(d.get("encryption").asText()).isEqualTo("/noise");
        assertThat(d.get("muxer").asText()).isEqualTo("/yamux/1.0.0");
        assertThat(d.get("direction").asText()).isEqualTo("outbound");
        assertThat(d.get("reused").asBoolean()).isFalse();
        assertThat(d.get("agentVersion").asText()).startsWith("ggen/");
        assertThat(d.get("identifyMs").asDouble()).isPositive();
        assertThat(a.call(PeerProcess.cmd("dial").put("addr", b.addr())).get("reused").asBoolean()).isTrue();

        b.awaitEvent(e -> "connect".equals(e.path("event").asText()) && a.peerId().equals(e.path("peer").asText()), Duration.ofSeconds(30));
        b.awaitEvent(e -> "identify".equals(e.path("event").asText()) && a.peerId().equals(e.path("peer").asText()), Duration.ofSeconds(30));

        assertThat(a.call(PeerProcess.cmd("ping").put("peer", b.peerId()).put("count", 3)).get("rttMs")).hasSize(3);
        JsonNode id = a.call(PeerProcess.cmd("identify").put("peer", b.peerId()));
        assertThat(id.get("agentVersion").asText()).startsWith("ggen/");
        assertThat(id.get("protocols").toString()).contains("/bench/sink/1.0.0");

        JsonNode sent = a.call(PeerProcess.cmd("sinkTo").put("peer", b.peerId()).put("bytes", 16 << 20).put("pattern", "random"), Duration.ofSeconds(120));
        assertThat(sent.get("acked").asLong()).isEqualTo(16 << 20);
        JsonNode sink = b.awaitEvent(e -> "sink".equals(e.path("event").asText()), Duration.ofSeconds(30));
        assertThat(sink.get("sha256").asText()).isEqualTo(sent.get("sha256").asText());
        JsonNode got = a.call(PeerProcess.cmd("sourceFrom").put("peer", b.peerId()).put("bytes", 16 << 20).put("hash", true), Duration.ofSeconds(120));
        assertThat(got.get("received").asLong()).isEqualTo(16 << 20);

        JsonNode peersOfA = a.call(PeerProcess.cmd("peers"));
        assertThat(peersOfA.get("count").asInt()).isEqualTo(1);
        assertThat(peersOfA.get("peers").get(0).get("encryption").asText()).isEqualTo("/noise");

        JsonNode stats = b.call(PeerProcess.cmd("stats"));
        assertThat(stats.get("sinkBytes").asLong()).isEqualTo(16 << 20);
        assertThat(stats.get("rssMiB").asDouble()).isPositive();
        b.call(PeerProcess.cmd("resetStats"));
        assertThat(b.call(PeerProcess.cmd("stats")).get("sinkBytes").asLong()).isZero();

        JsonNode bench = a.call(PeerProcess.cmd("dialBench").put("addr", b.addr()).put("n", 5), Duration.ofSeconds(120));
        assertThat(bench.get("n").asInt()).isEqualTo(5);
        assertThat(bench.get("identifyMedianMs").asDouble()).isPositive();

        a.call(PeerProcess.cmd("hangup").put("peer", b.peerId()));
        b.awaitEvent(e -> "disconnect".equals(e.path("event").asText()), Duration.ofSeconds(30));
        assertThat(a.call(PeerProcess.cmd("peers")).get("count").asInt()).isZero();
    }

    @Test
    void mixed_javaDialsJs_andJsDialsJava() throws Exception {
        PeerProcess java = java();
        PeerProcess js = js();
        JsonNode d = java.call(PeerProcess.cmd("dial").put("addr", js.addr()));
        assertThat(d.get("agentVersion").asText()).isEqualTo("jspeer/1.0 (ggen reference peer)");
        assertThat(java.call(PeerProcess.cmd("sinkTo").put("peer", js.peerId()).put("bytes", 8 << 20)).get("acked").asLong()).isEqualTo(8 << 20);

        PeerProcess js2 = js();
        JsonNode r = js2.call(PeerProcess.cmd("dial").put("addr", java.addr()));
        assertThat(r.get("encryption").asText()).isEqualTo("/noise");
        assertThat(r.get("agentVersion").asText()).startsWith("ggen/");
        assertThat(js2.call(PeerProcess.cmd("sourceFrom").put("peer", java.peerId()).put("bytes", 8 << 20)).get("received").asLong()).isEqualTo(8 << 20);
        assertThat(js2.call(PeerProcess.cmd("ping").put("peer", java.peerId()).put("count", 3)).get("rttMs")).hasSize(3);
    }

    @Test
    void bootstrapFlagDialsAtStart() throws Exception {
        PeerProcess js = js();
        PeerProcess java = java("--events", "--bootstrap", js.addr());
        JsonNode ev = java.awaitEvent(e -> "bootstrap".equals(e.path("event").asText()), Duration.ofSeconds(30));
        assertThat(ev.get("peer").asText()).isEqualTo(js.peerId());
    }

    @Test
    void theAutonatFlagAndTheAddrsCommandMatchPeerMjs() throws Exception {
        // (--mdns is left out here: it would multicast on this machine's network; MdnsLabTest runs it in namespaces)
        PeerProcess a = java("--no-dht", "--no-pubsub", "--autonat", "v2");
        assertThat(a.readyLine().get("protocols").toString()).contains("/libp2p/autonat/2/dial-request", "/libp2p/autonat/1.0.0");
        JsonNode addrs = a.call(PeerProcess.cmd("addrs"), Duration.ofSeconds(30));
        assertThat(addrs.get("addrs").get(0).asText()).isEqualTo(a.addr());
        assertThat(addrs.get("all").get(0).get("verified").asBoolean()).as("loopback is never verified").isFalse();
        PeerProcess js = js("--autonat", "v2");
        assertThat(js.call(PeerProcess.cmd("addrs"), Duration.ofSeconds(30)).get("all").get(0).has("verified")).isTrue();
    }

    @Test
    void layersSwitchedOffAnswerUnsupported_andUnknownCommandsAnError() throws Exception {
        PeerProcess a = java("--no-dht", "--no-pubsub");
        for (String cmd : List.of("subscribe", "publish", "mesh")) {
            JsonNode r = a.send(PeerProcess.cmd(cmd).put("topic", "t")).get(30, TimeUnit.SECONDS);
            assertThat(r.get("ok").asBoolean()).isFalse();
            assertThat(r.get("error").asText()).startsWith("Unsupported:").contains("--no-pubsub");
        }
        for (String cmd : List.of("put", "get", "provide", "findProviders", "findPeer", "closestPeers", "routingTable")) {
            JsonNode r = a.send(PeerProcess.cmd(cmd).put("key", "/ggen/x")).get(30, TimeUnit.SECONDS);
            assertThat(r.get("ok").asBoolean()).isFalse();
            assertThat(r.get("error").asText()).startsWith("Unsupported:").contains("--no-dht");
        }
        JsonNode r = a.send(PeerProcess.cmd("nonsense")).get(30, TimeUnit.SECONDS);
        assertThat(r.get("ok").asBoolean()).isFalse();
        JsonNode bad = a.send(PeerProcess.cmd("dial").put("addr", "/ip4/999.1.1.1/tcp/1")).get(30, TimeUnit.SECONDS);
        assertThat(bad.get("ok").asBoolean()).isFalse();
        assertThat(a.call(PeerProcess.cmd("id")).get("peerId").asText()).isEqualTo(a.peerId());
    }

    @Test
    void rsaAndSecp256k1KeyTypes() throws Exception {
        PeerProcess rsa = java("--key-type", "RSA");
        PeerProcess k1 = java("--key-type", "secp256k1");
        assertThat(rsa.readyLine().get("keyType").asText()).isEqualTo("RSA");
        assertThat(rsa.peerId()).startsWith("Qm");
        assertThat(k1.readyLine().get("keyType").asText()).isEqualTo("secp256k1");
        JsonNode d = rsa.call(PeerProcess.cmd("dial").put("addr", k1.addr()));
        assertThat(d.get("peer").asText()).isEqualTo(k1.peerId());
        PeerProcess js = js();
        assertThat(js.call(PeerProcess.cmd("dial").put("addr", rsa.addr())).get("peer").asText()).isEqualTo(rsa.peerId());
    }

    @Test
    void stopCommandAndStdinEofEndTheProcess() throws Exception {
        PeerProcess a = java();
        a.call(PeerProcess.cmd("stop"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !a.isAlive());
        PeerProcess b = java();
        b.closeStdin();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !b.isAlive());
    }
}
