package io.ggen.p2p.autonat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces for one test: every one named {@code g16a-<run>-<name>}, joined by veth
 * pairs, and all removed by {@link #close} (with the processes started in them), whether the
 * test passed or not. {@link #open} skips the test, saying why, without root, {@code ip} or
 * {@code iptables}.
 */
public final class NetLab implements AutoCloseable {
    final String run = "g16a-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<AutoCloseable> others = new ArrayList<>();

    private NetLab() {}

    public static NetLab open() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the NAT lab needs root (network namespaces)");
        assumeTrue(onPath("ip"), "the NAT lab needs iproute2's 'ip'");
        assumeTrue(onPath("iptables"), "the NAT lab needs iptables (apt-get install -y iptables)");
        NetLab lab = new NetLab();
        boolean ok = sh("ip", "netns", "add", lab.run + "-probe") == 0;
        if (ok) lab.namespaces.add(lab.run + "-probe");
        assumeTrue(ok, "cannot create network namespaces here");
        return lab;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : others) {
            try {
                c.close();
            } catch (Exception ignored) {
                // going on with the rest
            }
        }
        for (Process p : processes) {
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        for (String ns : namespaces) sh("ip", "netns", "del", ns);
    }

    /** Closed with the lab, before its namespaces go. */
    public <T extends AutoCloseable> T closeLater(T c) {
        others.add(c);
        return c;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    static int sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) System.err.println(String.join(" ", cmd) + " -> " + rc + ": " + out.strip());
        return rc;
    }

    public void must(String... cmd) throws Exception {
        assertThat(sh(cmd)).as(String.join(" ", cmd)).isZero();
    }

    public String ns(String name) throws Exception {
        String full = run + "-" + name;
        must("ip", "netns", "add", full);
        namespaces.add(full);
        must("ip", "-n", full, "link", "set", "lo", "up");
        return full;
    }

    /** A veth pair from {@code a} ({@code aIf}, {@code aAddr}) to {@code b} ({@code bIf}, {@code bAddr}); null addresses are left unset. */
    public void link(String a, String aIf, String aAddr, String b, String bIf, String bAddr) throws Exception {
        must("ip", "link", "add", aIf, "netns", a, "type", "veth", "peer", "name", bIf, "netns", b);
        if (aAddr != null) must("ip", "-n", a, "addr", "add", aAddr, "dev", aIf);
        if (bAddr != null) must("ip", "-n", b, "addr", "add", bAddr, "dev", bIf);
        must("ip", "-n", a, "link", "set", aIf, "up");
        must("ip", "-n", b, "link", "set", bIf, "up");
    }

    /**
     * A {@link LabPeer} in {@code ns}: its lines on stdout, in order. Waits look at every line
     * the peer printed so far, so the order in which a test waits does not matter.
     */
    public record Peer(Process process, BlockingQueue<String> lines, List<String> seen) {
        public String await(String prefix, Duration within) throws InterruptedException {
            return awaitLine(l -> l.startsWith(prefix), within, "starting with '" + prefix + "'");
        }

        public String awaitMatching(String regex, Duration within) throws InterruptedException {
            return awaitLine(l -> l.matches(regex), within, "matching '" + regex + "'");
        }

        private String awaitLine(java.util.function.Predicate<String> match, Duration within, String what) throws InterruptedException {
            Instant end = Instant.now().plus(within);
            while (true) {
                synchronized (seen) {
                    for (String l : seen) if (match.test(l)) return l;
                }
                if (!Instant.now().isBefore(end)) break;
                String line = lines.poll(Math.max(1, Duration.between(Instant.now(), end).toMillis()), TimeUnit.MILLISECONDS);
                if (line != null) {
                    synchronized (seen) {
                        seen.add(line);
                    }
                }
            }
            throw new AssertionError("no line " + what + " within " + within.toSeconds() + " s; lines: " + seen);
        }
    }

    public Peer javaPeer(String ns, List<String> jvmProps, String listen, String advertisedIp, List<String> bootstrap) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                ProcessHandle.current().info().command().orElse("java"), "-Xmx128m", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmProps);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LabPeer.class.getName(), listen, "/ip4/" + advertisedIp));
        cmd.addAll(bootstrap);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(p);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (IOException ignored) {
                // the peer is gone
            }
        });
        return new Peer(p, lines, new ArrayList<>());
    }
}
