package io.ggen.p2p.pubsub.gossipsub;

import com.google.protobuf.ByteString;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.crypto.PrivateKey;
import io.ggen.p2p.pubsub.MessageIdFunction;
import io.ggen.p2p.pubsub.MessageValidator;
import io.ggen.p2p.pubsub.PubsubMessage;
import io.ggen.p2p.pubsub.PubsubMessage.MessageId;
import io.ggen.p2p.pubsub.RpcCodec;
import io.ggen.p2p.pubsub.ValidationResult;
import io.ggen.p2p.pubsub.pb.PubsubProto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gossipsub v1.1 router as a state machine: it is told of peers, RPCs, publishes and
 * heartbeats, and answers by calling {@link Output} (RPCs to send, messages to deliver). It does
 * no I/O and reads no clock: times come with the calls. Every map it keeps is bounded (peers by
 * the host's connection limit, seen and message caches by count, backoffs and promises expire).
 */
public final class GossipRouter {
    /** What the router does to the world. */
    public interface Output {
        void send(PeerId to, PubsubProto.RPC rpc);

        void deliver(PubsubMessage message, PeerId receivedFrom);

        /**
         * PX (v1.1): a peer whose score is at least the accept-PX threshold pruned us from a
         * topic and suggested these peers instead (at most {@code prunePeers}, none we are
         * connected to); the host may connect to them. Called under the router's lock: must not block.
         */
        default void peerExchange(PeerId from, String topic, List<ExchangedPeer> suggested) {
        }

        /** The signed peer record of {@code p} (an encoded envelope) to pass on in PX, if known. */
        default Optional<byte[]> signedPeerRecord(PeerId p) {
            return Optional.empty();
        }
    }

    /** A peer suggested in PX, with its signed peer record (empty when the pruning peer sent none). */
    public record ExchangedPeer(PeerId peer, byte[] signedPeerRecord) {}

    private static final class PeerState {
        final String protocol;
        final boolean outbound;
        final Set<String> topics = new HashSet<>();
        int ihavesThisHeartbeat;
        int idsAskedThisHeartbeat;
        int idontwantsThisHeartbeat;
        /** v1.2: ids this peer said it does not want, with the heartbeat they expire at. */
        final Map<MessageId, Long> dontWant = new LinkedHashMap<>();

        PeerState(String protocol, boolean outbound) {
            this.protocol = protocol;
            this.outbound = outbound;
        }
    }

    /** A message in the cache, with how often each peer has had it from us through IWANT. */
    private static final class Cached {
        final PubsubProto.Message message;
        final String topic;
        private Map<PeerId, Integer> servedByIWant; // most messages are never asked for

        Cached(PubsubProto.Message message, String topic) {
            this.message = message;
            this.topic = topic;
        }

        /** Counts one more IWANT answer to the peer; false once it has had the message GOSSIP_RETRANSMISSION times. */
        boolean serve(PeerId to) {
            if (servedByIWant == null) servedByIWant = new HashMap<>();
            return servedByIWant.merge(to, 1, Integer::sum) <= GossipsubConfig.GOSSIP_RETRANSMISSION;
        }
    }

    private final GossipsubConfig config;
    private final PeerScoreThresholds thresholds;
    private final PeerScore score;
    private final Output out;
    private final PeerId self;
    private final PrivateKey key;
    private final MessageIdFunction idFunction;
    /** Whether ids are the default from+seqno, which can be read off a message before verifying it. */
    private final boolean defaultIds;
    private final Random random = new Random();
    private final Map<PeerId, PeerState> peers = new HashMap<>();
    private final Set<String> subscriptions = new LinkedHashSet<>();
    private final Map<String, Set<PeerId>> mesh = new HashMap<>();
    private final Map<String, Set<PeerId>> fanout = new HashMap<>();
    private final Map<String, Long> fanoutLastPublish = new HashMap<>();
    private final Map<String, Long> backoff = new HashMap<>();
    private final LinkedHashMap<MessageId, Long> seen = new LinkedHashMap<>();
    private final Map<MessageId, Cached> mcache = new HashMap<>();
    private final Deque<List<MessageId>> mcacheWindows = new ArrayDeque<>();
    private final Map<MessageId, Map<PeerId, Long>> promises = new HashMap<>();
    private final Map<String, MessageValidator> validators = new HashMap<>();
    private long seqno;
    private int pendingValidations;
    private long heartbeats;
    private final Stats stats = new Stats();

    /** Counters for benchmarks and status. */
    public static final class Stats {
        public long received;
        public long duplicates;
        public long delivered;
        public long invalid;
        public long forwarded;
        /** v1.2: IDONTWANT announcements sent, and forwards skipped because the peer had said IDONTWANT. */
        public long idontwantSent;
        public long idontwantSaved;
        /** v1.2: message ids received in IDONTWANT (within the per-heartbeat budget). */
        public long idontwantReceived;
        public long validationDropped;
        /** Messages accepted (by the topic's validator, or with none), and those its validator ignored. */
        public long accepted;
        public long ignored;
        /** PX: peers suggested to us by pruning peers we trust (handed to the host to dial). */
        public long pxSuggested;
        /** Copies received off the wire per topic (duplicates included) and delivered per topic; at most 1024 topics. */
        public final Map<String, Long> receivedByTopic = new HashMap<>();
        public final Map<String, Long> deliveredByTopic = new HashMap<>();

        void count(Map<String, Long> m, String topic) {
            if (m.size() < 1024 || m.containsKey(topic)) m.merge(topic, 1L, Long::sum);
        }
    }

    /** Copies of the counters, safe to read outside the router. */
    public synchronized Map<String, Long> receivedByTopic() {
        return Map.copyOf(stats.receivedByTopic);
    }

    public synchronized Map<String, Long> deliveredByTopic() {
        return Map.copyOf(stats.deliveredByTopic);
    }

    public synchronized void resetCounters() {
        stats.receivedByTopic.clear();
        stats.deliveredByTopic.clear();
        stats.received = stats.duplicates = stats.delivered = stats.invalid = stats.forwarded = stats.validationDropped = stats.accepted = stats.ignored = 0;
        stats.idontwantSent = stats.idontwantSaved = stats.idontwantReceived = stats.pxSuggested = 0;
    }

    public GossipRouter(GossipsubConfig config, PeerScoreParams scoreParams, PeerScoreThresholds thresholds, PeerId self, PrivateKey key, Output out) {
        this(config, scoreParams, thresholds, self, key, MessageIdFunction.FROM_AND_SEQNO, out);
    }

    public GossipRouter(GossipsubConfig config, PeerScoreParams scoreParams, PeerScoreThresholds thresholds, PeerId self, PrivateKey key,
            MessageIdFunction idFunction, Output out) {
        this.config = config;
        this.idFunction = idFunction;
        this.defaultIds = idFunction == MessageIdFunction.FROM_AND_SEQNO;
        this.thresholds = thresholds;
        this.score = new PeerScore(scoreParams);
        this.self = self;
        this.key = key;
        this.out = out;
        this.seqno = System.currentTimeMillis() * 1_000_000L;
        mcacheWindows.addFirst(new ArrayList<>());
    }

    /** v1.2: how many message ids {@code peer} has told us it does not want (for tests and stats). */
    public synchronized int dontWantCount(PeerId peer) {
        PeerState ps = peers.get(peer);
        return ps == null ? 0 : ps.dontWant.size();
    }

    public synchronized Stats stats() {
        return stats;
    }

    public synchronized void setAppScore(java.util.function.ToDoubleFunction<PeerId> f) {
        score.setAppScore(f);
    }

    public synchronized double score(PeerId p, long now) {
        return score.score(p, now);
    }

    public synchronized void addValidator(String topic, MessageValidator v) {
        validators.put(topic, v);
    }

    // ------------------------------------------------------------------ peers

    public synchronized void addPeer(PeerId p, String protocol, boolean outbound, java.net.InetAddress ip) {
        if (peers.containsKey(p)) return;
        peers.put(p, new PeerState(protocol, outbound));
        score.addPeer(p, score.colocationKey(ip));
        if (!subscriptions.isEmpty()) {
            PubsubProto.RPC.Builder b = PubsubProto.RPC.newBuilder();
            for (String t : subscriptions) b.addSubscriptions(PubsubProto.RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(t));
            out.send(p, b.build());
        }
    }

    public synchronized void removePeer(PeerId p, long now) {
        if (peers.remove(p) == null) return;
        for (Set<PeerId> m : mesh.values()) m.remove(p);
        for (Set<PeerId> f : fanout.values()) f.remove(p);
        score.removePeer(p, now);
    }

    public synchronized Set<PeerId> peers() {
        return Set.copyOf(peers.keySet());
    }

    public synchronized List<PeerId> topicPeers(String topic) {
        List<PeerId> out = new ArrayList<>();
        for (Map.Entry<PeerId, PeerState> e : peers.entrySet()) if (e.getValue().topics.contains(topic)) out.add(e.getKey());
        return out;
    }

    public synchronized List<PeerId> meshPeers(String topic) {
        return List.copyOf(mesh.getOrDefault(topic, Set.of()));
    }

    public synchronized List<String> topics() {
        return List.copyOf(subscriptions);
    }

    // ------------------------------------------------------------------ subscribe / publish

    public synchronized void subscribe(String topic, long now) {
        if (!subscriptions.add(topic)) return;
        announce(topic, true);
        Set<PeerId> m = new LinkedHashSet<>();
        Set<PeerId> f = fanout.remove(topic);
        fanoutLastPublish.remove(topic);
        if (f != null) for (PeerId p : f) if (m.size() < config.d() && score.score(p, now) >= 0) m.add(p);
        for (PeerId p : shuffled(topicPeers(topic))) {
            if (m.size() >= config.d()) break;
            if (!inBackoff(topic, p, now) && score.score(p, now) >= 0) m.add(p);
        }
        mesh.put(topic, m);
        for (PeerId p : m) graft(p, topic, now);
    }

    public synchronized void unsubscribe(String topic, long now) {
        if (!subscriptions.remove(topic)) return;
        announce(topic, false);
        Set<PeerId> m = mesh.remove(topic);
        // Leaving: the peers we leave learn of others in the topic (PX), to fill their meshes,
        // and may take us back soon after if we come back (a short backoff).
        if (m == null) return;
        for (PeerId p : m) {
            score.prune(p, topic, now);
            out.send(p, PubsubProto.RPC.newBuilder().setControl(PubsubProto.ControlMessage.newBuilder()
                    .addPrune(pruneMessage(topic, p, now, true, GossipsubConfig.UNSUBSCRIBE_BACKOFF.toMillis()))).build());
        }
    }

    private void announce(String topic, boolean sub) {
        PubsubProto.RPC rpc = PubsubProto.RPC.newBuilder().addSubscriptions(PubsubProto.RPC.SubOpts.newBuilder().setSubscribe(sub).setTopicid(topic)).build();
        for (PeerId p : peers.keySet()) out.send(p, rpc);
    }

    /** Publishes our own message; returns how many peers it was sent to. */
    public synchronized int publish(String topic, byte[] data, long now) {
        if (data.length > config.maxMessageSize()) throw new IllegalArgumentException("message of " + data.length + " bytes exceeds " + config.maxMessageSize());
        PubsubProto.Message m = RpcCodec.sign(key, self, ++seqno, topic, data);
        PubsubMessage pm = withId(RpcCodec.own(self, m));
        if (pm == null) throw new IllegalStateException("the message id function failed on our own message");
        markSeen(pm.id(), now);
        cache(pm.id(), m, topic);
        Set<PeerId> to = new LinkedHashSet<>();
        if (config.floodPublish()) {
            for (PeerId p : topicPeers(topic)) if (score.score(p, now) >= thresholds.publish()) to.add(p);
        } else if (subscriptions.contains(topic)) {
            to.addAll(mesh.getOrDefault(topic, Set.of()));
        } else {
            Set<PeerId> f = fanout.computeIfAbsent(topic, t -> new LinkedHashSet<>());
            if (f.isEmpty()) for (PeerId p : shuffled(topicPeers(topic))) if (f.size() < config.d() && score.score(p, now) >= thresholds.publish()) f.add(p);
            to.addAll(f);
        }
        if (!subscriptions.contains(topic)) fanoutLastPublish.put(topic, now);
        PubsubProto.RPC rpc = PubsubProto.RPC.newBuilder().addPublish(m).build();
        for (PeerId p : to) out.send(p, rpc);
        return to.size();
    }

    // ------------------------------------------------------------------ receiving

    /** Handles one RPC from a peer (already decoded within limits). */
    public synchronized void handle(PeerId from, PubsubProto.RPC rpc, long now) {
        PeerState ps = peers.get(from);
        if (ps == null) return;
        if (score.score(from, now) < thresholds.graylist()) return;
        for (PubsubProto.RPC.SubOpts s : rpc.getSubscriptionsList()) {
            if (s.getSubscribe()) {
                if (ps.topics.size() < RpcCodec.MAX_SUBSCRIPTIONS && ps.topics.add(s.getTopicid())) graftOnSubscribe(from, s.getTopicid(), now);
            } else {
                ps.topics.remove(s.getTopicid());
                Set<PeerId> m = mesh.get(s.getTopicid());
                if (m != null && m.remove(from)) score.prune(from, s.getTopicid(), now);
            }
        }
        for (PubsubProto.Message m : rpc.getPublishList()) handleMessage(from, m, now);
        if (rpc.hasControl()) handleControl(from, ps, rpc.getControl(), now);
    }

    private void handleMessage(PeerId from, PubsubProto.Message m, long now) {
        stats.received++;
        String topic = m.getTopic();
        stats.count(stats.receivedByTopic, topic);
        MessageId quickId = defaultIds ? quickId(m) : null;
        if (quickId != null && seen.containsKey(quickId)) {
            duplicate(from, topic, quickId);
            return;
        }
        PubsubMessage pm;
        try {
            pm = RpcCodec.verify(m);
        } catch (RpcCodec.RpcException e) {
            stats.invalid++;
            score.invalidMessage(from, topic);
            return;
        }
        if (!defaultIds) {
            pm = withId(pm);
            if (pm == null) return; // the application's id function failed: not the sender's fault
            if (seen.containsKey(pm.id())) {
                duplicate(from, topic, pm.id());
                return;
            }
        }
        promises.remove(pm.id());
        if (m.getData().size() > config.maxMessageSize()) {
            stats.invalid++;
            score.invalidMessage(from, topic);
            markSeen(pm.id(), now);
            return;
        }
        if (pm.from().equals(self)) {
            markSeen(pm.id(), now);
            return;
        }
        markSeen(pm.id(), now);
        boolean announce = m.getData().size() >= GossipsubConfig.IDONTWANT_MIN_DATA_SIZE;
        MessageValidator v = validators.get(topic);
        if (v == null) {
            // No application validation: forwarding comes first, the IDONTWANT right after.
            accept(from, m, pm, now);
            if (announce) sendIDontWant(from, pm);
            return;
        }
        // Validation may take a while: tell the mesh now that we have it.
        if (announce) sendIDontWant(from, pm);
        if (pendingValidations >= config.maxPendingValidations()) {
            stats.validationDropped++;
            return;
        }
        pendingValidations++;
        PubsubMessage checked = pm;
        CompletableFuture<ValidationResult> f;
        try {
            f = v.validate(from, pm);
        } catch (RuntimeException e) {
            f = CompletableFuture.completedFuture(ValidationResult.IGNORE);
        }
        f.completeOnTimeout(ValidationResult.IGNORE, config.validationTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> ValidationResult.IGNORE)
                .thenAccept(r -> validated(from, m, checked, r));
    }

    private synchronized void validated(PeerId from, PubsubProto.Message m, PubsubMessage pm, ValidationResult r) {
        pendingValidations--;
        long now = System.currentTimeMillis();
        switch (r) {
            case ACCEPT -> accept(from, m, pm, now);
            case REJECT -> {
                stats.invalid++;
                score.invalidMessage(from, pm.topic());
            }
            case IGNORE -> stats.ignored++;
        }
    }

    /**
     * v1.2: tells the other mesh peers on 1.2 that we have this (large) message, before we
     * validate it, so they do not send us another copy.
     */
    private void sendIDontWant(PeerId from, PubsubMessage pm) {
        PubsubProto.RPC rpc = null;
        for (PeerId p : mesh.getOrDefault(pm.topic(), Set.of())) {
            if (p.equals(from) || p.equals(pm.from())) continue;
            PeerState ps = peers.get(p);
            if (ps == null || !GossipsubConfig.MESHSUB_1_2.equals(ps.protocol)) continue;
            if (rpc == null) {
                rpc = PubsubProto.RPC.newBuilder().setControl(PubsubProto.ControlMessage.newBuilder()
                        .addIdontwant(PubsubProto.ControlIDontWant.newBuilder().addMessageIDs(ByteString.copyFrom(pm.id().bytes())))).build();
            }
            stats.idontwantSent++;
            out.send(p, rpc);
        }
    }

    private void accept(PeerId from, PubsubProto.Message m, PubsubMessage pm, long now) {
        stats.accepted++;
        score.firstDelivery(from, pm.topic());
        cache(pm.id(), m, pm.topic());
        // Forward first, deliver second: the next hop should not wait for this node's
        // application (a listener may be slow; the sends only queue the RPC).
        PubsubProto.RPC rpc = PubsubProto.RPC.newBuilder().addPublish(m).build();
        for (PeerId p : mesh.getOrDefault(pm.topic(), Set.of())) {
            if (p.equals(from) || p.equals(pm.from())) continue;
            if (score.score(p, now) < thresholds.publish()) continue;
            PeerState target = peers.get(p);
            if (target != null && target.dontWant.containsKey(pm.id())) {
                stats.idontwantSaved++;
                continue;
            }
            stats.forwarded++;
            out.send(p, rpc);
        }
        if (subscriptions.contains(pm.topic())) {
            stats.delivered++;
            stats.count(stats.deliveredByTopic, pm.topic());
            out.deliver(pm, from);
        }
    }

    private void duplicate(PeerId from, String topic, MessageId id) {
        stats.duplicates++;
        score.duplicateDelivery(from, topic);
        promises.remove(id);
    }

    /** The message under the configured id; null when a custom id function fails or gives an id too long to gossip. */
    private PubsubMessage withId(PubsubMessage pm) {
        if (defaultIds) return pm;
        try {
            MessageId id = idFunction.apply(pm);
            return id == null || id.bytes().length == 0 || id.bytes().length > RpcCodec.MAX_ID_BYTES ? null : pm.withId(id);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The default id without verifying, to drop duplicates cheaply; null when the message lacks the fields. */
    private static MessageId quickId(PubsubProto.Message m) {
        if (!m.hasFrom() || !m.hasSeqno()) return null;
        byte[] id = new byte[m.getFrom().size() + m.getSeqno().size()];
        m.getFrom().copyTo(id, 0);
        m.getSeqno().copyTo(id, m.getFrom().size());
        return new MessageId(id);
    }

    private void markSeen(MessageId id, long now) {
        seen.put(id, now);
        while (seen.size() > config.maxSeen()) {
            Iterator<MessageId> it = seen.keySet().iterator();
            it.next();
            it.remove();
        }
    }

    private void cache(MessageId id, PubsubProto.Message m, String topic) {
        if (mcache.containsKey(id)) return;
        mcache.put(id, new Cached(m, topic));
        mcacheWindows.peekFirst().add(id);
    }

    private void handleControl(PeerId from, PeerState ps, PubsubProto.ControlMessage c, long now) {
        double s = score.score(from, now);
        // v1.2 IDONTWANT: remember, for a few heartbeats and within a per-heartbeat budget, the
        // ids this peer already has, and do not forward those messages to it.
        for (PubsubProto.ControlIDontWant dw : c.getIdontwantList()) {
            for (ByteString idb : dw.getMessageIDsList()) {
                if (ps.idontwantsThisHeartbeat >= GossipsubConfig.MAX_IDONTWANT_IDS_PER_HEARTBEAT) break;
                if (idb.size() > RpcCodec.MAX_ID_BYTES) continue;
                ps.idontwantsThisHeartbeat++;
                stats.idontwantReceived++;
                ps.dontWant.put(new MessageId(idb.toByteArray()), heartbeats + GossipsubConfig.IDONTWANT_TTL_HEARTBEATS);
            }
        }
        PubsubProto.ControlMessage.Builder reply = PubsubProto.ControlMessage.newBuilder();
        List<PubsubProto.Message> iwantReplies = new ArrayList<>();
        // IHAVE: ask for what we have not seen, within the per-heartbeat caps.
        if (s >= thresholds.gossip()) {
            List<ByteString> want = new ArrayList<>();
            for (PubsubProto.ControlIHave ih : c.getIhaveList()) {
                if (++ps.ihavesThisHeartbeat > config.maxIHaveMessages()) break;
                if (!subscriptions.contains(ih.getTopicID())) continue;
                for (ByteString idb : ih.getMessageIDsList()) {
                    if (ps.idsAskedThisHeartbeat >= config.maxIHaveLength()) break;
                    if (idb.size() > RpcCodec.MAX_ID_BYTES) continue;
                    MessageId id = new MessageId(idb.toByteArray());
                    if (seen.containsKey(id) || promises.containsKey(id) && promises.get(id).containsKey(from)) continue;
                    ps.idsAskedThisHeartbeat++;
                    want.add(idb);
                    if (promises.size() < config.maxSeen()) promises.computeIfAbsent(id, x -> new HashMap<>()).put(from, now + 3 * config.heartbeat().toMillis());
                }
            }
            if (!want.isEmpty()) reply.addIwant(PubsubProto.ControlIWant.newBuilder().addAllMessageIDs(want));
            // IWANT: answer from the message cache.
            int answered = 0;
            for (PubsubProto.ControlIWant iw : c.getIwantList()) {
                for (ByteString idb : iw.getMessageIDsList()) {
                    if (answered >= config.maxIHaveLength()) break;
                    Cached cached = mcache.get(new MessageId(idb.toByteArray()));
                    // v1.1: a message goes to one peer through IWANT at most GOSSIP_RETRANSMISSION
                    // times, so asking again and again cannot make us send it without end.
                    if (cached != null && cached.serve(from)) {
                        iwantReplies.add(cached.message);
                        answered++;
                    }
                }
            }
        }
        for (PubsubProto.ControlGraft g : c.getGraftList()) {
            String topic = g.getTopicID();
            if (!subscriptions.contains(topic)) {
                reply.addPrune(pruneMessage(topic, from, now, false));
                continue;
            }
            Set<PeerId> m = mesh.computeIfAbsent(topic, t -> new LinkedHashSet<>());
            if (m.contains(from)) continue;
            if (inBackoff(topic, from, now)) {
                // GRAFT during backoff: a protocol violation (v1.1), penalised and refused; twice
                // the penalty within the flood threshold of the prune (a peer hammering GRAFT).
                long prunedAt = backoff.get(backoffKey(topic, from)) - config.pruneBackoff().toMillis();
                score.behaviourPenalty(from, now < prunedAt + GossipsubConfig.GRAFT_FLOOD_THRESHOLD.toMillis() ? 2 : 1);
                reply.addPrune(pruneMessage(topic, from, now, false));
                continue;
            }
            if (s < 0 || (m.size() >= config.dHi() && !ps.outbound)) {
                reply.addPrune(pruneMessage(topic, from, now, s >= 0));
                continue;
            }
            m.add(from);
            score.graft(from, topic, now);
        }
        for (PubsubProto.ControlPrune p : c.getPruneList()) {
            String topic = p.getTopicID();
            Set<PeerId> m = mesh.get(topic);
            if (m != null && m.remove(from)) score.prune(from, topic, now);
            long backoffMs = p.hasBackoff() ? Math.min(p.getBackoff(), 3600) * 1000 : config.pruneBackoff().toMillis();
            setBackoff(topic, from, now + backoffMs);
            if (p.getPeersCount() > 0 && s >= thresholds.acceptPx() && GossipsubConfig.atLeast11(ps.protocol)) exchange(from, topic, p, now);
        }
        if (reply.getIwantCount() > 0 || reply.getPruneCount() > 0 || !iwantReplies.isEmpty()) {
            PubsubProto.RPC.Builder b = PubsubProto.RPC.newBuilder().addAllPublish(iwantReplies);
            if (reply.getIwantCount() > 0 || reply.getPruneCount() > 0) b.setControl(reply);
            out.send(from, b.build());
        }
    }

    /** PX from a peer we trust enough: at most {@code prunePeers} peers we are not connected to, handed to the host. */
    private void exchange(PeerId from, String topic, PubsubProto.ControlPrune p, long now) {
        List<ExchangedPeer> suggested = new ArrayList<>();
        for (PubsubProto.PeerInfo info : p.getPeersList()) {
            if (suggested.size() >= config.prunePeers()) break;
            PeerId id;
            try {
                id = PeerId.fromBytes(info.getPeerID().toByteArray());
            } catch (RuntimeException e) {
                continue;
            }
            if (id.equals(self) || peers.containsKey(id) || score.score(id, now) < 0) continue;
            suggested.add(new ExchangedPeer(id, info.getSignedPeerRecord().toByteArray()));
        }
        stats.pxSuggested += suggested.size();
        if (!suggested.isEmpty()) out.peerExchange(from, topic, List.copyOf(suggested));
    }

    // ------------------------------------------------------------------ mesh maintenance

    /**
     * A peer joining a topic we are in goes into our mesh at once while the mesh is below D_lo,
     * as js-libp2p does: the mesh forms within a round trip instead of at the next heartbeat,
     * and settles near D_lo, not D, so each message travels fewer redundant links.
     */
    private void graftOnSubscribe(PeerId p, String topic, long now) {
        Set<PeerId> m = mesh.get(topic);
        if (m == null || m.contains(p) || m.size() >= config.dLo()) return;
        if (inBackoff(topic, p, now) || score.score(p, now) < 0) return;
        m.add(p);
        graft(p, topic, now);
    }

    private void graft(PeerId p, String topic, long now) {
        score.graft(p, topic, now);
        out.send(p, PubsubProto.RPC.newBuilder().setControl(PubsubProto.ControlMessage.newBuilder()
                .addGraft(PubsubProto.ControlGraft.newBuilder().setTopicID(topic))).build());
    }

    private void prune(PeerId p, String topic, long now, boolean px) {
        score.prune(p, topic, now);
        out.send(p, PubsubProto.RPC.newBuilder().setControl(PubsubProto.ControlMessage.newBuilder().addPrune(pruneMessage(topic, p, now, px))).build());
    }

    private PubsubProto.ControlPrune pruneMessage(String topic, PeerId to, long now, boolean px) {
        return pruneMessage(topic, to, now, px, config.pruneBackoff().toMillis());
    }

    private PubsubProto.ControlPrune pruneMessage(String topic, PeerId to, long now, boolean px, long backoffMs) {
        setBackoff(topic, to, now + backoffMs);
        PubsubProto.ControlPrune.Builder b = PubsubProto.ControlPrune.newBuilder().setTopicID(topic).setBackoff(backoffMs / 1000);
        if (px && peers.containsKey(to) && GossipsubConfig.atLeast11(peers.get(to).protocol)) {
            int n = 0;
            // Any peer in the topic will do (not only our mesh): the pruned peer needs new links.
            for (PeerId p : shuffled(topicPeers(topic))) {
                if (p.equals(to) || score.score(p, now) < 0) continue;
                PubsubProto.PeerInfo.Builder info = PubsubProto.PeerInfo.newBuilder().setPeerID(ByteString.copyFrom(p.toBytes()));
                out.signedPeerRecord(p).ifPresent(r -> info.setSignedPeerRecord(ByteString.copyFrom(r)));
                b.addPeers(info);
                if (++n >= config.prunePeers()) break;
            }
        }
        return b.build();
    }

    private String backoffKey(String topic, PeerId p) {
        return topic + "\u0000" + p;
    }

    private boolean inBackoff(String topic, PeerId p, long now) {
        Long until = backoff.get(backoffKey(topic, p));
        return until != null && until > now;
    }

    private void setBackoff(String topic, PeerId p, long until) {
        if (backoff.size() >= 100_000) backoff.values().removeIf(t -> t < until - config.pruneBackoff().toMillis());
        backoff.merge(backoffKey(topic, p), until, Math::max);
    }

    private <T> List<T> shuffled(List<T> in) {
        List<T> l = new ArrayList<>(in);
        Collections.shuffle(l, random);
        return l;
    }

    /** The heartbeat: mesh upkeep, fanout expiry, gossip, cache shifting, score decay, promise checks. */
    public synchronized void heartbeat(long now) {
        heartbeats++;
        for (PeerState ps : peers.values()) {
            ps.ihavesThisHeartbeat = 0;
            ps.idsAskedThisHeartbeat = 0;
            ps.idontwantsThisHeartbeat = 0;
            ps.dontWant.values().removeIf(expiry -> expiry <= heartbeats);
        }
        // Broken IWANT promises: a peer that advertised a message and did not deliver it in time.
        for (Iterator<Map.Entry<MessageId, Map<PeerId, Long>>> it = promises.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<MessageId, Map<PeerId, Long>> e = it.next();
            e.getValue().entrySet().removeIf(pe -> {
                if (pe.getValue() < now) {
                    score.behaviourPenalty(pe.getKey(), 1);
                    return true;
                }
                return false;
            });
            if (e.getValue().isEmpty()) it.remove();
        }
        Map<PeerId, Double> scores = new HashMap<>();
        for (PeerId p : peers.keySet()) scores.put(p, score.score(p, now));
        for (String topic : subscriptions) {
            Set<PeerId> m = mesh.computeIfAbsent(topic, t -> new LinkedHashSet<>());
            m.removeIf(p -> {
                if (!peers.containsKey(p)) return true;
                if (scores.getOrDefault(p, 0.0) < 0) {
                    prune(p, topic, now, false);
                    return true;
                }
                return false;
            });
            if (m.size() < config.dLo()) {
                for (PeerId p : shuffled(topicPeers(topic))) {
                    if (m.size() >= config.d()) break;
                    if (m.contains(p) || inBackoff(topic, p, now) || scores.getOrDefault(p, 0.0) < 0) continue;
                    m.add(p);
                    graft(p, topic, now);
                }
            }
            if (m.size() > config.dHi()) {
                List<PeerId> sorted = new ArrayList<>(m);
                Collections.shuffle(sorted, random);
                sorted.sort(Comparator.comparingDouble((PeerId p) -> scores.getOrDefault(p, 0.0)).reversed());
                List<PeerId> keep = new ArrayList<>(sorted.subList(0, config.dScore()));
                List<PeerId> rest = new ArrayList<>(sorted.subList(config.dScore(), sorted.size()));
                Collections.shuffle(rest, random);
                // keep at least dOut outbound peers
                long outbound = keep.stream().filter(p -> peers.get(p).outbound).count();
                for (Iterator<PeerId> it = rest.iterator(); it.hasNext() && outbound < config.dOut(); ) {
                    PeerId p = it.next();
                    if (peers.get(p).outbound) {
                        keep.add(p);
                        it.remove();
                        outbound++;
                    }
                }
                for (PeerId p : rest) {
                    if (keep.size() >= config.d()) break;
                    keep.add(p);
                }
                for (PeerId p : List.copyOf(m)) {
                    if (!keep.contains(p)) {
                        m.remove(p);
                        prune(p, topic, now, true);
                    }
                }
            }
            // D_out: a mesh of enough peers but too few we dialled gets outbound ones added, so
            // that inbound connections (which an attacker can make at will) cannot fill it.
            if (m.size() >= config.dLo()) {
                long outbound = m.stream().filter(p -> peers.get(p).outbound).count();
                for (Iterator<PeerId> it = shuffled(topicPeers(topic)).iterator(); it.hasNext() && outbound < config.dOut(); ) {
                    PeerId p = it.next();
                    if (!peers.get(p).outbound || m.contains(p) || inBackoff(topic, p, now) || scores.getOrDefault(p, 0.0) < 0) continue;
                    m.add(p);
                    graft(p, topic, now);
                    outbound++;
                }
            }
            // Opportunistic grafting: when the mesh's median score is low, add a few better peers.
            if (heartbeats % config.opportunisticGraftTicks() == 0 && m.size() > 1) {
                List<Double> ms = m.stream().map(p -> scores.getOrDefault(p, 0.0)).sorted().toList();
                double median = ms.get(ms.size() / 2);
                if (median < thresholds.opportunisticGraft()) {
                    int added = 0;
                    for (PeerId p : shuffled(topicPeers(topic))) {
                        if (added >= config.opportunisticGraftPeers()) break;
                        if (m.contains(p) || inBackoff(topic, p, now) || scores.getOrDefault(p, 0.0) <= median) continue;
                        m.add(p);
                        graft(p, topic, now);
                        added++;
                    }
                }
            }
            emitGossip(topic, m, scores);
        }
        for (Iterator<Map.Entry<String, Long>> it = fanoutLastPublish.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() + config.fanoutTtl().toMillis() < now) {
                fanout.remove(e.getKey());
                it.remove();
            }
        }
        for (Map.Entry<String, Set<PeerId>> e : fanout.entrySet()) {
            Set<PeerId> f = e.getValue();
            f.removeIf(p -> !peers.containsKey(p) || scores.getOrDefault(p, 0.0) < thresholds.publish());
            if (f.size() < config.d()) {
                for (PeerId p : shuffled(topicPeers(e.getKey()))) {
                    if (f.size() >= config.d()) break;
                    if (scores.getOrDefault(p, 0.0) >= thresholds.publish()) f.add(p);
                }
            }
            emitGossip(e.getKey(), f, scores);
        }
        mcacheWindows.addFirst(new ArrayList<>());
        while (mcacheWindows.size() > config.mcacheLen()) for (MessageId id : mcacheWindows.removeLast()) mcache.remove(id);
        long seenBefore = now - config.seenTtl().toMillis();
        for (Iterator<Map.Entry<MessageId, Long>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() < seenBefore) it.remove();
            else break;
        }
        backoff.values().removeIf(t -> t < now);
        score.decay();
    }

    private void emitGossip(String topic, Set<PeerId> exclude, Map<PeerId, Double> scores) {
        List<ByteString> ids = new ArrayList<>();
        int w = 0;
        for (List<MessageId> window : mcacheWindows) {
            if (w++ >= config.mcacheGossip()) break;
            for (MessageId id : window) {
                Cached c = mcache.get(id);
                if (c != null && c.topic.equals(topic)) ids.add(ByteString.copyFrom(id.bytes()));
            }
        }
        if (ids.isEmpty()) return;
        if (ids.size() > config.maxIHaveLength()) ids = ids.subList(0, config.maxIHaveLength());
        List<PeerId> candidates = new ArrayList<>();
        for (PeerId p : topicPeers(topic)) if (!exclude.contains(p) && scores.getOrDefault(p, 0.0) >= thresholds.gossip()) candidates.add(p);
        int target = Math.max(config.dLazy(), (int) (candidates.size() * config.gossipFactor()));
        PubsubProto.RPC rpc = PubsubProto.RPC.newBuilder().setControl(PubsubProto.ControlMessage.newBuilder()
                .addIhave(PubsubProto.ControlIHave.newBuilder().setTopicID(topic).addAllMessageIDs(ids))).build();
        for (PeerId p : shuffled(candidates).subList(0, Math.min(target, candidates.size()))) out.send(p, rpc);
    }

    /** A protocol violation seen by the I/O layer (oversized or malformed RPC). */
    public synchronized void penalise(PeerId p, double amount) {
        score.behaviourPenalty(p, amount);
    }

    /** For tests: the fanout peers of a topic we publish to without being subscribed. */
    synchronized Set<PeerId> fanoutPeers(String topic) {
        return Set.copyOf(fanout.getOrDefault(topic, Set.of()));
    }

    /** For tests: messages handed to validators and not yet answered (or timed out). */
    synchronized int pendingValidations() {
        return pendingValidations;
    }

    /** For tests: whether the peer is in backoff for the topic. */
    synchronized boolean backoffFor(String topic, PeerId p, long now) {
        return inBackoff(topic, p, now);
    }

    public synchronized Optional<Double> scoreOf(PeerId p, long now) {
        return peers.containsKey(p) ? Optional.of(score.score(p, now)) : Optional.empty();
    }
}
