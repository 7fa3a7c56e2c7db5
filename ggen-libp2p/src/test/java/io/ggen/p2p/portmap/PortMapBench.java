package io.ggen.p2p.portmap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How long a mapping takes against miniupnpd in the lab ({@link MiniupnpdLab}, both UPnP and
 * NAT-PMP/PCP on): {@code trials} fresh probe JVMs per method, each timing from its
 * {@link PortMapper#start} to the mapping, then stopping (which deletes it). Prints per method
 * the median, p95 and max, and the probes' CPU time; run by {@code bench/portmap.sh}.
 */
public final class PortMapBench {
    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path dir = Files.createTempDirectory("g16p-bench");
        try (MiniupnpdLab lab = MiniupnpdLab.start(dir, true, true)) {
            System.out.printf("%-8s %6s %10s %10s %10s %14s%n", "method", "trials", "median_ms", "p95_ms", "max_ms", "probe_cpu_s");
            for (MappingMethod method : MappingMethod.values()) {
                List<Long> ms = new ArrayList<>();
                long cpuMs = 0;
                for (int i = 0; i < trials; i++) {
                    MiniupnpdLab.Jvm probe = lab.java(lab.home, PortMapProbe.class, method.name(), "4001", "600");
                    String mapped = probe.lines().poll(30, TimeUnit.SECONDS);
                    if (mapped == null || !mapped.startsWith("mapped ")) throw new IllegalStateException(method + ": " + mapped + "\n" + lab.log());
                    ms.add(Long.parseLong(mapped.substring(mapped.lastIndexOf(' ') + 1)));
                    probe.process().getOutputStream().close();
                    for (String l; (l = probe.lines().poll(30, TimeUnit.SECONDS)) != null; ) {
                        if (l.startsWith("stopped cpu_ms=")) {
                            cpuMs += Long.parseLong(l.substring("stopped cpu_ms=".length()));
                            break;
                        }
                    }
                    probe.process().waitFor(30, TimeUnit.SECONDS);
                }
                ms.sort(null);
                System.out.printf("%-8s %6d %10d %10d %10d %14.1f%n", method.wireName(), trials, ms.get(ms.size() / 2),
                        ms.get(Math.min(ms.size() - 1, (int) Math.ceil(ms.size() * 0.95) - 1)), ms.getLast(), cpuMs / 1000.0);
            }
        }
        System.out.println("load average: " + Files.readString(Path.of("/proc/loadavg")).strip());
    }
}
