package io.ggen.bench.gossip;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.pubsub.PubsubMessage;
import io.ggen.p2p.pubsub.RpcCodec;
import io.ggen.p2p.pubsub.gossipsub.GossipRouter;
import io.ggen.p2p.pubsub.gossipsub.GossipsubConfig;
import io.ggen.p2p.pubsub.gossipsub.PeerScoreParams;
import io.ggen.p2p.pubsub.gossipsub.PeerScoreThresholds;
import io.ggen.p2p.pubsub.pb.PubsubProto;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What one router does with a message from a mesh peer, per message: {@code fresh} = a message
 * not seen before (StrictSign verification of its Ed25519 signature, de-duplication, caching,
 * forwarding to the 5 other mesh peers (D = 6), delivery to the application); {@code duplicate} = a copy
 * of one already seen (dropped by id before verification). No I/O: the RPC is already decoded and
 * the sends go to a counter. Each measured batch is 20,000 different messages signed beforehand,
 * on a router built for the batch, so every fresh message is new to it.
 *
 * <p>Run: {@code mvn -B -ntp -q -pl ggen-bench -am package -DskipTests &&
 * java -jar ggen-bench/target/benchmarks.jar GossipForwardBench}; messages per second =
 * 20,000 / seconds per batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, batchSize = GossipForwardBench.BATCH)
@Measurement(iterations = 10, batchSize = GossipForwardBench.BATCH)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class GossipForwardBench {
    static final int BATCH = 20_000;
    static final String TOPIC = "bench";

    @Param({"256", "4096"})
    public int size;

    private final Ed25519PrivateKey authorKey = Ed25519PrivateKey.generate();
    private final PeerId author = PeerId.fromPublicKey(authorKey.publicKey());
    private final List<PeerId> mesh = new ArrayList<>();
    private GossipRouter router;
    private PubsubProto.RPC[] batch;
    private PubsubProto.RPC seen;
    private int next;
    private long seqno;
    private long sends;
    /** The router's clock stands still during a batch (no heartbeat runs): scores stay as at the start. */
    private long now;

    @Setup(Level.Iteration)
    public void freshRouterAndMessages() {
        Ed25519PrivateKey selfKey = Ed25519PrivateKey.generate();
        router = new GossipRouter(GossipsubConfig.defaults(), PeerScoreParams.defaults(), PeerScoreThresholds.defaults(),
                PeerId.fromPublicKey(selfKey.publicKey()), selfKey, new GossipRouter.Output() {
                    @Override
                    public void send(PeerId to, PubsubProto.RPC rpc) {
                        sends++;
                    }

                    @Override
                    public void deliver(PubsubMessage message, PeerId receivedFrom) {
                        sends++;
                    }
                });
        now = System.currentTimeMillis();
        mesh.clear();
        PubsubProto.RPC subscribe = PubsubProto.RPC.newBuilder()
                .addSubscriptions(PubsubProto.RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(TOPIC)).build();
        for (int i = 0; i < 8; i++) {
            PeerId p = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
            mesh.add(p);
            router.addPeer(p, GossipsubConfig.MESHSUB_1_1, true, null);
            router.handle(p, subscribe, now);
        }
        router.subscribe(TOPIC, now);
        // The default config grafts at most D = 6 of the 8; every message comes from a mesh peer.
        mesh.retainAll(router.meshPeers(TOPIC));
        byte[] data = new byte[size];
        batch = new PubsubProto.RPC[BATCH];
        for (int i = 0; i < BATCH; i++) batch[i] = PubsubProto.RPC.newBuilder().addPublish(RpcCodec.sign(authorKey, author, ++seqno, TOPIC, data)).build();
        seen = PubsubProto.RPC.newBuilder().addPublish(RpcCodec.sign(authorKey, author, ++seqno, TOPIC, data)).build();
        router.handle(mesh.get(1), seen, now);
        next = 0;
    }

    /** Every message of the batch was handled as intended: a benchmark that measured a shortcut must fail. */
    @org.openjdk.jmh.annotations.TearDown(Level.Iteration)
    public void check() {
        GossipRouter.Stats st = router.stats();
        long expectFresh = next == BATCH ? BATCH + 1 : 1;
        if (st.delivered != expectFresh) throw new IllegalStateException("delivered " + st.delivered + ", expected " + expectFresh);
    }

    @Benchmark
    public void fresh(Blackhole bh) {
        router.handle(mesh.get(0), batch[next++], now);
        bh.consume(sends);
    }

    @Benchmark
    public void duplicate(Blackhole bh) {
        router.handle(mesh.get(0), seen, now);
        bh.consume(sends);
    }
}
