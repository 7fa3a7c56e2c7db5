package io.ggen.cli.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import io.ggen.p2p.lab.LabNamespaces;
import io.ggen.p2p.lab.Miniupnpd;
import io.ggen.p2p.lab.netdelay.NetDelay;
import org.junit.jupiter.api.Assumptions;

/**
 * A small internet in network namespaces, for NAT traversal tests with real processes.
 *
 * <pre>
 *   &lt;p&gt;-pub: bridge "pubnet" on 198.51.100.0/24 (a documentation range, so public), relay at .10
 *      |                                   |
 *   &lt;p&gt;-ra: router A, wan 198.51.100.1     &lt;p&gt;-rb: router B, wan 198.51.100.2
 *      | lan 10.0.1.1/24                     | lan 10.0.2.1/24
 *   &lt;p&gt;-ha: home A, 10.0.1.2              &lt;p&gt;-hb: home B, 10.0.2.2
 * </pre>
 *
 * Each router masquerades its home network behind its wan address ({@link NatKind}), forwards
 * only what the home side started (conntrack ESTABLISHED,RELATED; with address-dependent
 * filtering also new connections from addresses the home side sent to) and drops, rather than
 * rejects, every unsolicited packet: a hole punch's first SYN must not be answered with a reset.
 * Routers have no default route, so a home node's private address is unreachable from the other
 * side at once (ICMP), not after a timeout.
 *
 * <p>The public segment has latency: every host on it (the routers' wan side, the relay, each
 * {@link #addPublicHost}) holds what arrives from it for {@link #PUBLIC_DELAY} +/- {@link
 * #PUBLIC_JITTER} ({@link NetDelay}, ingress, before conntrack), so two public hosts are 20-30 ms
 * apart each way and 40-60 ms per round trip; the home links have none. Names start with {@code
 * g16b-}; {@link #close} stops the delay shims and removes every namespace (and with them their
 * links and rules), also after a failed test, and a shutdown hook does the same if the JVM ends
 * first ({@link LabNamespaces}).
 *
 * <p>{@link #withMiniupnpd} builds the same lab (names {@code g16p-}) with Debian's miniupnpd
 * (UPnP IGD, NAT-PMP and PCP) on router A. Router A's wan is then {@link #MAPPED_WAN_IP} on the
 * same bridge, not a documentation address: miniupnpd refuses to map behind a reserved external
 * address. Nothing leaves the namespaces, so the choice of range does not matter outside them.
 */
public final class NatLab implements AutoCloseable {
    /** How a router maps its home network's connections and filters what comes back (RFC 4787's terms). */
    public enum NatKind {
        /**
         * Linux MASQUERADE: endpoint-independent mapping, keeping the source port when it can;
         * inbound passes only on a connection the home side opened (conntrack), which is
         * address-and-port-dependent filtering.
         */
        ENDPOINT_INDEPENDENT,
        /**
         * The same mapping, with address-dependent filtering: once the home host has sent to an
         * address, a new connection from any port of that address to the home's mapped port
         * gets in. Modelled with {@code -m recent}: outbound packets record their destination
         * ({@link #CONTACTED_LIST}, {@link #FILTER_TIMEOUT_S} s, the kernel bounds the list), and
         * a new inbound connection from a recorded address is forwarded (DNAT) to the home host
         * on the same port, which is its mapped port because MASQUERADE kept it. The lab has one
         * home host per router, so "the mapped port" needs no per-port table; a port the home
         * never used is forwarded too and answered by the home host's kernel.
         */
        ADDRESS_DEPENDENT_FILTERING,
        /** MASQUERADE --random-fully: a random port per connection, so no hole punch gets through. */
        SYMMETRIC
    }

    /** The {@code -m recent} list of addresses a home host has sent to, on an ADDRESS_DEPENDENT_FILTERING router. */
    public static final String CONTACTED_LIST = "contacted";
    /** How long a contacted address may open connections inward, as a NAT's filter entry outlives its last packet. */
    public static final int FILTER_TIMEOUT_S = 300;

    public static final String RELAY_IP = "198.51.100.10";
    /** The routers' wan addresses, where their home hosts appear on the public segment. */
    public static final String ROUTER_A_IP = "198.51.100.1", ROUTER_B_IP = "198.51.100.2";
    /** Router A's wan in a lab built {@link #withMiniupnpd}: the external address its mappings show. */
    public static final String MAPPED_WAN_IP = "192.0.1.1";
    /** One-way delay into each public host, and its uniform spread. */
    public static final Duration PUBLIC_DELAY = Duration.ofMillis(25), PUBLIC_JITTER = Duration.ofMillis(5);
    private static final int DELAY_QUEUE = 16;
    public final String prefix;
    public final String pub, routerA, routerB, homeA, homeB;
    private final LabNamespaces lab;
    /** Set in a lab built {@link #withMiniupnpd}: its configuration, log and lease file. */
    private Path upnpDir;

    private NatLab(String prefix) {
        this.prefix = prefix;
        this.pub = prefix + "-pub";
        this.routerA = prefix + "-ra";
        this.routerB = prefix + "-rb";
        this.homeA = prefix + "-ha";
        this.homeB = prefix + "-hb";
        this.lab = LabNamespaces.create(prefix, Duration.ofSeconds(5));
    }

    /** Skips the calling test, saying why, when the lab cannot be built here. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "the NAT lab needs root (network namespaces and iptables)");
        Assumptions.assumeTrue(onPath("ip"), "the NAT lab needs 'ip' (iproute2)");
        Assumptions.assumeTrue(onPath("iptables"), "the NAT lab needs 'iptables' (apt-get install iptables)");
        NetDelay.unavailable().ifPresent(why -> Assumptions.abort("the NAT lab's link delay: " + why));
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** Builds the lab with router A doing {@code a} and router B doing {@code b}. */
    public static NatLab create(NatKind a, NatKind b) throws IOException, InterruptedException {
        NatLab lab = new NatLab("g16b-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff)));
        try {
            lab.build(a, b);
            return lab;
        } catch (IOException | InterruptedException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** Skips the calling test, saying why, when miniupnpd or nft is missing. */
    public static void assumeMiniupnpd() {
        assumeAvailable();
        Assumptions.assumeTrue(onPath("miniupnpd"), "the port-mapping lab needs miniupnpd (apt-get install -y miniupnpd)");
        Assumptions.assumeTrue(onPath("nft"), "the port-mapping lab needs nft (apt-get install -y nftables)");
    }

    /**
     * The lab with miniupnpd on router A (endpoint-independent NAT), speaking UPnP IGD when
     * {@code upnp} and NAT-PMP/PCP when {@code natpmp}; its files go to {@code dir}.
     */
    public static NatLab withMiniupnpd(Path dir, boolean upnp, boolean natpmp) throws IOException, InterruptedException {
        NatLab lab = new NatLab("g16p-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff)));
        try {
            lab.upnpDir = dir;
            lab.build(NatKind.ENDPOINT_INDEPENDENT, NatKind.ENDPOINT_INDEPENDENT);
            lab.startMiniupnpd(upnp, natpmp);
            return lab;
        } catch (IOException | InterruptedException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /**
     * miniupnpd's own nftables table on router A: empty chains it fills (filter, DNAT, SNAT),
     * hooked in with policy accept, so the router's iptables rules still decide the rest.
     */
    private static final String MINIUPNPD_NFT = """
            table inet upnp {
              chain forward { type filter hook forward priority 0; policy accept; jump upnp_forward; }
              chain upnp_forward { }
              chain prerouting { type nat hook prerouting priority -100; policy accept; jump upnp_prerouting; }
              chain postrouting { type nat hook postrouting priority 100; policy accept; jump upnp_postrouting; }
              chain upnp_prerouting { }
              chain upnp_postrouting { }
            }
            """;

    private void startMiniupnpd(boolean upnp, boolean natpmp) throws IOException, InterruptedException {
        Files.writeString(upnpDir.resolve("upnp.nft"), MINIUPNPD_NFT);
        sh("ip", "netns", "exec", routerA, "nft", "-f", upnpDir.resolve("upnp.nft").toString());
        // what miniupnpd forwards arrives as a new connection, which the FORWARD policy would drop
        ipt(routerA, "-I", "FORWARD", "-i", "wan", "-o", "lan", "-m", "conntrack", "--ctstate", "DNAT", "-j", "ACCEPT");
        Miniupnpd.start(lab, routerA, upnpDir, Miniupnpd.config(upnp, natpmp, leaseFile(), "upnp"), natpmp);
    }

    /** miniupnpd's lease file: one line per mapping it holds. */
    public Path leaseFile() {
        return upnpDir.resolve("upnp.leases");
    }

    /** miniupnpd's log so far (for failure messages). */
    public String miniupnpdLog() {
        try {
            return Files.readString(upnpDir.resolve("miniupnpd.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The DNAT rules miniupnpd holds on router A now, one per mapping. */
    public String upnpRedirects() throws IOException, InterruptedException {
        return sh("ip", "netns", "exec", routerA, "nft", "list", "chain", "inet", "upnp", "upnp_prerouting");
    }

    private void build(NatKind a, NatKind b) throws IOException, InterruptedException {
        for (String tag : List.of("pub", "ra", "rb", "ha", "hb")) lab.add(tag);
        sh("ip", "-n", pub, "link", "add", "name", "pubnet", "type", "bridge");
        sh("ip", "-n", pub, "addr", "add", RELAY_IP + "/24", "dev", "pubnet");
        if (upnpDir != null) sh("ip", "-n", pub, "addr", "add", "192.0.1.254/24", "dev", "pubnet");
        sh("ip", "-n", pub, "link", "set", "pubnet", "up");
        // br_netfilter also shows the bridge's forwarded frames to this namespace's iptables: delay only the relay's own
        delay(pub, "pubnet", "-m", "addrtype", "--dst-type", "LOCAL");
        router(routerA, homeA, upnpDir != null ? MAPPED_WAN_IP : ROUTER_A_IP, "10.0.1", "a", a);
        if (upnpDir != null) sh("ip", "-n", routerA, "route", "add", "198.51.100.0/24", "dev", "wan");
        router(routerB, homeB, ROUTER_B_IP, "10.0.2", "b", b);
    }

    private void delay(String ns, String iface, String... match) throws IOException, InterruptedException {
        lab.closeLater(NetDelay.ingress(ns, iface, DELAY_QUEUE, PUBLIC_DELAY, PUBLIC_JITTER, match));
    }

    private void router(String router, String home, String wanIp, String lanNet, String tag, NatKind kind) throws IOException, InterruptedException {
        // wan: router <-> the public bridge
        sh("ip", "link", "add", "name", "wan", "netns", router, "type", "veth", "peer", "name", "to-" + tag, "netns", pub);
        sh("ip", "-n", pub, "link", "set", "to-" + tag, "master", "pubnet");
        sh("ip", "-n", pub, "link", "set", "to-" + tag, "up");
        sh("ip", "-n", router, "addr", "add", wanIp + "/24", "dev", "wan");
        sh("ip", "-n", router, "link", "set", "wan", "up");
        // lan: router <-> home
        sh("ip", "link", "add", "name", "lan", "netns", router, "type", "veth", "peer", "name", "eth0", "netns", home);
        sh("ip", "-n", router, "addr", "add", lanNet + ".1/24", "dev", "lan");
        sh("ip", "-n", router, "link", "set", "lan", "up");
        sh("ip", "-n", home, "addr", "add", lanNet + ".2/24", "dev", "eth0");
        sh("ip", "-n", home, "link", "set", "eth0", "up");
        sh("ip", "-n", home, "route", "add", "default", "via", lanNet + ".1");
        sh("ip", "netns", "exec", router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        List<String> masq = new ArrayList<>(List.of("ip", "netns", "exec", router, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j", "MASQUERADE"));
        if (kind == NatKind.SYMMETRIC) masq.add("--random-fully");
        sh(masq.toArray(String[]::new));
        ipt(router, "-P", "FORWARD", "DROP");
        if (kind == NatKind.ADDRESS_DEPENDENT_FILTERING) {
            String since = Integer.toString(FILTER_TIMEOUT_S);
            ipt(router, "-A", "FORWARD", "-i", "lan", "-o", "wan", "-m", "recent", "--name", CONTACTED_LIST, "--set", "--rdest");
            ipt(router, "-t", "nat", "-A", "PREROUTING", "-i", "wan", "-m", "recent", "--name", CONTACTED_LIST, "--rcheck", "--rsource",
                    "--seconds", since, "-j", "DNAT", "--to-destination", lanNet + ".2");
            ipt(router, "-A", "FORWARD", "-i", "wan", "-o", "lan", "-m", "conntrack", "--ctstate", "DNAT", "-m", "recent", "--name", CONTACTED_LIST,
                    "--rcheck", "--rsource", "--seconds", since, "-j", "ACCEPT");
        }
        ipt(router, "-A", "FORWARD", "-i", "lan", "-o", "wan", "-j", "ACCEPT");
        ipt(router, "-A", "FORWARD", "-i", "wan", "-o", "lan", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
        ipt(router, "-A", "INPUT", "-i", "wan", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
        ipt(router, "-A", "INPUT", "-i", "wan", "-j", "DROP");
        delay(router, "wan");
    }

    private static void ipt(String ns, String... rule) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "iptables"));
        cmd.addAll(List.of(rule));
        sh(cmd.toArray(String[]::new));
    }

    /** Runs a command to completion; fails with its output when it fails. */
    public static String sh(String... cmd) throws IOException, InterruptedException {
        return LabNamespaces.sh(cmd);
    }

    /**
     * A further public host on the bridge: a namespace of its own with {@code ip} (in
     * 198.51.100.0/24) on a veth joined to the bridge. Returns the namespace's name.
     */
    public synchronized String addPublicHost(String ip) throws IOException, InterruptedException {
        String tag = "p" + lab.size();
        String ns = lab.add(tag);
        sh("ip", "link", "add", "name", "eth0", "netns", ns, "type", "veth", "peer", "name", "to-" + tag, "netns", pub);
        sh("ip", "-n", pub, "link", "set", "to-" + tag, "master", "pubnet");
        sh("ip", "-n", pub, "link", "set", "to-" + tag, "up");
        sh("ip", "-n", ns, "addr", "add", ip + "/24", "dev", "eth0");
        sh("ip", "-n", ns, "link", "set", "eth0", "up");
        if (upnpDir != null) sh("ip", "-n", ns, "route", "add", "192.0.1.0/24", "dev", "eth0");
        delay(ns, "eth0");
        return ns;
    }

    /** Packets the router's NAT table has seen, per rule (for diagnosis in failure messages). */
    public String natCounters(String router) {
        try {
            return sh("ip", "netns", "exec", router, "iptables", "-t", "nat", "-L", "POSTROUTING", "-v", "-n");
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        lab.close();
    }
}
