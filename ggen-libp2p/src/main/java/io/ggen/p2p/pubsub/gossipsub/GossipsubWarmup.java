package io.ggen.p2p.pubsub.gossipsub;


import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.host.HostConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the gossip message path hot before a node meets real traffic. A JVM interprets code
 * until it has run often enough to be compiled, and a node relays only a few announcements a
 * minute: left alone, its first hundreds of messages each cost several times the CPU of a warm
 * relay (measured: ~11 ms of CPU per node per message in a 20-process network, against ~1 ms
 * warm). So three private hosts on loopback, in this JVM and never connected to anyone else,
 * exchange signed messages in a triangle through the very code real traffic takes (TCP, Noise,
 * Yamux, the router, StrictSign signing and verification, duplicates and forwarding), until
 * the JIT has compiled it. Nothing of the node itself is touched.
 */
public final class GossipsubWarmup {
    private static final String TOPIC = "/ggen/warmup";
    private static final int IN_FLIGHT = 24;

    /** What a warm-up did: messages delivered, wall time and the process's CPU time meanwhile. */
    public record Result(int published, int delivered, Duration wall, Duration processCpu) {}

    private GossipsubWarmup() {}

    /**
     * Publishes {@code messages} messages round the triangle, at most {@code IN_FLIGHT} at a time,
     * and stops at the deadline whatever the count.
     */
    public static Result run(int messages, Duration deadline) {
        long t0 = System.nanoTime();
        long end = t0 + deadline.toNanos();
        Duration cpu0 = cpu();
        List<Host> hosts = new ArrayList<>();
        List<Gossipsub> nodes = new ArrayList<>();
        Semaphore credits = new Semaphore(0);
        int published = 0;
        int delivered = 0;
        try {
            GossipsubConfig config = GossipsubConfig.defaults().withHeartbeat(Duration.ofMillis(100));
            for (int i = 0; i < 3; i++) {
                Host h = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()).withIoThreads(1));
                hosts.add(h);
                Gossipsub g = Gossipsub.start(h, config);
                g.subscribe(TOPIC);
                g.addListener((m, from) -> credits.release());
                nodes.add(g);
            }
            for (int i = 0; i < 3; i++) {
                Host b = hosts.get((i + 1) % 3);
                hosts.get(i).dial(b.listenAddrs().get(0).withPeerId(b.peerId())).get(remaining(end), TimeUnit.NANOSECONDS);
            }
            while (nodes.stream().anyMatch(g -> g.topicPeers(TOPIC).size() < 2)) {
                if (System.nanoTime() > end) return result(t0, cpu0, 0, 0);
                LockSupport.parkNanos(2_000_000);
            }
            // Each message reaches the two other nodes; a credit is one delivery.
            int outstanding = 0;
            while (published < messages && System.nanoTime() < end) {
                while (outstanding >= IN_FLIGHT * 2) {
                    if (!credits.tryAcquire(remaining(end), TimeUnit.NANOSECONDS)) return result(t0, cpu0, published, delivered);
                    outstanding--;
                    delivered++;
                }
                // Mostly announcement-sized; every eighth large enough for v1.2's IDONTWANT path.
                byte[] data = new byte[published % 8 == 7 ? 2048 : 256];
                data[0] = (byte) published;
                nodes.get(published % 3).publish(TOPIC, data);
                published++;
                outstanding += 2;
            }
            while (outstanding > 0 && credits.tryAcquire(remaining(end), TimeUnit.NANOSECONDS)) {
                outstanding--;
                delivered++;
            }
            awaitCompilerIdle(end);
            return result(t0, cpu0, published, delivered);
        } catch (Exception e) {
            return result(t0, cpu0, published, delivered);
        } finally {
            nodes.forEach(Gossipsub::close);
            hosts.forEach(Host::close);
        }
    }

    /**
     * The JIT compiles on its own threads, behind the code that made methods hot: returning
     * while its queue is long would leave that CPU to be spent under the first real messages.
     */
    private static void awaitCompilerIdle(long end) {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return;
        long last = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < 3 && System.nanoTime() < end) {
            LockSupport.parkNanos(50_000_000);
            long now = jit.getTotalCompilationTime();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
    }

    private static long remaining(long end) {
        return Math.max(0, end - System.nanoTime());
    }

    private static Result result(long t0, Duration cpu0, int published, int delivered) {
        return new Result(published, delivered, Duration.ofNanos(System.nanoTime() - t0), cpu().minus(cpu0));
    }

    private static Duration cpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
