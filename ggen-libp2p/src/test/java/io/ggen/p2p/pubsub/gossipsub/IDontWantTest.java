package io.ggen.p2p.pubsub.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.pubsub.PubsubMessage;
import io.ggen.p2p.pubsub.RpcCodec;
import io.ggen.p2p.pubsub.pb.PubsubProto;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gossipsub v1.2's IDONTWANT on the router alone (no network): what it sends to which mesh
 * peers, and that a message a peer said it does not want is not forwarded to it.
 */
class IDontWantTest {
    static final String TOPIC = "t";

    record Sent(PeerId to, PubsubProto.RPC rpc) {}

    final List<Sent> sent = new ArrayList<>();
    final Ed25519PrivateKey selfKey = Ed25519PrivateKey.generate();
    final Ed25519PrivateKey authorKey = Ed25519PrivateKey.generate();
    final PeerId author = PeerId.fromPublicKey(authorKey.publicKey());
    final PeerId b = peer();
    final PeerId c = peer();
    final PeerId d = peer();
    GossipRouter router;
    long now = 1_000_000;

    static PeerId peer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    @BeforeEach
    void meshOfThree() throws Exception {
        router = new GossipRouter(GossipsubConfig.defaults(), PeerScoreParams.defaults(), PeerScoreThresholds.defaults(),
                PeerId.fromPublicKey(selfKey.publicKey()), selfKey, new GossipRouter.Output() {
                    @Override
                    public void send(PeerId to, PubsubProto.RPC rpc) {
                        sent.add(new Sent(to, rpc));
                    }

                    @Override
                    public void deliver(PubsubMessage message, PeerId receivedFrom) {
                    }
                });
        router.subscribe(TOPIC, now);
        router.addPeer(b, GossipsubConfig.MESHSUB_1_2, true, InetAddress.getByName("10.0.0.1"));
        router.addPeer(c, GossipsubConfig.MESHSUB_1_2, true, InetAddress.getByName("10.1.0.1"));
        router.addPeer(d, GossipsubConfig.MESHSUB_1_1, true, InetAddress.getByName("10.2.0.1"));
        PubsubProto.RPC sub = PubsubProto.RPC.newBuilder().addSubscriptions(PubsubProto.RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(TOPIC)).build();
        for (PeerId p : List.of(b, c, d)) router.handle(p, sub, now);
        router.heartbeat(now);
        assertThat(router.meshPeers(TOPIC)).containsExactlyInAnyOrder(b, c, d);
        sent.clear();
    }

    PubsubProto.Message message(long seqno, int size) {
        return RpcCodec.sign(authorKey, author, seqno, TOPIC, new byte[size]);
    }

    List<PeerId> forwardedTo(PubsubProto.Message m) {
        return sent.stream().filter(s -> s.rpc().getPublishList().contains(m)).map(Sent::to).toList();
    }

    List<PeerId> idontwantTo() {
        return sent.stream().filter(s -> s.rpc().hasControl() && s.rpc().getControl().getIdontwantCount() > 0).map(Sent::to).toList();
    }

    @Test
    void aLargeMessageIsAnnouncedToTheOther12MeshPeersAndNotSentToOneThatDoesNotWantIt() throws Exception {
        PubsubProto.Message m = message(1, 4096);
        ByteString id = ByteString.copyFrom(RpcCodec.verify(m).id().bytes());
        router.handle(c, PubsubProto.RPC.newBuilder().setControl(PubsubProto.ControlMessage.newBuilder()
                .addIdontwant(PubsubProto.ControlIDontWant.newBuilder().addMessageIDs(id))).build(), now);
        router.handle(b, PubsubProto.RPC.newBuilder().addPublish(m).build(), now);
        // IDONTWANT to the mesh peers on 1.2 other than the sender: c; d speaks 1.1.
        assertThat(idontwantTo()).containsExactly(c);
        // Forwarded to d only: b sent it, c does not want it.
        assertThat(forwardedTo(m)).containsExactly(d);
        assertThat(router.stats().idontwantSaved).isEqualTo(1);
    }

    @Test
    void smallMessagesAreNotAnnouncedAndAnIDontWantExpiresAfterAFewHeartbeats() throws Exception {
        PubsubProto.Message small = message(2, 100);
        router.handle(b, PubsubProto.RPC.newBuilder().addPublish(small).build(), now);
        assertThat(idontwantTo()).isEmpty();
        assertThat(forwardedTo(small)).containsExactlyInAnyOrder(c, d);

        PubsubProto.Message later = message(3, 4096);
        ByteString id = ByteString.copyFrom(RpcCodec.verify(later).id().bytes());
        router.handle(c, PubsubProto.RPC.newBuilder().setControl(PubsubProto.ControlMessage.newBuilder()
                .addIdontwant(PubsubProto.ControlIDontWant.newBuilder().addMessageIDs(id))).build(), now);
        for (int i = 1; i <= GossipsubConfig.IDONTWANT_TTL_HEARTBEATS; i++) router.heartbeat(now + i * 1000L);
        sent.clear();
        router.handle(b, PubsubProto.RPC.newBuilder().addPublish(later).build(), now + 4000);
        assertThat(forwardedTo(later)).containsExactlyInAnyOrder(c, d);
    }

    @Test
    void aFloodOfIDontWantIsCappedPerHeartbeat() {
        PubsubProto.ControlIDontWant.Builder many = PubsubProto.ControlIDontWant.newBuilder();
        for (int i = 0; i < 4000; i++) many.addMessageIDs(ByteString.copyFrom(new byte[] {(byte) i, (byte) (i >> 8), 1, 2}));
        router.handle(c, PubsubProto.RPC.newBuilder().setControl(PubsubProto.ControlMessage.newBuilder().addIdontwant(many)).build(), now);
        router.handle(c, PubsubProto.RPC.newBuilder().setControl(PubsubProto.ControlMessage.newBuilder().addIdontwant(many)).build(), now);
        assertThat(router.dontWantCount(c)).isEqualTo(GossipsubConfig.MAX_IDONTWANT_IDS_PER_HEARTBEAT);
    }
}
