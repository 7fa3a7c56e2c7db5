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
import io.ggen.p2p.pubsub.gossipsub.PeerScoreParams;
import io.ggen.p2p.pubsub.gossipsub.PeerScoreThresholds;
import io.ggen.p2p.pubsub.pb.PubsubProto;
import io.ggen.p2p.record.SignedPeerRecord;
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
 * Peer exchange on real hosts: a peer that prunes us names another peer with its signed record;
 * we dial it when the pruner's score reaches the accept-PX threshold and the record is the named
 * peer's own, and do nothing otherwise.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GossipsubPxTest {
    static final String TOPIC = "t";
    final List<NettyHost> hosts = new ArrayList<>();
    final List<Gossipsub> nodes = new ArrayList<>();
    final List<PubsubMessage> delivered = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(Gossipsub::close);
        hosts.forEach(NettyHost::close);
    }

    NettyHost host() {
        NettyHost h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
        hosts.add(h);
        return h;
    }

    Gossipsub node(NettyHost h, double acceptPx) {
        PeerScoreThresholds d = PeerScoreThresholds.defaults();
        Gossipsub g = Gossipsub.start(h, GossipsubConfig.defaults().withHeartbeat(Duration.ofMillis(100)), PeerScoreParams.defaults(),
                new PeerScoreThresholds(d.gossip(), d.publish(), d.graylist(), acceptPx, d.opportunisticGraft()));
        nodes.add(g);
        g.subscribe(TOPIC);
        g.addListener((m, from) -> delivered.add(m));
        return g;
    }

    /** A hand-driven meshsub/1.1 peer connected to {@code to}, subscribed to the topic; returns its stream. */
    Stream pruner(NettyHost to, NettyHost self) throws Exception {
        self.handle(GossipsubConfig.MESHSUB_1_1, s -> s.in().transferTo(java.io.OutputStream.nullOutputStream()));
        self.dial(to.listenAddrs().get(0).withPeerId(to.peerId())).get(20, TimeUnit.SECONDS).identified().get(20, TimeUnit.SECONDS);
        Stream s = self.newStream(to.peerId(), List.of(GossipsubConfig.MESHSUB_1_1)).get(20, TimeUnit.SECONDS);
        LengthPrefixed.write(s.out(), PubsubProto.RPC.newBuilder()
                .addSubscriptions(PubsubProto.RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(TOPIC)).build().toByteArray());
        return s;
    }

    static PubsubProto.RPC pruneWithPx(PeerId suggested, byte[] record) {
        return PubsubProto.RPC.newBuilder().setControl(PubsubProto.ControlMessage.newBuilder().addPrune(PubsubProto.ControlPrune.newBuilder()
                .setTopicID(TOPIC).setBackoff(60).addPeers(PubsubProto.PeerInfo.newBuilder()
                        .setPeerID(ByteString.copyFrom(suggested.toBytes())).setSignedPeerRecord(ByteString.copyFrom(record))))).build();
    }

    @Test
    void aSuggestedPeerIsDialledThroughTheSignedRecordItCameWith() throws Exception {
        NettyHost victimHost = host();
        Gossipsub victim = node(victimHost, 0); // every peer not scored down is trusted for PX
        NettyHost suggested = host();
        byte[] record = SignedPeerRecord.create(suggested.config().identity(), suggested.listenAddrs()).encode();
        assertThat(victimHost.peerStore().addrs(suggested.peerId())).isEmpty();

        NettyHost p = host();
        Stream s = pruner(victimHost, p);
        LengthPrefixed.write(s.out(), pruneWithPx(suggested.peerId(), record).toByteArray());

        await().atMost(Duration.ofSeconds(30)).until(() -> victimHost.connection(suggested.peerId()).isPresent());
        assertThat(victim.pxConnected()).isEqualTo(1);
        // The record brought the address (identify may since have brought a newer record).
        assertThat(victimHost.peerStore().signedRecord(suggested.peerId())).hasValueSatisfying(r -> assertThat(r.peerId()).isEqualTo(suggested.peerId()));
    }

    @Test
    void aRecordOfAnotherPeerIsNotTakenForTheSuggestedOne() throws Exception {
        NettyHost victimHost = host();
        Gossipsub victim = node(victimHost, 0);
        NettyHost suggested = host();
        NettyHost impostor = host();
        // The impostor's own valid record, offered under the suggested peer's id.
        byte[] record = SignedPeerRecord.create(impostor.config().identity(), impostor.listenAddrs()).encode();

        NettyHost p = host();
        Stream s = pruner(victimHost, p);
        LengthPrefixed.write(s.out(), pruneWithPx(suggested.peerId(), record).toByteArray());

        await().atMost(Duration.ofSeconds(30)).until(() -> victim.pxSkipped() == 1);
        assertThat(victimHost.peerStore().signedRecord(suggested.peerId())).isEmpty();
        assertThat(victimHost.peerStore().addrs(suggested.peerId())).isEmpty();
        assertThat(victimHost.connection(suggested.peerId())).isEmpty();
        assertThat(victimHost.connection(impostor.peerId())).isEmpty();
    }

    @Test
    void pxFromAPeerBelowTheAcceptThresholdIsIgnored() throws Exception {
        NettyHost victimHost = host();
        Gossipsub victim = node(victimHost, PeerScoreThresholds.defaults().acceptPx()); // 10: a newcomer has 0
        NettyHost suggested = host();
        byte[] record = SignedPeerRecord.create(suggested.config().identity(), suggested.listenAddrs()).encode();

        NettyHost p = host();
        Stream s = pruner(victimHost, p);
        LengthPrefixed.write(s.out(), pruneWithPx(suggested.peerId(), record).toByteArray());
        // RPCs of one stream are handled in order: once this message is delivered, the PRUNE was handled.
        LengthPrefixed.write(s.out(), PubsubProto.RPC.newBuilder()
                .addPublish(RpcCodec.sign(p.config().identity(), p.peerId(), 1, TOPIC, "after the prune".getBytes(StandardCharsets.UTF_8))).build().toByteArray());
        await().atMost(Duration.ofSeconds(30)).until(() -> !delivered.isEmpty());

        assertThat(victim.stats().pxSuggested).isZero();
        assertThat(victimHost.peerStore().signedRecord(suggested.peerId())).isEmpty();
        assertThat(victimHost.connection(suggested.peerId())).isEmpty();
    }
}
