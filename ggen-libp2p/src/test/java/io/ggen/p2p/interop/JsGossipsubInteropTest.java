package io.ggen.p2p.interop;


import io.ggen.p2p.host.NettyHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.KeyType;
import io.ggen.p2p.crypto.Keys;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.pubsub.PubsubMessage;
import io.ggen.p2p.pubsub.gossipsub.Gossipsub;
import io.ggen.p2p.pubsub.gossipsub.GossipsubConfig;
import io.ggen.p2p.pubsub.gossipsub.PeerScoreParams;
import io.ggen.p2p.pubsub.gossipsub.PeerScoreThresholds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A mixed gossipsub network of our nodes and js-libp2p peers: messages from either reach every
 * subscriber, signatures verify across implementations (including an RSA-keyed node whose key
 * travels in the message), meshes form across them, and neither side scores the other down.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class JsGossipsubInteropTest {
    static final String TOPIC = "/ggen/packages/v1";
    final List<NettyHost> hosts = new ArrayList<>();
    final List<Gossipsub> subs = new ArrayList<>();
    final List<List<PubsubMessage>> received = new ArrayList<>();
    final List<PeerProcess> js = new ArrayList<>();

    @AfterEach
    void stop() {
        subs.forEach(Gossipsub::close);
        hosts.forEach(NettyHost::close);
        js.forEach(PeerProcess::close);
    }

    Gossipsub javaNode(io.ggen.p2p.crypto.PrivateKey key) {
        NettyHost h = NettyHost.start(HostConfig.defaults(key));
        hosts.add(h);
        Gossipsub g = Gossipsub.start(h, GossipsubConfig.defaults().withHeartbeat(Duration.ofMillis(500)));
        List<PubsubMessage> inbox = new CopyOnWriteArrayList<>();
        g.addListener((m, from) -> inbox.add(m));
        received.add(inbox);
        g.subscribe(TOPIC);
        subs.add(g);
        return g;
    }

    /** A node that takes PX from any peer not scored down (a fresh peer's score is 0, under the default 10). */
    Gossipsub javaNodeTakingPx() {
        NettyHost h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        hosts.add(h);
        PeerScoreThresholds d = PeerScoreThresholds.defaults();
        Gossipsub g = Gossipsub.start(h, GossipsubConfig.defaults().withHeartbeat(Duration.ofMillis(500)), PeerScoreParams.defaults(),
                new PeerScoreThresholds(d.gossip(), d.publish(), d.graylist(), 0, d.opportunisticGraft()));
        received.add(new CopyOnWriteArrayList<>());
        g.subscribe(TOPIC);
        subs.add(g);
        return g;
    }

    boolean jsConnectedTo(PeerProcess p, PeerId peer) throws Exception {
        return p.call(PeerProcess.cmd("peers")).path("peers").toString().contains(peer.toString());
    }

    static String addr(NettyHost h) {
        return h.listenAddrs().get(0).withPeerId(h.peerId()).toString();
    }

    @Test
    void messagesFromEitherReachEverySubscriberAcrossAMixedMesh() throws Exception {
        javaNode(Ed25519PrivateKey.generate());
        javaNode(Keys.generate(KeyType.RSA)); // its key is not in its peer id: messages carry it
        javaNode(Ed25519PrivateKey.generate());
        for (int i = 0; i < 3; i++) js.add(PeerProcess.js("--topic", TOPIC, "--echo", "--no-dht"));
        // A ring through both implementations plus a chord: j0-js0-j1-js1-j2-js2-j0, j0-j2.
        List<String> order = List.of(addr(hosts.get(0)), js.get(0).addr(), addr(hosts.get(1)), js.get(1).addr(), addr(hosts.get(2)), js.get(2).addr());
        for (int i = 0; i < 3; i++) {
            hosts.get(i).dial(Multiaddr.fromString(js.get(i).addr())).get(20, TimeUnit.SECONDS);
            hosts.get((i + 1) % 3).dial(Multiaddr.fromString(js.get(i).addr())).get(20, TimeUnit.SECONDS);
        }
        hosts.get(0).dial(Multiaddr.fromString(addr(hosts.get(2)))).get(20, TimeUnit.SECONDS);
        assertThat(order).hasSize(6);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (Gossipsub g : subs) assertThat(g.meshPeers(TOPIC)).hasSizeGreaterThanOrEqualTo(2);
            for (PeerProcess p : js) assertThat(p.call(PeerProcess.cmd("mesh").put("topic", TOPIC)).path("peers").size()).isGreaterThanOrEqualTo(2);
        });
        // Meshes cross implementations.
        List<String> jsIds = js.stream().map(PeerProcess::peerId).toList();
        assertThat(subs.get(0).meshPeers(TOPIC)).extracting(PeerId::toString).containsAnyElementsOf(jsIds);
        assertThat(js.get(0).call(PeerProcess.cmd("mesh").put("topic", TOPIC)).path("peers").toString()).contains(hosts.get(0).peerId().toString());

        // From Java (Ed25519 and RSA publishers) to everyone.
        for (int src : List.of(0, 1)) {
            String text = "from java " + src;
            int recipients = subs.get(src).publish(TOPIC, text.getBytes(StandardCharsets.UTF_8));
            assertThat(recipients).isGreaterThanOrEqualTo(2);
            for (PeerProcess p : js) {
                JsonNode e = p.awaitEvent(ev -> "message".equals(ev.path("event").asText())
                        && text.equals(new String(java.util.Base64.getDecoder().decode(ev.path("data").asText()), StandardCharsets.UTF_8)), Duration.ofSeconds(30));
                assertThat(e.path("from").asText()).isEqualTo(hosts.get(src).peerId().toString());
                assertThat(e.path("type").asText()).isEqualTo("signed");
            }
            for (int j = 0; j < 3; j++) {
                if (j == src) continue;
                List<PubsubMessage> inbox = received.get(j);
                await().atMost(Duration.ofSeconds(30)).until(() -> inbox.stream().anyMatch(m -> new String(m.data(), StandardCharsets.UTF_8).equals(text)));
            }
        }
        // From js to everyone.
        js.get(1).call(PeerProcess.cmd("publish").put("topic", TOPIC).put("text", "from js"));
        for (int j = 0; j < 3; j++) {
            List<PubsubMessage> inbox = received.get(j);
            await().atMost(Duration.ofSeconds(30)).until(() -> inbox.stream().anyMatch(m -> new String(m.data(), StandardCharsets.UTF_8).equals("from js")
                    && m.from().toString().equals(js.get(1).peerId())));
        }
        for (PeerProcess p : List.of(js.get(0), js.get(2))) {
            p.awaitEvent(ev -> "message".equals(ev.path("event").asText()) && ev.path("from").asText().equals(js.get(1).peerId()), Duration.ofSeconds(30));
        }
        // A burst both ways; nobody is scored down: our scores of js peers stay >= 0 and js keeps us in its mesh.
        for (int k = 0; k < 20; k++) {
            subs.get(k % 3).publish(TOPIC, ("burst " + k).getBytes(StandardCharsets.UTF_8));
            js.get(k % 3).call(PeerProcess.cmd("publish").put("topic", TOPIC).put("text", "js burst " + k));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int j = 0; j < 3; j++) {
                long count = received.get(j).stream().filter(m -> new String(m.data(), StandardCharsets.UTF_8).startsWith("js burst")).count();
                assertThat(count).isEqualTo(20);
            }
        });
        for (Gossipsub g : subs) {
            for (PeerProcess p : js) g.score(PeerId.fromString(p.peerId())).ifPresent(s -> assertThat(s).isGreaterThanOrEqualTo(0.0));
            assertThat(g.stats().invalid).isZero();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(js.get(0).call(PeerProcess.cmd("mesh").put("topic", TOPIC)).path("peers").toString()).contains(hosts.get(0).peerId().toString()));
        // And js's own scores of the Java nodes it is connected to (gossipsub's getScore).
        for (int i = 0; i < 3; i++) {
            for (NettyHost h : List.of(hosts.get(i), hosts.get((i + 1) % 3))) {
                JsonNode s = js.get(i).call(PeerProcess.cmd("score").put("peer", h.peerId().toString()));
                assertThat(s.path("score").isNumber()).as("js%d answers a score for %s: %s", i, h.peerId(), s).isTrue();
                assertThat(s.path("score").asDouble()).as("js%d's score of %s", i, h.peerId()).isGreaterThanOrEqualTo(0.0);
            }
        }
    }

    @Test
    void aJsPeerLeavingTheTopicSendsPxThatWeVerifyAndDial() throws Exception {
        Gossipsub j = javaNodeTakingPx();
        js.add(PeerProcess.js("--topic", TOPIC, "--no-dht", "--gossip-px")); // the one that leaves
        js.add(PeerProcess.js("--topic", TOPIC, "--no-dht"));                 // the one it suggests
        js.get(1).call(PeerProcess.cmd("dial").put("addr", js.get(0).addr()));
        hosts.get(0).dial(Multiaddr.fromString(js.get(0).addr())).get(20, TimeUnit.SECONDS);
        PeerId suggested = PeerId.fromString(js.get(1).peerId());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(js.get(0).call(PeerProcess.cmd("mesh").put("topic", TOPIC)).path("peers").toString())
                        .contains(hosts.get(0).peerId().toString()).contains(suggested.toString()));
        assertThat(hosts.get(0).connection(suggested)).isEmpty();

        js.get(0).call(PeerProcess.cmd("unsubscribe").put("topic", TOPIC));
        // js's PRUNE names js1 with its signed peer record (from js's identify); we check the
        // envelope's signature and owner, take its addresses and dial.
        await().atMost(Duration.ofSeconds(30)).until(() -> hosts.get(0).connection(suggested).isPresent());
        // The connection shows before the PX dial's future completes and is counted.
        await().atMost(Duration.ofSeconds(30)).until(() -> j.pxConnected() == 1);
        assertThat(hosts.get(0).peerStore().signedRecord(suggested)).isPresent();
        await().atMost(Duration.ofSeconds(30)).until(() -> j.meshPeers(TOPIC).contains(suggested));
    }

    @Test
    void whenWeLeaveTheTopicOurPxLeadsAJsPeerToAnotherJavaNode() throws Exception {
        Gossipsub leaving = javaNode(Ed25519PrivateKey.generate());
        Gossipsub other = javaNode(Ed25519PrivateKey.generate());
        js.add(PeerProcess.js("--topic", TOPIC, "--no-dht", "--gossip-accept-px", "0"));
        hosts.get(1).dial(Multiaddr.fromString(addr(hosts.get(0)))).get(20, TimeUnit.SECONDS);
        hosts.get(0).dial(Multiaddr.fromString(js.get(0).addr())).get(20, TimeUnit.SECONDS);
        PeerId jsId = PeerId.fromString(js.get(0).peerId());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(leaving.meshPeers(TOPIC)).contains(jsId, hosts.get(1).peerId());
            assertThat(hosts.get(0).peerStore().signedRecord(hosts.get(1).peerId())).isPresent();
        });
        assertThat(jsConnectedTo(js.get(0), hosts.get(1).peerId())).isFalse();

        leaving.unsubscribe(TOPIC);
        // Our PRUNE names the other Java node with the signed record its identify gave us; js
        // checks it (consumePeerRecord, expecting that peer) and connects.
        await().atMost(Duration.ofSeconds(30)).until(() -> jsConnectedTo(js.get(0), hosts.get(1).peerId()));
        await().atMost(Duration.ofSeconds(30)).until(() -> other.meshPeers(TOPIC).contains(jsId));
    }

    @Test
    void largeMessagesAreAnnouncedWithIDontWantBothWays() throws Exception {
        Gossipsub j = javaNode(Ed25519PrivateKey.generate());
        for (int i = 0; i < 2; i++) js.add(PeerProcess.js("--topic", TOPIC, "--echo", "--no-echo-data", "--no-dht"));
        // A triangle: our node and two js peers, all in one mesh.
        hosts.get(0).dial(Multiaddr.fromString(js.get(0).addr())).get(20, TimeUnit.SECONDS);
        hosts.get(0).dial(Multiaddr.fromString(js.get(1).addr())).get(20, TimeUnit.SECONDS);
        js.get(0).call(PeerProcess.cmd("dial").put("addr", js.get(1).addr()));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(j.meshPeers(TOPIC)).hasSize(2);
            for (PeerProcess p : js) assertThat(p.call(PeerProcess.cmd("mesh").put("topic", TOPIC)).path("peers").size()).isEqualTo(2);
        });
        j.router().resetCounters();
        // js0 publishes 4 KiB messages: each reaches us and js1; whoever gets a copy from js0 first
        // tells the other that it has it (IDONTWANT over /meshsub/1.2.0), so over five messages
        // both directions occur (which one for each message depends on timing).
        for (int k = 0; k < 5; k++) js.get(0).call(PeerProcess.cmd("publish").put("topic", TOPIC).put("size", 4096).put("tag", 7000 + k));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(received.get(0).stream().filter(m -> m.data().length == 4096).count()).isEqualTo(5);
            assertThat(j.stats().idontwantSent).as("IDONTWANT sent to js1").isGreaterThanOrEqualTo(1);
            assertThat(j.stats().idontwantReceived).as("IDONTWANT received from js1").isGreaterThanOrEqualTo(1);
            assertThat(j.stats().idontwantSent + j.stats().idontwantReceived).isGreaterThanOrEqualTo(5);
        });
        // And ours, published the same size, reach both js peers.
        for (int k = 0; k < 3; k++) j.publish(TOPIC, new byte[4096]);
        for (PeerProcess p : js) {
            await().atMost(Duration.ofSeconds(30)).until(() -> p.events(ev -> "message".equals(ev.path("event").asText())
                    && ev.path("from").asText().equals(hosts.get(0).peerId().toString())).size() >= 3);
        }
        for (PeerProcess p : js) j.score(PeerId.fromString(p.peerId())).ifPresent(s -> assertThat(s).isGreaterThanOrEqualTo(0.0));
    }
}
