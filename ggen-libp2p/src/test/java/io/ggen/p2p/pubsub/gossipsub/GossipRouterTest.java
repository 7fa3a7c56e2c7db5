package io.ggen.p2p.pubsub.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.pubsub.MessageIdFunction;
import io.ggen.p2p.pubsub.PubsubMessage;
import io.ggen.p2p.pubsub.PubsubMessage.MessageId;
import io.ggen.p2p.pubsub.RpcCodec;
import io.ggen.p2p.pubsub.ValidationResult;
import io.ggen.p2p.pubsub.pb.PubsubProto;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The gossipsub router alone, driven by hand with its own clock: mesh upkeep (D, D_lo, D_hi,
 * D_out, D_score, opportunistic grafting), fanout, gossip from the message cache, IHAVE/IWANT
 * caps and promises, backoff and PX, flood publishing, validation, message ids.
 */
class GossipRouterTest {
    static final String T = "t";

    record Sent(PeerId to, PubsubProto.RPC rpc) {}

    final List<Sent> sent = new CopyOnWriteArrayList<>();
    final List<PubsubMessage> delivered = new CopyOnWriteArrayList<>();
    final List<List<GossipRouter.ExchangedPeer>> exchanged = new ArrayList<>();
    final Ed25519PrivateKey selfKey = Ed25519PrivateKey.generate();
    final PeerId self = PeerId.fromPublicKey(selfKey.publicKey());
    final Ed25519PrivateKey authorKey = Ed25519PrivateKey.generate();
    final PeerId author = PeerId.fromPublicKey(authorKey.publicKey());
    long now = 1_000_000;
    int nextIp;
    long nextSeqno;
    GossipRouter router = router(GossipsubConfig.defaults(), PeerScoreThresholds.defaults(), MessageIdFunction.FROM_AND_SEQNO);

    GossipRouter router(GossipsubConfig config, PeerScoreThresholds thresholds, MessageIdFunction ids) {
        return new GossipRouter(config, PeerScoreParams.defaults(), thresholds, self, selfKey, ids, new GossipRouter.Output() {
            @Override
            public void send(PeerId to, PubsubProto.RPC rpc) {
                sent.add(new Sent(to, rpc));
            }

            @Override
            public void deliver(PubsubMessage message, PeerId receivedFrom) {
                delivered.add(message);
            }

            @Override
            public void peerExchange(PeerId from, String topic, List<GossipRouter.ExchangedPeer> suggested) {
                exchanged.add(suggested);
            }

            @Override
            public Optional<byte[]> signedPeerRecord(PeerId p) {
                return Optional.of(("record of " + p).getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /** The defaults with flood publishing, validation timeout and pending bound changed. */
    static GossipsubConfig config(boolean floodPublish, Duration validationTimeout, int maxPending) {
        GossipsubConfig d = GossipsubConfig.defaults();
        return new GossipsubConfig(d.d(), d.dLo(), d.dHi(), d.dLazy(), d.dOut(), d.dScore(), d.heartbeat(), d.fanoutTtl(), d.mcacheLen(),
                d.mcacheGossip(), d.seenTtl(), d.pruneBackoff(), d.opportunisticGraftTicks(), d.opportunisticGraftPeers(), floodPublish,
                d.gossipFactor(), d.maxIHaveLength(), d.maxIHaveMessages(), d.maxMessageSize(), validationTimeout, maxPending,
                d.maxQueuedRpcsPerPeer(), d.maxSeen(), d.prunePeers());
    }

    static PeerId newPeerId() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    /** A connected pubsub peer on a private address of its own (no colocation penalty). */
    PeerId peer(boolean outbound, String protocol) {
        PeerId p = newPeerId();
        int n = nextIp++;
        try {
            router.addPeer(p, protocol, outbound, InetAddress.getByAddress(new byte[] {10, 0, (byte) (n >> 8), (byte) n}));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
        return p;
    }

    PeerId subscribed(boolean outbound) {
        PeerId p = peer(outbound, GossipsubConfig.MESHSUB_1_1);
        router.handle(p, subscribe(T), now);
        return p;
    }

    List<PeerId> subscribed(int n, boolean outbound) {
        List<PeerId> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(subscribed(outbound));
        return out;
    }

    static PubsubProto.RPC subscribe(String topic) {
        return PubsubProto.RPC.newBuilder().addSubscriptions(PubsubProto.RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(topic)).build();
    }

    static PubsubProto.RPC control(PubsubProto.ControlMessage.Builder c) {
        return PubsubProto.RPC.newBuilder().setControl(c).build();
    }

    static PubsubProto.RPC graft(String topic) {
        return control(PubsubProto.ControlMessage.newBuilder().addGraft(PubsubProto.ControlGraft.newBuilder().setTopicID(topic)));
    }

    static PubsubProto.RPC prune(String topic, long backoffSeconds, List<PubsubProto.PeerInfo> px) {
        return control(PubsubProto.ControlMessage.newBuilder()
                .addPrune(PubsubProto.ControlPrune.newBuilder().setTopicID(topic).setBackoff(backoffSeconds).addAllPeers(px)));
    }

    static PubsubProto.RPC ihave(String topic, List<ByteString> ids) {
        return control(PubsubProto.ControlMessage.newBuilder().addIhave(PubsubProto.ControlIHave.newBuilder().setTopicID(topic).addAllMessageIDs(ids)));
    }

    static PubsubProto.RPC iwant(ByteString id) {
        return control(PubsubProto.ControlMessage.newBuilder().addIwant(PubsubProto.ControlIWant.newBuilder().addMessageIDs(id)));
    }

    static PubsubProto.RPC publish(PubsubProto.Message m) {
        return PubsubProto.RPC.newBuilder().addPublish(m).build();
    }

    PubsubProto.Message message(String text) {
        return RpcCodec.sign(authorKey, author, ++nextSeqno, T, text.getBytes(StandardCharsets.UTF_8));
    }

    static ByteString idOf(PubsubProto.Message m) throws RpcCodec.RpcException {
        return ByteString.copyFrom(RpcCodec.verify(m).id().bytes());
    }

    void heartbeats(int n) {
        for (int i = 0; i < n; i++) {
            now += 1000;
            router.heartbeat(now);
        }
    }

    List<PeerId> sentTo(java.util.function.Predicate<PubsubProto.RPC> what) {
        return sent.stream().filter(s -> what.test(s.rpc())).map(Sent::to).toList();
    }

    List<PeerId> graftedTo() {
        return sentTo(r -> r.hasControl() && r.getControl().getGraftCount() > 0);
    }

    List<PubsubProto.ControlPrune> prunesTo(PeerId p) {
        return sent.stream().filter(s -> s.to().equals(p) && s.rpc().hasControl()).flatMap(s -> s.rpc().getControl().getPruneList().stream()).toList();
    }

    List<PeerId> ihaveTo() {
        return sentTo(r -> r.hasControl() && r.getControl().getIhaveCount() > 0);
    }

    List<ByteString> iwantedFrom(PeerId p) {
        return sent.stream().filter(s -> s.to().equals(p) && s.rpc().hasControl())
                .flatMap(s -> s.rpc().getControl().getIwantList().stream()).flatMap(w -> w.getMessageIDsList().stream()).toList();
    }

    List<PeerId> publishedTo(PubsubProto.Message m) {
        return sentTo(r -> r.getPublishList().contains(m));
    }

    // ------------------------------------------------------------------ mesh

    @Test
    void subscribingBuildsAMeshOfDAndGraftsEachMember() {
        List<PeerId> ps = subscribed(20, true);
        router.subscribe(T, now);
        assertThat(router.meshPeers(T)).hasSize(6).isSubsetOf(ps);
        assertThat(graftedTo()).containsExactlyInAnyOrderElementsOf(router.meshPeers(T));
        assertThat(router.topicPeers(T)).hasSize(20);
    }

    @Test
    void aPeerSubscribingIsGraftedAtOnceWhileTheMeshIsBelowDLo() {
        router.subscribe(T, now);
        List<PeerId> first = subscribed(5, true);
        assertThat(graftedTo()).containsExactlyElementsOf(first);
        PeerId sixth = subscribed(true);
        assertThat(graftedTo()).doesNotContain(sixth);
        heartbeats(1); // 5 = D_lo: nothing to add
        assertThat(router.meshPeers(T)).containsExactlyInAnyOrderElementsOf(first);
    }

    @Test
    void inboundGraftsAreAcceptedUpToDHiThenPrunedWithPxAndTheHeartbeatCutsBackToD() {
        subscribed(6, true);
        router.subscribe(T, now);
        List<PeerId> inbound = subscribed(7, false);
        for (PeerId p : inbound) router.handle(p, graft(T), now);
        assertThat(router.meshPeers(T)).hasSize(12);
        PeerId refused = inbound.get(6);
        assertThat(router.meshPeers(T)).doesNotContain(refused);
        PubsubProto.ControlPrune refusal = prunesTo(refused).get(0);
        assertThat(refusal.getBackoff()).isEqualTo(60);
        assertThat(refusal.getPeersCount()).isBetween(1, 16);
        // An outbound peer is taken even at D_hi: we chose it.
        PeerId mine = subscribed(true);
        router.handle(mine, graft(T), now);
        assertThat(router.meshPeers(T)).hasSize(13).contains(mine);

        sent.clear();
        heartbeats(1);
        assertThat(router.meshPeers(T)).hasSize(6);
        List<PeerId> pruned = sentTo(r -> r.hasControl() && r.getControl().getPruneCount() > 0);
        assertThat(pruned).hasSize(7).doesNotContainAnyElementsOf(router.meshPeers(T));
        for (PeerId p : pruned) {
            PubsubProto.ControlPrune pr = prunesTo(p).get(0);
            // PX names other mesh peers, never the pruned peer itself, each with its signed record.
            assertThat(pr.getPeersList()).isNotEmpty().allSatisfy(info -> {
                assertThat(info.getPeerID()).isNotEqualTo(ByteString.copyFrom(p.toBytes()));
                assertThat(info.getSignedPeerRecord().toStringUtf8()).startsWith("record of ");
            });
        }
    }

    @Test
    void pruningKeepsTheDScoreBestAndDOutOutboundPeers() {
        router.subscribe(T, now);
        List<PeerId> inbound = subscribed(11, false);
        List<PeerId> outbound = subscribed(2, true);
        for (PeerId p : inbound) router.handle(p, graft(T), now);
        for (PeerId p : outbound) router.handle(p, graft(T), now);
        assertThat(router.meshPeers(T)).hasSize(13);
        List<PeerId> best = inbound.subList(0, 4);
        for (PeerId p : best) for (int i = 0; i < 3; i++) router.handle(p, publish(message(p + " " + i)), now);
        heartbeats(1);
        assertThat(router.meshPeers(T)).hasSize(6).containsAll(best).containsAll(outbound);
    }

    @Test
    void aMeshBelowDLoIsRefilledToDButNotWithPeersInBackoff() {
        List<PeerId> ps = subscribed(10, true);
        router.subscribe(T, now);
        List<PeerId> mesh = router.meshPeers(T);
        List<PeerId> leaving = mesh.subList(0, 2);
        for (PeerId p : leaving) router.handle(p, prune(T, 60, List.of()), now);
        assertThat(router.meshPeers(T)).hasSize(4);
        heartbeats(1);
        assertThat(router.meshPeers(T)).hasSize(6).doesNotContainAnyElementsOf(leaving).isSubsetOf(ps);
    }

    @Test
    void aPruneBackoffIsHonouredUntilItExpires() {
        PeerId only = subscribed(true);
        router.subscribe(T, now);
        assertThat(router.meshPeers(T)).containsExactly(only);
        router.handle(only, prune(T, 10, List.of()), now);
        heartbeats(9);
        assertThat(router.meshPeers(T)).isEmpty();
        heartbeats(2);
        assertThat(router.meshPeers(T)).containsExactly(only);
    }

    @Test
    void aGraftDuringBackoffIsRefusedAndPenalised() {
        PeerId p = subscribed(true);
        router.subscribe(T, now);
        router.handle(p, prune(T, 60, List.of()), now);
        // 11 s after the prune: refused, costs one point (free up to 6).
        now += 11_000;
        router.handle(p, graft(T), now);
        assertThat(prunesTo(p)).hasSize(1);
        assertThat(router.score(p, now)).isZero();
        // Hammering: each refusal re-arms the backoff, each GRAFT within 10 s of it costs two.
        // Past 6 points the cost is -10 * excess^2; at 9 points (-90) the peer is graylisted and
        // its further GRAFTs are not even read.
        for (int i = 0; i < 10; i++) router.handle(p, graft(T), now);
        assertThat(router.meshPeers(T)).doesNotContain(p);
        assertThat(prunesTo(p)).hasSize(5);
        assertThat(router.score(p, now)).isEqualTo(-90).isLessThan(PeerScoreThresholds.defaults().graylist());
    }

    @Test
    void aGraftForATopicWeAreNotInIsAnsweredWithPrune() {
        PeerId p = subscribed(true);
        router.handle(p, graft("elsewhere"), now);
        assertThat(prunesTo(p)).extracting(PubsubProto.ControlPrune::getTopicID).containsExactly("elsewhere");
    }

    @Test
    void aMeshOfInboundPeersGetsDOutOutboundPeersAdded() {
        router.subscribe(T, now);
        List<PeerId> inbound = subscribed(6, false);
        assertThat(router.meshPeers(T)).hasSize(5).isSubsetOf(inbound);
        List<PeerId> outbound = subscribed(3, true);
        assertThat(router.meshPeers(T)).doesNotContainAnyElementsOf(outbound); // at D_lo already
        heartbeats(1);
        assertThat(router.meshPeers(T)).hasSize(7);
        assertThat(router.meshPeers(T).stream().filter(outbound::contains)).hasSize(2);
    }

    @Test
    void opportunisticGraftingAddsBetterPeersWhenTheMeshMedianIsLow() {
        List<PeerId> meh = subscribed(6, true);
        router.subscribe(T, now);
        List<PeerId> good = subscribed(4, true);
        Set<PeerId> goodSet = new HashSet<>(good);
        router.setAppScore(p -> goodSet.contains(p) ? 1 : 0); // 10 points each
        heartbeats(59);
        assertThat(router.meshPeers(T)).containsExactlyInAnyOrderElementsOf(meh);
        heartbeats(1); // the 60th: the mesh median (0.6 for a minute in the mesh) is under 1
        assertThat(router.meshPeers(T)).hasSize(8).containsAll(meh);
        assertThat(router.meshPeers(T).stream().filter(goodSet::contains)).hasSize(2);
    }

    @Test
    void aPeerWithANegativeScoreIsPrunedAtTheHeartbeat() {
        List<PeerId> ps = subscribed(6, true);
        router.subscribe(T, now);
        PeerId bad = ps.get(0);
        router.penalise(bad, 7);
        heartbeats(1);
        assertThat(router.meshPeers(T)).doesNotContain(bad);
        assertThat(prunesTo(bad)).hasSize(1);
    }

    @Test
    void unsubscribingPrunesTheMeshAndTellsEveryPeer() {
        List<PeerId> ps = subscribed(8, true);
        router.subscribe(T, now);
        List<PeerId> mesh = router.meshPeers(T);
        sent.clear();
        router.unsubscribe(T, now);
        for (PeerId p : mesh) {
            assertThat(prunesTo(p)).hasSize(1);
            assertThat(prunesTo(p).get(0).getBackoff()).isEqualTo(10); // leaving: a short backoff
            // PX names the other topic peers (not only mesh ones), never the pruned peer.
            assertThat(prunesTo(p).get(0).getPeersList()).hasSize(7)
                    .noneMatch(info -> info.getPeerID().equals(ByteString.copyFrom(p.toBytes())));
        }
        assertThat(sentTo(r -> r.getSubscriptionsCount() == 1 && !r.getSubscriptions(0).getSubscribe())).containsExactlyInAnyOrderElementsOf(ps);
        assertThat(router.meshPeers(T)).isEmpty();
    }

    // ------------------------------------------------------------------ publishing

    @Test
    void ownMessagesAreFloodedToEveryTopicPeerAboveThePublishThreshold() {
        List<PeerId> ps = subscribed(20, true);
        router.subscribe(T, now);
        PeerId shunned = ps.get(0);
        router.penalise(shunned, 6 + Math.sqrt(6)); // -60: below publish (-50), above graylist (-80)
        sent.clear();
        int n = router.publish(T, "hello".getBytes(StandardCharsets.UTF_8), now);
        assertThat(n).isEqualTo(19);
        assertThat(sentTo(r -> r.getPublishCount() == 1)).hasSize(19).doesNotContain(shunned);
    }

    @Test
    void withoutFloodPublishingAnUnsubscribedTopicUsesAFanoutThatExpiresAfterItsTtl() {
        router = router(config(false, Duration.ofSeconds(10), 1024), PeerScoreThresholds.defaults(), MessageIdFunction.FROM_AND_SEQNO);
        subscribed(10, true);
        assertThat(router.publish(T, new byte[] {1}, now)).isEqualTo(6);
        Set<PeerId> fanout = router.fanoutPeers(T);
        assertThat(fanout).hasSize(6);
        heartbeats(30);
        assertThat(router.publish(T, new byte[] {2}, now)).isEqualTo(6);
        assertThat(router.fanoutPeers(T)).isEqualTo(fanout);
        heartbeats(61); // 60 s TTL since the last publish
        assertThat(router.fanoutPeers(T)).isEmpty();
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedBothWays() {
        router = router(GossipsubConfig.defaults().withMaxMessageSize(100), PeerScoreThresholds.defaults(), MessageIdFunction.FROM_AND_SEQNO);
        PeerId p = subscribed(true);
        router.subscribe(T, now);
        assertThatThrownBy(() -> router.publish(T, new byte[101], now)).isInstanceOf(IllegalArgumentException.class);
        router.handle(p, publish(RpcCodec.sign(authorKey, author, 1, T, new byte[101])), now);
        assertThat(delivered).isEmpty();
        assertThat(router.score(p, now)).isLessThan(0);
    }

    // ------------------------------------------------------------------ receiving and gossip

    @Test
    void aMessageIsDeliveredOnceForwardedToTheMeshAndItsDuplicatesCounted() {
        List<PeerId> ps = subscribed(6, true);
        router.subscribe(T, now);
        PubsubProto.Message m = message("one");
        router.handle(ps.get(0), publish(m), now);
        router.handle(ps.get(1), publish(m), now);
        assertThat(delivered).hasSize(1);
        assertThat(publishedTo(m)).containsExactlyInAnyOrderElementsOf(ps.subList(1, 6));
        assertThat(router.stats().duplicates).isEqualTo(1);
        // The first deliverer earned P2; the second did not.
        assertThat(router.score(ps.get(0), now)).isGreaterThan(router.score(ps.get(1), now));
    }

    @Test
    void theSeenCacheForgetsAfterItsTtl() {
        PeerId p = subscribed(true);
        router.subscribe(T, now);
        PubsubProto.Message m = message("again");
        router.handle(p, publish(m), now);
        heartbeats(60);
        router.handle(p, publish(m), now);
        assertThat(delivered).hasSize(1);
        heartbeats(61); // seen for 2 minutes
        router.handle(p, publish(m), now);
        assertThat(delivered).hasSize(2);
    }

    @Test
    void messagesAreGossipedForThreeHeartbeatsAndServedForFour() throws Exception {
        List<PeerId> ps = subscribed(20, true);
        router.subscribe(T, now);
        Set<PeerId> mesh = Set.copyOf(router.meshPeers(T));
        PubsubProto.Message m = message("gossip me");
        router.handle(ps.stream().filter(mesh::contains).findFirst().orElseThrow(), publish(m), now);
        for (int hb = 1; hb <= 3; hb++) {
            sent.clear();
            heartbeats(1);
            // D_lazy = 6 of the 14 non-mesh peers (gossip factor 0.25 gives 3.5, less than D_lazy)
            assertThat(ihaveTo()).hasSize(6).doesNotContainAnyElementsOf(mesh);
        }
        sent.clear();
        heartbeats(1);
        assertThat(ihaveTo()).isEmpty();
        PeerId asker = ps.stream().filter(p -> !mesh.contains(p)).findFirst().orElseThrow();
        router.handle(asker, iwant(idOf(m)), now);
        assertThat(publishedTo(m)).containsExactly(asker);
        heartbeats(1);
        sent.clear();
        router.handle(asker, iwant(idOf(m)), now);
        assertThat(publishedTo(m)).isEmpty();
    }

    @Test
    void oneMessageIsServedToOnePeerThroughIWantAtMostThreeTimes() throws Exception {
        PeerId source = subscribed(true);
        PeerId greedy = subscribed(true);
        PeerId other = subscribed(true);
        router.subscribe(T, now);
        PubsubProto.Message m = message("popular");
        router.handle(source, publish(m), now);
        sent.clear();
        for (int i = 0; i < 10; i++) router.handle(greedy, iwant(idOf(m)), now);
        assertThat(publishedTo(m)).hasSize(3).containsOnly(greedy);
        router.handle(other, iwant(idOf(m)), now);
        assertThat(publishedTo(m)).hasSize(4).contains(other);
    }

    @Test
    void ihaveIsAnsweredWithinThePerHeartbeatCaps() {
        PeerId p = subscribed(true);
        router.subscribe(T, now);
        List<ByteString> many = new ArrayList<>();
        for (int i = 0; i < 6000; i++) many.add(ByteString.copyFromUtf8("id-" + i));
        router.handle(p, ihave(T, many), now);
        assertThat(iwantedFrom(p)).hasSize(5000);
        // Further IHAVEs within the same heartbeat ask for nothing more.
        router.handle(p, ihave(T, List.of(ByteString.copyFromUtf8("late"))), now);
        assertThat(iwantedFrom(p)).hasSize(5000);
        PeerId q = subscribed(true);
        for (int i = 0; i < 12; i++) router.handle(q, ihave(T, List.of(ByteString.copyFromUtf8("q-" + i))), now);
        assertThat(iwantedFrom(q)).hasSize(10); // 10 IHAVE messages per heartbeat
        // An IHAVE for a topic we are not in is ignored.
        PeerId r = subscribed(true);
        router.handle(r, ihave("elsewhere", List.of(ByteString.copyFromUtf8("x"))), now);
        assertThat(iwantedFrom(r)).isEmpty();
    }

    @Test
    void anIhaveWhoseMessageNeverComesCostsThePeerAfterThePromiseExpires() {
        PeerId liar = subscribed(true);
        PeerId honest = subscribed(true);
        router.subscribe(T, now);
        List<ByteString> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) ids.add(ByteString.copyFromUtf8("never-" + i));
        router.handle(liar, ihave(T, ids), now);
        PubsubProto.Message m = message("kept");
        router.handle(honest, ihave(T, List.of(idOfUnchecked(m))), now);
        router.handle(honest, publish(m), now);
        heartbeats(4);
        assertThat(router.score(liar, now)).isLessThan(0);
        assertThat(router.score(honest, now)).isGreaterThanOrEqualTo(0);
    }

    static ByteString idOfUnchecked(PubsubProto.Message m) {
        try {
            return idOf(m);
        } catch (RpcCodec.RpcException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aGraylistedPeerIsIgnored() {
        PeerId p = subscribed(true);
        router.subscribe(T, now);
        router.penalise(p, 10); // -160
        router.handle(p, publish(message("from the graylist")), now);
        assertThat(delivered).isEmpty();
    }

    // ------------------------------------------------------------------ PX

    List<PubsubProto.PeerInfo> pxOf(int n) {
        List<PubsubProto.PeerInfo> px = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            px.add(PubsubProto.PeerInfo.newBuilder().setPeerID(ByteString.copyFrom(newPeerId().toBytes()))
                    .setSignedPeerRecord(ByteString.copyFromUtf8("r" + i)).build());
        }
        return px;
    }

    @Test
    void pxFromATrustedPeerIsHandedOnCappedAndWithoutPeersWeKnow() {
        PeerId pruner = subscribed(true);
        PeerId known = subscribed(true);
        router.subscribe(T, now);
        router.setAppScore(p -> p.equals(pruner) ? 2 : 0); // 20 >= accept PX (10)
        List<PubsubProto.PeerInfo> px = new ArrayList<>(pxOf(20));
        px.add(0, PubsubProto.PeerInfo.newBuilder().setPeerID(ByteString.copyFrom(known.toBytes())).build());
        px.add(1, PubsubProto.PeerInfo.newBuilder().setPeerID(ByteString.copyFrom(self.toBytes())).build());
        px.add(2, PubsubProto.PeerInfo.newBuilder().setPeerID(ByteString.copyFromUtf8("not a peer id")).build());
        router.handle(pruner, prune(T, 60, px), now);
        assertThat(exchanged).hasSize(1);
        List<GossipRouter.ExchangedPeer> got = exchanged.get(0);
        assertThat(got).hasSize(16);
        assertThat(got).extracting(GossipRouter.ExchangedPeer::peer).doesNotContain(known, self);
        assertThat(new String(got.get(0).signedPeerRecord(), StandardCharsets.UTF_8)).isEqualTo("r0");
    }

    @Test
    void pxFromAPeerBelowTheAcceptThresholdOrOnMeshsub10IsIgnored() {
        PeerId stranger = subscribed(true);
        PeerId old = peer(true, GossipsubConfig.MESHSUB_1_0);
        router.handle(old, subscribe(T), now);
        router.subscribe(T, now);
        router.setAppScore(p -> p.equals(old) ? 2 : 0);
        router.handle(stranger, prune(T, 60, pxOf(3)), now); // score 0 < 10
        router.handle(old, prune(T, 60, pxOf(3)), now);
        assertThat(exchanged).isEmpty();
        assertThat(router.stats().pxSuggested).isZero();
    }

    // ------------------------------------------------------------------ validation and ids

    @Test
    void validatorVerdictsDecideDeliveryAndPenalty() {
        List<PeerId> ps = subscribed(3, true);
        router.subscribe(T, now);
        router.addValidator(T, (from, m) -> CompletableFuture.completedFuture(
                ValidationResult.valueOf(new String(m.data(), StandardCharsets.UTF_8).split(" ")[0])));
        PubsubProto.Message accepted = message("ACCEPT me");
        router.handle(ps.get(0), publish(accepted), now);
        router.handle(ps.get(1), publish(message("IGNORE me")), now);
        router.handle(ps.get(2), publish(message("REJECT me")), now);
        assertThat(delivered).extracting(m -> new String(m.data(), StandardCharsets.UTF_8)).containsExactly("ACCEPT me");
        assertThat(publishedTo(accepted)).containsExactlyInAnyOrder(ps.get(1), ps.get(2));
        assertThat(router.score(ps.get(1), now)).isZero();
        assertThat(router.score(ps.get(2), now)).isEqualTo(-100); // P4: -100 * 1^2
    }

    @Test
    void aValidatorThatNeverAnswersTimesOutAsIgnore() {
        router = router(config(true, Duration.ofMillis(50), 1024), PeerScoreThresholds.defaults(), MessageIdFunction.FROM_AND_SEQNO);
        PeerId p = subscribed(true);
        router.subscribe(T, now);
        List<PubsubMessage> asked = new CopyOnWriteArrayList<>();
        router.addValidator(T, (from, m) -> {
            asked.add(m);
            return new CompletableFuture<>();
        });
        router.handle(p, publish(message("stuck")), now);
        assertThat(asked).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> router.pendingValidations() == 0);
        assertThat(delivered).isEmpty();
        assertThat(router.score(p, now)).isZero();
    }

    @Test
    void validationsBeyondThePendingBoundAreDropped() {
        router = router(config(true, Duration.ofSeconds(30), 2), PeerScoreThresholds.defaults(), MessageIdFunction.FROM_AND_SEQNO);
        PeerId p = subscribed(true);
        router.subscribe(T, now);
        List<CompletableFuture<ValidationResult>> waiting = new CopyOnWriteArrayList<>();
        router.addValidator(T, (from, m) -> {
            CompletableFuture<ValidationResult> f = new CompletableFuture<>();
            waiting.add(f);
            return f;
        });
        for (int i = 0; i < 3; i++) router.handle(p, publish(message("m" + i)), now);
        assertThat(waiting).hasSize(2);
        assertThat(router.stats().validationDropped).isEqualTo(1);
        waiting.forEach(f -> f.complete(ValidationResult.ACCEPT));
        assertThat(delivered).hasSize(2);
        assertThat(router.pendingValidations()).isZero();
    }

    @Test
    void aValidatorThatThrowsCountsAsIgnore() {
        PeerId p = subscribed(true);
        router.subscribe(T, now);
        router.addValidator(T, (from, m) -> {
            throw new IllegalStateException("broken validator");
        });
        router.handle(p, publish(message("x")), now);
        assertThat(delivered).isEmpty();
        assertThat(router.pendingValidations()).isZero();
        assertThat(router.score(p, now)).isZero();
    }

    @Test
    void aCustomMessageIdNamesMessagesByContent() throws Exception {
        MessageIdFunction byContent = m -> {
            try {
                return new MessageId(MessageDigest.getInstance("SHA-256").digest(m.data()));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        };
        router = router(GossipsubConfig.defaults(), PeerScoreThresholds.defaults(), byContent);
        List<PeerId> ps = subscribed(20, true);
        router.subscribe(T, now);
        router.handle(ps.get(0), publish(message("same")), now);
        router.handle(ps.get(1), publish(message("same")), now); // another seqno, same content
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).id().bytes()).isEqualTo(MessageDigest.getInstance("SHA-256").digest("same".getBytes(StandardCharsets.UTF_8)));
        assertThat(router.stats().duplicates).isEqualTo(1);
        // Gossip and IWANT speak the custom id.
        sent.clear();
        heartbeats(1);
        ByteString id = ByteString.copyFrom(delivered.get(0).id().bytes());
        assertThat(ihaveTo()).isNotEmpty();
        assertThat(sent).filteredOn(s -> s.rpc().hasControl() && s.rpc().getControl().getIhaveCount() > 0)
                .allSatisfy(s -> assertThat(s.rpc().getControl().getIhave(0).getMessageIDsList()).containsExactly(id));
        router.handle(ps.get(19), iwant(id), now);
        assertThat(sent.get(sent.size() - 1).rpc().getPublishCount()).isEqualTo(1);
    }
}
