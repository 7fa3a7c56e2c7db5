package io.ggen.bench.kad;


import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.kad.KadConfig;
import io.ggen.p2p.kad.KadDht;
import io.ggen.p2p.kad.KadNode;
import io.ggen.p2p.kad.RecordSelector;
import io.ggen.p2p.kad.RecordValidator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A whole-system DHT run: N real hosts (TCP, Noise, Yamux, identify) with the DHT in one JVM on
 * loopback. Each joins through 3 random earlier nodes and bootstraps; then random nodes put values
 * and others get them, and lookups of random node ids run. Prints one JSON line.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.ggen.bench.kad.KadLoopback [nodes=300] [operations=200] [seed=1]}
 */
public final class KadLoopback {
    private KadLoopback() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        if (n < 4 || n > 2000 || ops < 1 || ops > 10_000) {
            System.err.println("usage: KadLoopback [nodes 4..2000] [operations 1..10000] [seed]");
            System.exit(2);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Host> hosts = new ArrayList<>();
        List<KadDht> dhts = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) {
                // 300 hosts share one process's file descriptors (20,000 here): each keeps at most
                // 24 connections, trimmed to 12 after a short grace, as a busy node's connection manager would.
                Host h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()).withIoThreads(1)
                        .withConnectionManager(new io.ggen.p2p.host.ConnectionManagerConfig(12, 24, java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(1))));
                KadDht d = KadDht.start(h, KadConfig.defaults().withTimeouts(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(30)));
                d.registerNamespace("ggen", RecordValidator.ACCEPT_ANY, RecordSelector.GREATEST);
                hosts.add(h);
                dhts.add(d);
                for (int j = 0; j < Math.min(3, i); j++) {
                    Host other = hosts.get(random.nextInt(i));
                    h.dial(other.listenAddrs().get(0).withPeerId(other.peerId())).get(20, TimeUnit.SECONDS).identified().get(20, TimeUnit.SECONDS);
                }
            }
            double buildS = (System.nanoTime() - t0) / 1e9;
            for (KadDht d : dhts) d.node().closestPeers(hostsOf(hosts, dhts, d).peerId().toBytes()).get(60, TimeUnit.SECONDS);
            double joinS = (System.nanoTime() - t0) / 1e9 - buildS;
            int putOk = 0;
            int getOk = 0;
            int lookupOk = 0;
            long[] getMs = new long[ops];
            long[] lookupMs = new long[ops];
            long[] hops = new long[ops];
            long msgsBefore = dhts.stream().mapToLong(d -> d.metrics().requestsSent()).sum();
            for (int i = 0; i < ops; i++) {
                byte[] key = ("/ggen/loop-" + i).getBytes(StandardCharsets.UTF_8);
                byte[] value = ("value-" + i).getBytes(StandardCharsets.UTF_8);
                KadNode.PutResult p = dhts.get(random.nextInt(n)).put(key, value).get(60, TimeUnit.SECONDS);
                if (p.stored() > 0) putOk++;
                long g0 = System.nanoTime();
                Optional<KadNode.GetResult> g = dhts.get(random.nextInt(n)).get(key).get(60, TimeUnit.SECONDS);
                getMs[i] = (System.nanoTime() - g0) / 1_000_000;
                if (g.isPresent() && Arrays.equals(g.get().value(), value)) getOk++;
                int from = random.nextInt(n);
                int target = random.nextInt(n);
                long l0 = System.nanoTime();
                KadNode.LookupResult r = dhts.get(from).closestPeers(hosts.get(target).peerId().toBytes()).get(60, TimeUnit.SECONDS);
                lookupMs[i] = (System.nanoTime() - l0) / 1_000_000;
                hops[i] = r.hops();
                if (from == target || r.closest().stream().anyMatch(x -> x.id().equals(hosts.get(target).peerId()))) lookupOk++;
            }
            long msgs = dhts.stream().mapToLong(d -> d.metrics().requestsSent()).sum() - msgsBefore;
            Arrays.sort(getMs);
            Arrays.sort(lookupMs);
            Arrays.sort(hops);
            double table = dhts.stream().mapToInt(d -> d.routingTable().size()).average().orElse(0);
            System.out.printf(java.util.Locale.ROOT,
                    "{\"nodes\":%d,\"operations\":%d,\"putSuccess\":%.4f,\"getSuccess\":%.4f,\"lookupSuccess\":%.4f,\"getP50Ms\":%d,\"getP99Ms\":%d,"
                            + "\"lookupP50Ms\":%d,\"lookupP99Ms\":%d,\"hopsP50\":%d,\"hopsP99\":%d,\"messagesPerOperation\":%.1f,\"meanTableSize\":%.1f,"
                            + "\"buildSeconds\":%.1f,\"joinSeconds\":%.1f}%n",
                    n, ops, (double) putOk / ops, (double) getOk / ops, (double) lookupOk / ops, getMs[ops / 2], getMs[Math.min(ops - 1, ops * 99 / 100)],
                    lookupMs[ops / 2], lookupMs[Math.min(ops - 1, ops * 99 / 100)], hops[ops / 2], hops[Math.min(ops - 1, ops * 99 / 100)],
                    (double) msgs / (3.0 * ops), table, buildS, joinS);
        } finally {
            dhts.forEach(KadDht::close);
            hosts.forEach(Host::close);
        }
    }

    private static Host hostsOf(List<Host> hosts, List<KadDht> dhts, KadDht d) {
        return hosts.get(dhts.indexOf(d));
    }
}
