package io.ggen.p2p.lab.netdelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The netdelay shim on a veth pair between two namespaces ({@code g16d-<run>-a}, {@code -b}):
 * with 25 ms held on each side's ingress, a TCP echo's round trip is at least 50 ms (the
 * packets are held: a functional fact, not a speed claim; the round trip without the shim is
 * printed beside it), a few MiB still cross intact, and a shim on an egress whose queue is full
 * lets packets pass and counts them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NetDelayTest {
    private static final long MIB = 1024 * 1024;
    private final String run = "g16d-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    private final String a = run + "-a", b = run + "-b";
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<NetDelay> shims = new ArrayList<>();
    private final Thread cleanup = new Thread(this::removeAll);

    @AfterEach
    void tearDown() {
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // never added, or the JVM is already running the hook
        }
    }

    private synchronized void removeAll() {
        shims.forEach(NetDelay::close);
        for (Process p : processes) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        for (String ns : namespaces) {
            try {
                sh("ip", "netns", "delete", ns);
            } catch (IOException | InterruptedException e) {
                // already gone
            }
        }
        namespaces.clear();
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() throws Exception {
        assumeTrue(NetDelay.unavailable().isEmpty(), () -> NetDelay.unavailable().orElseThrow());
        Path shim = NetDelay.binary();
        for (List<String> args : List.of(List.of("--queue", "1", "--delay", "soon"), List.of("--queue", "1", "--delay", "5", "--jitter", "9"),
                List.of("--delay", "5"), List.of("--queue", "70000", "--delay", "5"), List.of("--queue", "1", "--delay", "5", "--max-packets", "0"))) {
            List<String> cmd = new ArrayList<>(List.of(shim.toString()));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(args + " -> " + out).isEqualTo(2);
            assertThat(out.strip().lines()).as(args.toString()).hasSize(1).allMatch(l -> l.startsWith("netdelay: --"));
        }
    }

    @Test
    void twentyFiveMsEachWayHoldsPacketsAndTcpStillCarriesData() throws Exception {
        pair();
        serve();
        long before = rttMinMicros();
        NetDelay toB = keep(NetDelay.ingress(b, "eth0", 7, Duration.ofMillis(25), Duration.ZERO));
        NetDelay toA = keep(NetDelay.ingress(a, "eth0", 7, Duration.ofMillis(25), Duration.ZERO));
        long with = rttMinMicros();
        System.out.printf("netdelay: TCP echo round trip without the shim %d us, with 25 ms each way %d us%n", before, with);
        assertThat(with).as("round trip with 25 ms held each way (without: %d us)", before).isGreaterThanOrEqualTo(50_000);
        String sent = probe("send", "4194304");
        System.out.println("netdelay: 4 MiB over 25 ms each way: " + sent);
        assertThat(sent).startsWith("sent bytes=" + 4 * MIB + " match=true");

        for (NetDelay shim : List.of(toB, toA)) {
            String counters = shim.stop();
            assertThat(shim.exitValue()).as("SIGTERM ends the shim cleanly: " + counters).isZero();
            assertThat(counter(counters, "delayed")).as(counters).isPositive();
            assertThat(counter(counters, "overflowed")).as(counters).isZero();
        }
    }

    @Test
    void aFullShimLetsPacketsPassAndCountsThem() throws Exception {
        pair();
        serve();
        NetDelay tight = keep(NetDelay.egress(a, "eth0", 9, Duration.ofMillis(25), Duration.ofMillis(5), 1));
        assertThat(probe("send", Long.toString(2 * MIB))).startsWith("sent bytes=" + 2 * MIB + " match=true");
        String counters = tight.stop();
        assertThat(tight.exitValue()).isZero();
        assertThat(counter(counters, "delayed")).as(counters).isPositive();
        assertThat(counter(counters, "overflowed")).as(counters).isPositive();
    }

    private NetDelay keep(NetDelay d) {
        shims.add(d);
        return d;
    }

    private static long counter(String line, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=(\\d+)").matcher(line);
        assertThat(m.find()).as("%s in '%s'", name, line).isTrue();
        return Long.parseLong(m.group(1));
    }

    private void pair() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the netdelay test needs root (network namespaces, iptables)");
        assumeTrue(onPath("ip") && onPath("iptables"), "the netdelay test needs ip (iproute2) and iptables");
        assumeTrue(NetDelay.unavailable().isEmpty(), () -> NetDelay.unavailable().orElseThrow());
        Runtime.getRuntime().addShutdownHook(cleanup);
        for (String ns : List.of(a, b)) {
            sh("ip", "netns", "add", ns);
            namespaces.add(ns);
            sh("ip", "-n", ns, "link", "set", "lo", "up");
        }
        sh("ip", "link", "add", "name", "eth0", "netns", a, "type", "veth", "peer", "name", "eth0", "netns", b);
        sh("ip", "-n", a, "addr", "add", "10.77.0.1/24", "dev", "eth0");
        sh("ip", "-n", b, "addr", "add", "10.77.0.2/24", "dev", "eth0");
        sh("ip", "-n", a, "link", "set", "eth0", "up");
        sh("ip", "-n", b, "link", "set", "eth0", "up");
    }

    private void serve() throws Exception {
        Process server = java(b, "serve", "10.77.0.2", "7000");
        String first = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(first).as("the probe server in %s", b).isEqualTo("listening");
    }

    private long rttMinMicros() throws Exception {
        String line = probe("rtt", "20");
        return counter(line, "min");
    }

    /** Runs a {@link LinkProbe} client in namespace a against the server in b; returns its last line. */
    private String probe(String mode, String arg) throws Exception {
        Process p = java(a, mode, "10.77.0.2", "7000", arg);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("probe %s finished", mode).isTrue();
        assertThat(p.exitValue()).as("probe %s: %s", mode, out).isZero();
        List<String> lines = out.strip().lines().toList();
        return lines.get(lines.size() - 1);
    }

    private Process java(String ns, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, ProcessHandle.current().info().command().orElse("java"),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), LinkProbe.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(p);
        return p;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
    }
}
