package io.ggen.bench.gossip;


import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.host.ConnectionManagerConfig;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.pubsub.gossipsub.Gossipsub;
import io.ggen.p2p.pubsub.gossipsub.GossipsubConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Gossipsub whole-system runs in one JVM: N real hosts (TCP, Noise, Yamux) in a random connected
 * topology, all subscribed to one topic; M messages from random nodes; delivery, publish-to-node
 * latency (p50, p99, and to the last node) and duplicates per node per message. (One router's
 * validate-and-forward rate is {@link GossipForwardBench}, with JMH.)
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.ggen.bench.gossip.GossipBench mesh [nodes=100] [degree=4] [messages=50] [size=256] [seed=1]}
 */
public final class GossipBench {
    static final String TOPIC = "bench";

    private GossipBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int degree = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int m = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        int size = args.length > 4 ? Integer.parseInt(args[4]) : 256;
        long seed = args.length > 5 ? Long.parseLong(args[5]) : 1;
        if (n < 2 || n > 2000 || m < 1 || m > 10_000 || size < 8 || size > 1 << 20) {
            System.err.println("usage: GossipBench mesh [nodes 2..2000] [degree] [messages 1..10000] [size 8..1MiB] [seed]");
            System.exit(2);
        }
        mesh(n, degree, m, size, seed);
    }

    static void mesh(int n, int degree, int m, int size, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        List<Host> hosts = new ArrayList<>();
        List<Gossipsub> subs = new ArrayList<>();
        // message tag -> per node delivery time (nanos); copies received per node
        ConcurrentHashMap<Long, long[]> deliveredAt = new ConcurrentHashMap<>();
        try {
            for (int i = 0; i < n; i++) {
                Host h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()).withIoThreads(1)
                        .withConnectionManager(new ConnectionManagerConfig(60, 80, Duration.ofSeconds(20), Duration.ofSeconds(10))));
                Gossipsub g = Gossipsub.start(h, GossipsubConfig.defaults());
                final int idx = i;
                g.addListener((msg, from) -> {
                    byte[] d = msg.data();
                    long tag = ByteBuffer.wrap(d).getLong();
                    long[] times = deliveredAt.get(tag);
                    if (times != null) times[idx] = System.nanoTime();
                });
                g.subscribe(TOPIC);
                hosts.add(h);
                subs.add(g);
            }
            Set<Long> edges = io.ggen.bench.Topology.randomConnected(n, degree, random);
            for (long e : edges) {
                Host a = hosts.get((int) (e >> 32));
                Host b = hosts.get((int) (e & 0xffffffffL));
                a.dial(b.listenAddrs().get(0).withPeerId(b.peerId())).get(30, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && subs.stream().anyMatch(g -> g.meshPeers(TOPIC).isEmpty())) Thread.sleep(200);
            Thread.sleep(3000); // a few heartbeats, as the js harness waits
            for (Gossipsub g : subs) g.router().resetCounters();
            List<Double> lastMs = new ArrayList<>();
            List<Double> allMs = new ArrayList<>();
            long delivered = 0;
            long expected = 0;
            for (int k = 0; k < m; k++) {
                int src = random.nextInt(n);
                long tag = seed * 1_000_000 + k;
                long[] times = new long[n];
                deliveredAt.put(tag, times);
                byte[] data = new byte[size];
                random.nextBytes(data);
                ByteBuffer.wrap(data).putLong(tag);
                long t0 = System.nanoTime();
                subs.get(src).publish(TOPIC, data);
                long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < wait && countDelivered(times, src) < n - 1) Thread.sleep(1);
                double last = 0;
                for (int i = 0; i < n; i++) {
                    if (i == src) continue;
                    expected++;
                    if (times[i] != 0) {
                        delivered++;
                        double ms = (times[i] - t0) / 1e6;
                        allMs.add(ms);
                        last = Math.max(last, ms);
                    }
                }
                lastMs.add(last);
                Thread.sleep(50);
            }
            Thread.sleep(1000); // late duplicates
            double dup = 0;
            for (Gossipsub g : subs) {
                long recv = g.router().receivedByTopic().getOrDefault(TOPIC, 0L);
                long del = g.router().deliveredByTopic().getOrDefault(TOPIC, 0L);
                dup += (double) (recv - del) / m;
            }
            System.out.printf(java.util.Locale.ROOT,
                    "{\"bench\":\"gossipsub-inprocess\",\"nodes\":%d,\"edges\":%d,\"messages\":%d,\"size\":%d,\"deliveryRate\":%.4f,"
                            + "\"latencyP50Ms\":%.1f,\"latencyP99Ms\":%.1f,\"lastNodeP50Ms\":%.1f,\"lastNodeP99Ms\":%.1f,\"duplicatesPerNodePerMsg\":%.2f,"
                            + "\"meshSizeMedian\":%d}%n",
                    n, edges.size(), m, size, (double) delivered / expected, pct(allMs, 0.5), pct(allMs, 0.99), pct(lastMs, 0.5), pct(lastMs, 0.99),
                    dup / n, subs.stream().mapToInt(g -> g.meshPeers(TOPIC).size()).sorted().toArray()[n / 2]);
        } finally {
            subs.forEach(Gossipsub::close);
            hosts.forEach(Host::close);
        }
    }

    private static long countDelivered(long[] times, int src) {
        long c = 0;
        for (int i = 0; i < times.length; i++) if (i != src && times[i] != 0) c++;
        return c;
    }

    private static double pct(List<Double> v, double p) {
        if (v.isEmpty()) return 0;
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a[Math.min(a.length - 1, (int) Math.floor(p * (a.length - 1) + 0.5))];
    }
}
