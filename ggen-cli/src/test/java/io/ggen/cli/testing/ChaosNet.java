package io.ggen.cli.testing;

import static io.ggen.cli.testing.NatLab.sh;

import io.ggen.p2p.lab.LabNamespaces;
import io.ggen.p2p.lab.netdelay.NetDelay;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The chaos lab's network: one namespace per node, each on a veth joined to one bridge (in a
 * namespace of its own, the hub), in two sites of documentation addresses, side A in
 * 198.51.100.0/24 and side B in 203.0.113.0/24, each site's range on-link for the other, so the
 * two talk directly over the bridge until {@link #partition()} cuts them apart.
 *
 * <p>Faults, all in the node's own namespace (these kernels have no {@code tc netem}): delay with
 * the {@code lab/netdelay} NFQUEUE shim on what a node receives ({@link #setDelay}); loss with
 * iptables' statistic match on what a node receives ({@link #setLoss}), so a link loses about
 * the sum of its two ends' rates; a partition as DROP rules in chain {@value #PARTITION_CHAIN} of
 * every node between the two sites, so connections across time out as on a cut cable, rather
 * than being refused. Names start with {@code g19c-} (the soak's {@code g19s-}); {@link #close}
 * deletes every namespace (with them their links and rules) after killing the processes it was
 * given ({@link #own}), and a shutdown hook does the same when the JVM ends first (Ctrl-C of the
 * long runs): {@link LabNamespaces}.
 */
public final class ChaosNet implements AutoCloseable {
    public static final String SITE_A = "198.51.100";
    public static final String SITE_B = "203.0.113";
    static final String PARTITION_CHAIN = "G19C-PART";
    static final String LOSS_CHAIN = "G19C-LOSS";

    /** One node's place: its namespace, address, side and a connector into its namespace. */
    public record Place(int index, String ns, String ip, boolean sideA, Netns netns) {
        public String listen() {
            return "/ip4/" + ip + "/tcp/4001";
        }
    }

    public final String prefix;
    public final String hub;
    private final List<Place> places = new ArrayList<>();
    // The nodes are killed at once: a lab run's end is no place to wait for graceful shutdowns.
    private final LabNamespaces lab;
    private boolean partitioned;

    private ChaosNet(String prefix) {
        this.prefix = prefix;
        this.hub = prefix + "-hub";
        this.lab = LabNamespaces.create(prefix, Duration.ZERO);
    }

    /**
     * Builds the hub and {@code nodes} node namespaces, the first half side A, the rest side B,
     * named {@code prefix-...} ({@code g19c-} and a random tag when null; the soak's are {@code g19s-},
     * or another {@code g19<letter>-} a run is given so that labs run side by side never share names; a script
     * that wants to clean up after a killed JVM chooses it).
     */
    public static ChaosNet create(int nodes, String prefix) throws IOException, InterruptedException {
        if (nodes < 2 || nodes > 100) throw new IllegalArgumentException("nodes must be 2..100, got " + nodes);
        if (prefix != null && !prefix.matches("g19[a-z]-[0-9a-z]{1,6}")) throw new IllegalArgumentException("prefix must be g19<letter>- (g19c- chaos, g19s- soak) and 1-6 of [0-9a-z], got " + prefix);
        ChaosNet net = new ChaosNet(prefix != null ? prefix : "g19c-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff)));
        try {
            net.build(nodes);
            return net;
        } catch (IOException | InterruptedException | RuntimeException e) {
            net.close();
            throw e;
        }
    }

    private void build(int nodes) throws IOException, InterruptedException {
        lab.add("hub");
        sh("ip", "-n", hub, "link", "add", "name", "br0", "type", "bridge");
        sh("ip", "-n", hub, "link", "set", "br0", "up");
        int half = (nodes + 1) / 2;
        for (int i = 0; i < nodes; i++) {
            boolean a = i < half;
            String ip = (a ? SITE_A : SITE_B) + "." + (11 + (a ? i : i - half));
            String ns = lab.add("n" + i);
            String port = "v" + i;
            sh("ip", "link", "add", "name", "eth0", "netns", ns, "type", "veth", "peer", "name", port, "netns", hub);
            sh("ip", "-n", hub, "link", "set", port, "master", "br0");
            sh("ip", "-n", hub, "link", "set", port, "up");
            sh("ip", "-n", ns, "addr", "add", ip + "/24", "dev", "eth0");
            sh("ip", "-n", ns, "link", "set", "eth0", "up");
            sh("ip", "-n", ns, "route", "add", (a ? SITE_B : SITE_A) + ".0/24", "dev", "eth0");
            for (String chain : List.of(PARTITION_CHAIN, LOSS_CHAIN)) ipt(ns, "-N", chain);
            ipt(ns, "-A", "INPUT", "-j", PARTITION_CHAIN);
            ipt(ns, "-A", "OUTPUT", "-j", PARTITION_CHAIN);
            ipt(ns, "-A", "INPUT", "-i", "eth0", "-j", LOSS_CHAIN);
            places.add(new Place(i, ns, ip, a, lab.closeLater(new Netns(ns))));
        }
    }

    private static void ipt(String ns, String... rule) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "iptables", "-w"));
        cmd.addAll(List.of(rule));
        sh(cmd.toArray(String[]::new));
    }

    public List<Place> places() {
        return List.copyOf(places);
    }

    /** Drops each packet {@code node} receives with probability {@code p} (0 clears). */
    public void setLoss(Place node, double p) throws IOException, InterruptedException {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("loss must be in [0, 1), got " + p);
        ipt(node.ns(), "-F", LOSS_CHAIN);
        if (p > 0) {
            ipt(node.ns(), "-A", LOSS_CHAIN, "-m", "statistic", "--mode", "random", "--probability", String.format(Locale.ROOT, "%.4f", p), "-j", "DROP");
        }
    }

    /**
     * Holds every packet {@code node} receives on its link for {@code delay} +/- {@code jitter}
     * (uniform), with the {@code lab/netdelay} shim on its ingress: a packet between two nodes
     * crosses one ingress, so this is the one-way delay of each of the node's links.
     */
    public synchronized void setDelay(Place node, Duration delay, Duration jitter) throws IOException, InterruptedException {
        lab.closeLater(NetDelay.ingress(node.ns(), "eth0", 1, delay, jitter));
    }

    /** Why links cannot be delayed here, or empty when they can. */
    public static Optional<String> delayUnavailable() {
        return NetDelay.unavailable();
    }

    /** Cuts every path between side A and side B (both directions, packets dropped silently). */
    public synchronized void partition() throws IOException, InterruptedException {
        for (Place p : places) {
            String other = (p.sideA() ? SITE_B : SITE_A) + ".0/24";
            ipt(p.ns(), "-A", PARTITION_CHAIN, "-s", other, "-j", "DROP");
            ipt(p.ns(), "-A", PARTITION_CHAIN, "-d", other, "-j", "DROP");
        }
        partitioned = true;
    }

    /** Removes the partition. */
    public synchronized void heal() throws IOException, InterruptedException {
        for (Place p : places) ipt(p.ns(), "-F", PARTITION_CHAIN);
        partitioned = false;
    }

    public synchronized boolean partitioned() {
        return partitioned;
    }

    /** Packets the loss rule of {@code node} dropped so far. */
    public long lossDrops(Place node) {
        try {
            String out = sh("ip", "netns", "exec", node.ns(), "iptables", "-w", "-L", LOSS_CHAIN, "-v", "-n", "-x");
            for (String line : out.split("\n")) {
                String t = line.trim();
                if (t.contains("DROP") && t.contains("statistic")) return Long.parseLong(t.split("\\s+")[0]);
            }
            return 0;
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return -1;
        }
    }

    /** A process living in one of the lab's namespaces: killed before the namespaces go. */
    public void own(Process p) {
        lab.own(p);
    }

    @Override
    public void close() {
        lab.close();
    }
}
