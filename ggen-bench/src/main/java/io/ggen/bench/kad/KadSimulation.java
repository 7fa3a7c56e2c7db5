package io.ggen.bench.kad;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.kad.KadConfig;
import io.ggen.p2p.kad.KadException;
import io.ggen.p2p.kad.KadMessage;
import io.ggen.p2p.kad.KadNode;
import io.ggen.p2p.kad.KadScheduler;
import io.ggen.p2p.kad.KadTransport;
import io.ggen.p2p.kad.Namespaces;
import io.ggen.p2p.kad.RecordSelector;
import io.ggen.p2p.kad.RecordValidator;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The DHT's own {@link KadNode} code (routing table, lookups, request handling) on thousands of
 * nodes in one thread: an in-memory transport, a virtual clock, a latency model (each node at a
 * random point of a 2-D plane: 5 ms + up to 140 ms by distance, plus jitter) and churn (a share
 * of nodes leaves without a word, as many new ones join). Reports lookup success, hops, messages
 * and latency, and put/get success.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.ggen.bench.kad.KadSimulation [nodes=10000] [churn%=0] [lookups=1000] [seed=1]}
 */
public final class KadSimulation {
    /** One simulated node. */
    final class SimNode {
        final PeerId id;
        final KadNode kad;
        final double x;
        final double y;
        boolean online = true;

        SimNode(PeerId id, double x, double y) {
            this.id = id;
            this.x = x;
            this.y = y;
            this.kad = new KadNode(id, config, new Transport(this), scheduler, namespaces(), List::of, new NoBook(), p -> ping(this, p));
        }
    }

    private record Event(long time, long seq, Runnable task) {}

    /** A timer's task, dropped when cancelled (the event stays queued until its time, empty). */
    private static final class Scheduled implements Runnable {
        private Runnable task;

        Scheduled(Runnable task) {
            this.task = task;
        }

        void cancel() {
            task = null;
        }

        @Override
        public void run() {
            Runnable t = task;
            task = null;
            if (t != null) t.run();
        }
    }

    private final KadConfig config;
    private final SplittableRandom random;
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;
    private long messages;
    private final Map<PeerId, SimNode> nodes = new HashMap<>();
    private final List<SimNode> all = new ArrayList<>();

    final KadScheduler scheduler = new KadScheduler() {
        @Override
        public long nowMillis() {
            return now;
        }

        @Override
        public Timer schedule(Runnable task, long delayMillis) {
            Scheduled s = new Scheduled(task);
            events.add(new Event(now + Math.max(0, delayMillis), seq++, s));
            return s::cancel;
        }
    };

    KadSimulation(KadConfig config, long seed) {
        this.config = config;
        this.random = new SplittableRandom(seed);
    }

    static Namespaces namespaces() {
        Namespaces ns = new Namespaces();
        ns.register("ggen", RecordValidator.ACCEPT_ANY, RecordSelector.GREATEST);
        return ns;
    }

    private static final class NoBook implements KadNode.AddressBook {
        @Override
        public List<Multiaddr> addrs(PeerId peer) {
            return List.of();
        }

        @Override
        public void learn(PeerId peer, List<Multiaddr> addrs) {
        }
    }

    long latency(SimNode a, SimNode b) {
        double d = Math.hypot(a.x - b.x, a.y - b.y); // 0 .. 1.41
        return 5 + (long) (d * 100) + random.nextInt(10);
    }

    private final class Transport implements KadTransport {
        private final SimNode from;

        Transport(SimNode from) {
            this.from = from;
        }

        @Override
        public CompletableFuture<KadMessage> request(KadMessage.PeerInfo peer, KadMessage request) {
            CompletableFuture<KadMessage> f = new CompletableFuture<>();
            SimNode to = nodes.get(peer.id());
            messages++;
            if (to == null || !to.online) return f; // never answers: the request timeout ends it, as a vanished peer would
            long there = latency(from, to);
            scheduler.schedule(() -> {
                if (!to.online) return;
                to.kad.addPeer(from.id, List.of()); // identify would tell the remote we serve the DHT
                Optional<KadMessage> resp;
                try {
                    resp = to.kad.handle(from.id, request);
                } catch (KadException e) {
                    scheduler.schedule(() -> f.completeExceptionally(e), there);
                    return;
                }
                scheduler.schedule(() -> {
                    if (resp.isPresent()) f.complete(resp.get());
                    else f.completeExceptionally(new IllegalStateException("no answer"));
                }, latency(to, from));
            }, there);
            return f;
        }

        @Override
        public CompletableFuture<Void> send(KadMessage.PeerInfo peer, KadMessage message) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            SimNode to = nodes.get(peer.id());
            messages++;
            if (to == null || !to.online) return f;
            scheduler.schedule(() -> {
                if (!to.online) return;
                try {
                    to.kad.handle(from.id, message);
                } catch (KadException ignored) {
                    // dropped
                }
                f.complete(null);
            }, latency(from, to));
            return f;
        }
    }

    private CompletableFuture<Boolean> ping(SimNode from, PeerId p) {
        SimNode to = nodes.get(p);
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        long rtt = to == null ? 0 : latency(from, to) * 2;
        scheduler.schedule(() -> f.complete(to != null && to.online), to != null && to.online ? rtt : config.requestTimeout().toMillis());
        return f;
    }

    /** Runs events until the future is done (or nothing is left). */
    <T> T await(CompletableFuture<T> f) {
        while (!f.isDone() && !events.isEmpty()) {
            Event e = events.poll();
            now = Math.max(now, e.time);
            e.task.run();
        }
        return f.join();
    }

    SimNode addNode() {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        PeerId id = PeerId.fromPublicKey(Ed25519PrivateKey.fromSeed(seed).publicKey());
        SimNode n = new SimNode(id, random.nextDouble(), random.nextDouble());
        nodes.put(id, n);
        all.add(n);
        return n;
    }

    SimNode randomOnline() {
        while (true) {
            SimNode n = all.get(random.nextInt(all.size()));
            if (n.online) return n;
        }
    }

    /** A node joins through {@code via}: knows it, then a self lookup and one lookup per bucket up to 3. */
    void join(SimNode n, SimNode via) {
        n.kad.addPeer(via.id, List.of());
        await(n.kad.closestPeers(n.id.toBytes()));
    }

    public record Stats(int nodes, int churnPercent, int lookups, double successRate, int hopsP50, int hopsP99, double messagesPerLookup,
                        long latencyP50Ms, long latencyP99Ms, double getSuccessRate, double meanTableSize) {}

    Stats run(int n, int churnPercent, int lookups) {
        SimNode first = addNode();
        for (int i = 1; i < n; i++) {
            SimNode node = addNode();
            join(node, all.get(random.nextInt(all.size() - 1)));
        }
        // A second pass of self lookups, as periodic refresh does, fills the tables of early joiners.
        for (SimNode node : all) await(node.kad.closestPeers(node.id.toBytes()));
        int churned = n * churnPercent / 100;
        for (int i = 0; i < churned; i++) {
            SimNode gone = randomOnline();
            gone.online = false;
        }
        for (int i = 0; i < churned; i++) join(addNode(), randomOnline());
        // Values stored before the lookups, found by others after.
        int puts = Math.max(10, lookups / 10);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < puts; i++) {
            byte[] key = ("/ggen/sim-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            await(randomOnline().kad.put(key, ("v" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            keys.add(key);
        }
        int ok = 0;
        long[] hops = new long[lookups];
        long[] lat = new long[lookups];
        long msgBefore = messages;
        for (int i = 0; i < lookups; i++) {
            SimNode from = randomOnline();
            SimNode target = randomOnline();
            long t0 = now;
            KadNode.LookupResult r = await(from.kad.closestPeers(target.id.toBytes()));
            lat[i] = now - t0;
            hops[i] = r.hops();
            if (target == from || r.closest().stream().anyMatch(p -> p.id().equals(target.id))) ok++;
        }
        double msgs = (double) (messages - msgBefore) / lookups;
        int gets = 0;
        for (int i = 0; i < keys.size(); i++) {
            Optional<KadNode.GetResult> g = await(randomOnline().kad.get(keys.get(i)));
            if (g.isPresent() && Arrays.equals(g.get().value(), ("v" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8))) gets++;
        }
        Arrays.sort(hops);
        Arrays.sort(lat);
        double table = all.stream().filter(s -> s.online).mapToInt(s -> s.kad.table().size()).average().orElse(0);
        return new Stats(n, churnPercent, lookups, (double) ok / lookups, (int) hops[lookups / 2], (int) hops[Math.min(lookups - 1, lookups * 99 / 100)],
                msgs, lat[lookups / 2], lat[Math.min(lookups - 1, lookups * 99 / 100)], (double) gets / keys.size(), table);
    }

    public static Stats simulate(int n, int churnPercent, int lookups, long seed) {
        KadConfig cfg = KadConfig.defaults().withTimeouts(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(60));
        return new KadSimulation(cfg, seed).run(n, churnPercent, lookups);
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int churn = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int lookups = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        if (n < 2 || n > 100_000 || churn < 0 || churn > 90 || lookups < 1 || lookups > 100_000) {
            System.err.println("usage: KadSimulation [nodes 2..100000] [churn% 0..90] [lookups 1..100000] [seed]");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        Stats s = simulate(n, churn, lookups, seed);
        double goal = Math.ceil(Math.log(n) / Math.log(2) / (Math.log(20) / Math.log(2)) + 1);
        System.out.printf(java.util.Locale.ROOT,
                "{\"nodes\":%d,\"churnPercent\":%d,\"lookups\":%d,\"successRate\":%.4f,\"hopsP50\":%d,\"hopsP99\":%d,\"hopsGoal\":%.0f,"
                        + "\"messagesPerLookup\":%.1f,\"latencyP50Ms\":%d,\"latencyP99Ms\":%d,\"getSuccessRate\":%.4f,\"meanTableSize\":%.1f,\"wallSeconds\":%.1f}%n",
                s.nodes(), s.churnPercent(), s.lookups(), s.successRate(), s.hopsP50(), s.hopsP99(), goal, s.messagesPerLookup(), s.latencyP50Ms(),
                s.latencyP99Ms(), s.getSuccessRate(), s.meanTableSize(), (System.nanoTime() - t0) / 1e9);
    }
}
