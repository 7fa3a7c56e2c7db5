package io.ggen.p2p.pubsub;


import io.ggen.p2p.host.NettyHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.protocol.LengthPrefixed;
import io.ggen.p2p.pubsub.gossipsub.Gossipsub;
import io.ggen.p2p.pubsub.gossipsub.GossipsubConfig;
import io.ggen.p2p.pubsub.gossipsub.PeerScoreThresholds;
import io.ggen.p2p.pubsub.pb.PubsubProto;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile peers that speak meshsub on the wire (hand-written RPCs) against a real node: invalid
 * signatures, IHAVE spam for messages they never send, GRAFT during backoff, oversized RPCs. Each
 * is scored down (below zero, most below the graylist) while an honest peer's messages keep
 * being delivered.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GossipsubHostileTest {
    static final String TOPIC = "t";
    final List<NettyHost> hosts = new ArrayList<>();
    Gossipsub victim;
    Gossipsub honest;
    NettyHost victimHost;
    final List<PubsubMessage> delivered = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        victimHost = host();
        victim = Gossipsub.start(victimHost, GossipsubConfig.defaults().withHeartbeat(Duration.ofMillis(100)));
        victim.subscribe(TOPIC);
        victim.addListener((m, from) -> delivered.add(m));
        NettyHost h = host();
        honest = Gossipsub.start(h, GossipsubConfig.defaults().withHeartbeat(Duration.ofMillis(100)));
        honest.subscribe(TOPIC);
        h.dial(victimHost.listenAddrs().get(0).withPeerId(victimHost.peerId())).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> victim.meshPeers(TOPIC).contains(h.peerId()));
    }

    @AfterEach
    void stop() {
        victim.close();
        honest.close();
        hosts.forEach(NettyHost::close);
    }

    NettyHost host() {
        NettyHost h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        hosts.add(h);
        return h;
    }

    /** A peer that announces meshsub (so the victim takes it as a pubsub peer) and writes what it is told. */
    PeerId hostile(java.util.function.BiConsumer<Stream, PeerId> behaviour) throws Exception {
        NettyHost h = host();
        h.handle(GossipsubConfig.MESHSUB_1_1, s -> s.in().transferTo(java.io.OutputStream.nullOutputStream()));
        h.dial(victimHost.listenAddrs().get(0).withPeerId(victimHost.peerId())).get(20, TimeUnit.SECONDS).identified().get(20, TimeUnit.SECONDS);
        Stream s = h.newStream(victimHost.peerId(), List.of(GossipsubConfig.MESHSUB_1_1)).get(20, TimeUnit.SECONDS);
        LengthPrefixed.write(s.out(), PubsubProto.RPC.newBuilder()
                .addSubscriptions(PubsubProto.RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(TOPIC)).build().toByteArray());
        Thread.ofVirtual().start(() -> behaviour.accept(s, h.peerId()));
        return h.peerId();
    }

    static void write(Stream s, PubsubProto.RPC rpc) {
        try {
            LengthPrefixed.write(s.out(), rpc.toByteArray());
        } catch (java.io.IOException e) {
            // the victim reset us: expected for some behaviours
        }
    }

    void honestStillDelivers(String text) {
        honest.publish(TOPIC, text.getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.stream().anyMatch(m -> new String(m.data(), StandardCharsets.UTF_8).equals(text)));
    }

    double score(PeerId p) {
        return victim.score(p).orElse(0.0);
    }

    @Test
    void invalidSignaturesAreScoredDownThenIgnored() throws Exception {
        Ed25519PrivateKey other = Ed25519PrivateKey.generate();
        PeerId bad = hostile((s, me) -> {
            for (int i = 0; i < 5; i++) {
                // Signed by a key that is not the one of "from": the signature cannot verify.
                PubsubProto.Message m = RpcCodec.sign(other, me, i + 1, TOPIC, ("forged " + i).getBytes(StandardCharsets.UTF_8));
                write(s, PubsubProto.RPC.newBuilder().addPublish(m).build());
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> score(bad) < PeerScoreThresholds.defaults().graylist());
        assertThat(delivered).noneMatch(m -> new String(m.data(), StandardCharsets.UTF_8).startsWith("forged"));
        assertThat(victim.meshPeers(TOPIC)).doesNotContain(bad);
        honestStillDelivers("honest after forgeries");
    }

    @Test
    void ihaveSpamOfMessagesNeverSentBreaksPromisesAndCosts() throws Exception {
        PeerId spammer = hostile((s, me) -> {
            // Five IHAVEs of 50 ids each: within one heartbeat's caps (10 IHAVEs, 5000 ids), so
            // the victim asks for all 250 and every one of those promises breaks.
            for (int round = 0; round < 5; round++) {
                PubsubProto.ControlIHave.Builder ih = PubsubProto.ControlIHave.newBuilder().setTopicID(TOPIC);
                for (int i = 0; i < 50; i++) ih.addMessageIDs(ByteString.copyFromUtf8("unknown-" + round + "-" + i));
                write(s, PubsubProto.RPC.newBuilder().setControl(PubsubProto.ControlMessage.newBuilder().addIhave(ih)).build());
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> score(spammer) < PeerScoreThresholds.defaults().gossip());
        honestStillDelivers("honest after spam");
    }

    @Test
    void graftDuringBackoffIsPenalised() throws Exception {
        PeerId grafter = hostile((s, me) -> {
            // PRUNE first: the victim must then leave us alone for the backoff, and so must we.
            write(s, PubsubProto.RPC.newBuilder().setControl(PubsubProto.ControlMessage.newBuilder()
                    .addPrune(PubsubProto.ControlPrune.newBuilder().setTopicID(TOPIC).setBackoff(60))).build());
            for (int i = 0; i < 20; i++) {
                write(s, PubsubProto.RPC.newBuilder().setControl(PubsubProto.ControlMessage.newBuilder()
                        .addGraft(PubsubProto.ControlGraft.newBuilder().setTopicID(TOPIC))).build());
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> score(grafter) < 0);
        assertThat(victim.meshPeers(TOPIC)).doesNotContain(grafter);
        honestStillDelivers("honest after grafts");
    }

    @Test
    void aPeerThatNeverReadsHoldsBoundedMemoryAndDeliveryGoesOn() throws Exception {
        NettyHost h = host();
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        h.handle(GossipsubConfig.MESHSUB_1_1, s -> never.await()); // takes our stream, reads nothing
        h.dial(victimHost.listenAddrs().get(0).withPeerId(victimHost.peerId())).get(20, TimeUnit.SECONDS).identified().get(20, TimeUnit.SECONDS);
        Stream s = h.newStream(victimHost.peerId(), List.of(GossipsubConfig.MESHSUB_1_1)).get(20, TimeUnit.SECONDS);
        write(s, PubsubProto.RPC.newBuilder().addSubscriptions(PubsubProto.RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(TOPIC)).build());
        await().atMost(Duration.ofSeconds(20)).until(() -> victim.topicPeers(TOPIC).contains(h.peerId()));
        // 9000 messages of 1 KiB: more than a stuck peer's queue may hold (8192 RPCs, 8 MiB).
        for (int i = 0; i < 9000; i++) victim.publish(TOPIC, new byte[1024]);
        await().atMost(Duration.ofSeconds(60)).until(() -> victim.droppedRpcs() > 0);
        // Once the honest peer has caught up, what waits is the stuck peer's backlog, within its bound.
        await().atMost(Duration.ofSeconds(60)).until(() -> victim.queuedBytes() <= 8L << 20);
        honestStillDelivers("honest beside a peer that never reads");
        never.countDown();
    }

    @Test
    void oversizedRpcsResetTheStreamAndCost() throws Exception {
        int limit = GossipsubConfig.defaults().maxRpcSize();
        PeerId big = hostile((s, me) -> {
            for (int i = 0; i < 3; i++) {
                try {
                    s.out().write(io.ggen.p2p.multiformats.Varint.encode(limit + 1));
                    s.out().write(new byte[1024]);
                    s.out().flush();
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> score(big) < 0);
        honestStillDelivers("honest after oversize");
    }
}
