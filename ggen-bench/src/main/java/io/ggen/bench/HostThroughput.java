package io.ggen.bench;


import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.host.HostConfig;
import io.ggen.p2p.core.Stream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whole-stack throughput of one stream between two hosts in one JVM (TCP on loopback, Noise,
 * Yamux): a quick probe for profiling, not the reported benchmark (that one runs two processes
 * through bench/wire.sh, side by side with js-libp2p).
 *
 * <p>usage: java -cp ggen-bench/target/benchmarks.jar [-Dht.chunk=BYTES] io.ggen.bench.HostThroughput [MiB=1024] [runs=5]
 * (ht.chunk: the size of each write, 64 KiB by default, as applications and the fetch protocol write)
 */
public final class HostThroughput {
    private HostThroughput() {}

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** utime and stime of this process in clock ticks (/proc/self/stat), or zeros off Linux. */
    static long[] userSystemTicks() {
        try {
            String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return new long[]{Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (java.io.IOException | RuntimeException e) {
            return new long[2];
        }
    }

    /** Read and write system calls of this process so far (/proc/self/io), or zeros off Linux. */
    static long[] syscalls() {
        long[] rw = new long[2];
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/io"))) {
                if (line.startsWith("syscr:")) rw[0] = Long.parseLong(line.substring(6).trim());
                if (line.startsWith("syscw:")) rw[1] = Long.parseLong(line.substring(6).trim());
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return rw;
    }

    /**
     * Voluntary context switches of this process's live threads (each a thread blocking: a park,
     * a selector wait, a futex): the thread hand-offs of the data path, counted, not timed.
     */
    static long voluntarySwitches() {
        long sum = 0;
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) tasks::iterator) {
                try {
                    for (String line : java.nio.file.Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) sum += Long.parseLong(line.substring(24).trim());
                    }
                } catch (java.io.IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
        return sum;
    }

    /** -Dht.chunk, checked: 1 byte to 16 MiB. */
    private static int writeSize() {
        String v = System.getProperty("ht.chunk", String.valueOf(64 * 1024));
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= 16 << 20) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.println("HostThroughput: -Dht.chunk=" + v + " is not a write size; give 1 to 16777216 bytes");
        System.exit(2);
        return 0;
    }

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        try (Host a = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()));
             Host b = NettyHost.start(HostConfig.defaults(Ed25519PrivateKey.generate()))) {
            b.handle("/bench/sink/1.0.0", s -> {
                byte[] buf = new byte[256 * 1024];
                long n = 0;
                int r;
                InputStream in = s.in();
                while ((r = in.read(buf)) >= 0) n += r;
                s.out().write(ByteBuffer.allocate(8).putLong(n).array());
                s.out().flush();
            });
            Connection c = a.dial(b.listenAddrs().get(0).withPeerId(b.peerId())).get(10, TimeUnit.SECONDS);
            byte[] chunk = new byte[writeSize()];
            for (int run = 0; run <= runs; run++) {
                long total = (run == 0 ? Math.min(mib, 256) : mib) << 20;
                long t0 = System.nanoTime();
                long cpu0 = processCpuNanos();
                long[] ticks0 = userSystemTicks();
                long switches0 = voluntarySwitches();
                long[] sys0 = syscalls();
                Stream s = c.newStream(List.of("/bench/sink/1.0.0")).get(10, TimeUnit.SECONDS);
                OutputStream out = s.out();
                for (long sent = 0; sent < total; sent += chunk.length) out.write(chunk, 0, (int) Math.min(chunk.length, total - sent));
                out.flush();
                s.closeWrite();
                long acked = ByteBuffer.wrap(s.in().readNBytes(8)).getLong();
                double secs = (System.nanoTime() - t0) / 1e9;
                double cpuSecs = (processCpuNanos() - cpu0) / 1e9;
                long[] ticks1 = userSystemTicks();
                long switches = voluntarySwitches() - switches0;
                long[] sys1 = syscalls();
                if (acked != total) throw new IllegalStateException("acked " + acked + " of " + total);
                // CPU seconds per GiB (both ends, this process) tells variants apart on a busy machine;
                // so do the voluntary context switches, which do not depend on the machine's load.
                double gib = total / (double) (1L << 30);
                System.out.printf("%s %d MiB: %.1f MB/s, %.2f CPU-s per GiB (user %.2f, system %.2f), %.0f voluntary context switches, %.0f read and %.0f write calls per GiB%n",
                        run == 0 ? "warm-up" : "run " + run, total >> 20, total / 1e6 / secs, cpuSecs / gib,
                        (ticks1[0] - ticks0[0]) / 100.0 / gib, (ticks1[1] - ticks0[1]) / 100.0 / gib, switches / gib,
                        (sys1[0] - sys0[0]) / gib, (sys1[1] - sys0[1]) / gib);
            }
        }
    }
}
