package io.ggen.p2p.portmap;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ggen.p2p.lab.LabNamespaces;
import io.ggen.p2p.lab.Miniupnpd;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A home network with a UPnP/NAT-PMP/PCP router in network namespaces named
 * {@code g16p-<run>-*}: {@code home} (10.0.1.2) behind {@code router} (lan 10.0.1.1/24, wan
 * 192.0.1.1/24) running Debian's miniupnpd (nftables backend) with its own configuration, lease
 * file and nftables chains in a temporary directory, and {@code pub} (192.0.1.10) beyond the wan.
 * The wan is not on a documentation range because miniupnpd refuses to map behind a reserved
 * external address; nothing leaves the namespaces. {@link #close} stops every process and
 * removes every namespace, also after a failure ({@link LabNamespaces}, whose shutdown hook does
 * the same if the JVM ends first).
 */
final class MiniupnpdLab implements AutoCloseable {
    static final String WAN_IP = "192.0.1.1";
    static final String HOME_IP = "10.0.1.2";
    static final String PUB_IP = "192.0.1.10";
    private final LabNamespaces lab = LabNamespaces.create("g16p-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff)), Duration.ofSeconds(5));
    final String prefix = lab.prefix;
    final String router = prefix + "-r", home = prefix + "-h", pub = prefix + "-pub";
    final Path dir;
    final Path leases;

    private MiniupnpdLab(Path dir) {
        this.dir = dir;
        this.leases = dir.resolve("upnp.leases");
    }

    static void assumeAvailable() {
        assumeTrue("root".equals(System.getProperty("user.name")), "the port-mapping lab needs root (network namespaces)");
        for (String tool : List.of("ip", "nft", "miniupnpd")) {
            assumeTrue(Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/usr/bin", tool)) || Files.isExecutable(Path.of("/sbin", tool)),
                    "the port-mapping lab needs " + tool + " (apt-get install -y miniupnpd)");
        }
    }

    static MiniupnpdLab start(Path dir, boolean upnp, boolean natpmp) throws Exception {
        MiniupnpdLab lab = new MiniupnpdLab(dir);
        try {
            lab.build(upnp, natpmp);
            return lab;
        } catch (Exception | AssertionError e) {
            lab.close();
            throw e;
        }
    }

    private void build(boolean upnp, boolean natpmp) throws Exception {
        for (String tag : List.of("r", "h", "pub")) lab.add(tag);
        sh("ip", "link", "add", "wan", "netns", router, "type", "veth", "peer", "name", "eth0", "netns", pub);
        sh("ip", "-n", router, "addr", "add", WAN_IP + "/24", "dev", "wan");
        sh("ip", "-n", pub, "addr", "add", PUB_IP + "/24", "dev", "eth0");
        sh("ip", "link", "add", "lan", "netns", router, "type", "veth", "peer", "name", "eth0", "netns", home);
        sh("ip", "-n", router, "addr", "add", "10.0.1.1/24", "dev", "lan");
        sh("ip", "-n", home, "addr", "add", HOME_IP + "/24", "dev", "eth0");
        for (String[] l : new String[][] {{router, "wan"}, {router, "lan"}, {pub, "eth0"}, {home, "eth0"}}) sh("ip", "-n", l[0], "link", "set", l[1], "up");
        sh("ip", "-n", home, "route", "add", "default", "via", "10.0.1.1");
        sh("ip", "netns", "exec", router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        Files.writeString(dir.resolve("router.nft"), NFT_RULES);
        sh("ip", "netns", "exec", router, "nft", "-f", dir.resolve("router.nft").toString());
        Miniupnpd.start(lab, router, dir, Miniupnpd.config(upnp, natpmp, leases, "lab"), natpmp);
    }

    /**
     * The router's nftables: masquerade the home network, forward what the home side started
     * and what miniupnpd's DNAT rules let in, drop the rest; miniupnpd fills its own chains.
     */
    static final String NFT_RULES = """
            table inet lab {
              chain forward {
                type filter hook forward priority 0; policy drop;
                iifname "lan" oifname "wan" accept
                ct state established,related accept
                jump upnp_forward
              }
              chain upnp_forward { }
              chain prerouting {
                type nat hook prerouting priority -100; policy accept;
                jump upnp_prerouting
              }
              chain postrouting {
                type nat hook postrouting priority 100; policy accept;
                jump upnp_postrouting
                oifname "wan" masquerade
              }
              chain upnp_prerouting { }
              chain upnp_postrouting { }
            }
            """;

    /** miniupnpd's DNAT rules now (one line per mapping). */
    String dnatRules() throws Exception {
        return sh("ip", "netns", "exec", router, "nft", "list", "chain", "inet", "lab", "upnp_prerouting");
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("miniupnpd.log"));
    }

    /** A JVM running {@code mainClass} in namespace {@code ns}, its stdout lines in a queue. */
    record Jvm(Process process, BlockingQueue<String> lines) {}

    Jvm java(String ns, Class<?> mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, ProcessHandle.current().info().command().orElse("java"),
                "-Xmx96m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(List.of(args));
        Process p = lab.own(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (IOException ignored) {
                // the process is gone
            }
        });
        return new Jvm(p, lines);
    }

    static String sh(String... cmd) throws IOException, InterruptedException {
        return LabNamespaces.sh(cmd);
    }

    @Override
    public void close() {
        lab.close();
    }
}
