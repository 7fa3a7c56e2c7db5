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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * AutoNAT through a real NAT: network namespaces joined by veth pairs, a "public" segment on
 * 198.51.100.0/24 (a bridge), two AutoNAT servers and a public node on it, and a home node on
 * 10.0.0.0/24 behind a router doing iptables MASQUERADE. The home node must learn PRIVATE, the
 * public node PUBLIC. Every namespace is named {@code g16a-<run>-...} and removed after the
 * test, failed or not. Needs root, {@code ip} and {@code iptables} (.ci/run installs it);
 * skipped with a message otherwise.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NatLabTest {
    private final String run = "g16a-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> peers = new ArrayList<>();

    @BeforeEach
    void needsRootAndTools() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the NAT lab needs root (network namespaces)");
        assumeTrue(onPath("ip"), "the NAT lab needs iproute2's 'ip'");
        assumeTrue(onPath("iptables"), "the NAT lab needs iptables (apt-get install -y iptables)");
        assumeTrue(sh("ip", "netns", "add", run + "-probe") == 0, "cannot create network namespaces here");
        namespaces.add(run + "-probe");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : peers) {
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        for (String ns : namespaces) sh("ip", "netns", "del", ns);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    private static int sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) System.err.println(String.join(" ", cmd) + " -> " + rc + ": " + out.strip());
        return rc;
    }

    private void must(String... cmd) throws Exception {
        assertThat(sh(cmd)).as(String.join(" ", cmd)).isZero();
    }

    private String ns(String name) throws Exception {
        String full = run + "-" + name;
        must("ip", "netns", "add", full);
        namespaces.add(full);
        must("ip", "-n", full, "link", "set", "lo", "up");
        return full;
    }

    /** A veth pair from {@code a} ({@code aIf}, {@code aAddr}) to {@code b} ({@code bIf}). */
    private void link(String a, String aIf, String aAddr, String b, String bIf, String bAddr) throws Exception {
        must("ip", "link", "add", aIf, "netns", a, "type", "veth", "peer", "name", bIf, "netns", b);
        if (aAddr != null) must("ip", "-n", a, "addr", "add", aAddr, "dev", aIf);
        if (bAddr != null) must("ip", "-n", b, "addr", "add", bAddr, "dev", bIf);
        must("ip", "-n", a, "link", "set", aIf, "up");
        must("ip", "-n", b, "link", "set", bIf, "up");
    }

    private record Peer(Process process, BlockingQueue<String> lines) {
        String await(String prefix, Duration within) throws InterruptedException {
            Instant end = Instant.now().plus(within);
            while (Instant.now().isBefore(end)) {
                String line = lines.poll(Duration.between(Instant.now(), end).toMillis(), TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(prefix)) return line;
            }
            throw new AssertionError("no line starting with '" + prefix + "' within " + within.toSeconds() + " s");
        }
    }

    private Peer peer(String ns, String listen, String advertisedIp, List<String> bootstrap) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                ProcessHandle.current().info().command().orElse("java"), "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), LabPeer.class.getName(), listen, "/ip4/" + advertisedIp));
        cmd.addAll(bootstrap);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        peers.add(p);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (IOException ignored) {
                // the peer is gone
            }
        });
        return new Peer(p, lines);
    }

    @Test
    void aNodeBehindNatLearnsPrivateAndAPublicNodeLearnsPublic() throws Exception {
        String wan = ns("wan");
        must("ip", "-n", wan, "link", "add", "br0", "type", "bridge");
        must("ip", "-n", wan, "link", "set", "br0", "up");
        String[][] publics = {{"srv1", "198.51.100.11"}, {"srv2", "198.51.100.12"}, {"pub", "198.51.100.13"}, {"rtr", "198.51.100.1"}};
        List<String> names = new ArrayList<>();
        for (String[] p : publics) {
            String n = ns(p[0]);
            names.add(n);
            link(n, "eth0", p[1] + "/24", wan, "p-" + p[0], null);
            must("ip", "-n", wan, "link", "set", "p-" + p[0], "master", "br0");
        }
        String rtr = names.get(3);
        String home = ns("home");
        link(home, "eth0", "10.0.0.2/24", rtr, "lan0", "10.0.0.1/24");
        must("ip", "-n", home, "route", "add", "default", "via", "10.0.0.1");
        must("ip", "netns", "exec", rtr, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        must("ip", "netns", "exec", rtr, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "eth0", "-j", "MASQUERADE");

        Peer srv1 = peer(names.get(0), "/ip4/0.0.0.0/tcp/0", "198.51.100.11", List.of());
        Peer srv2 = peer(names.get(1), "/ip4/0.0.0.0/tcp/0", "198.51.100.12", List.of());
        String a1 = srv1.await("READY ", Duration.ofSeconds(60)).substring(6);
        String a2 = srv2.await("READY ", Duration.ofSeconds(60)).substring(6);
        Peer pub = peer(names.get(2), "/ip4/0.0.0.0/tcp/0", "198.51.100.13", List.of(a1, a2));
        Peer behindNat = peer(home, "/ip4/0.0.0.0/tcp/0", "10.0.0.2", List.of(a1, a2));

        assertThat(behindNat.await("REACHABILITY ", Duration.ofSeconds(90))).isEqualTo("REACHABILITY PRIVATE 2");
        assertThat(pub.await("REACHABILITY ", Duration.ofSeconds(90))).isEqualTo("REACHABILITY PUBLIC 2");
    }
}
