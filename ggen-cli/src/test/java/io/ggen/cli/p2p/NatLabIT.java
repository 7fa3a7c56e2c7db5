package io.ggen.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.testing.Ggen;
import io.ggen.cli.testing.NatLab;
import io.ggen.cli.testing.NatLab.NatKind;
import io.ggen.p2p.lab.netdelay.LinkProbe;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code ggen} nodes in the NAT lab ({@link NatLab}): a relay on the public segment, a
 * publisher behind router A and an installer behind router B. The publisher reserves on the
 * relay and advertises its relayed address; the installer reaches it through the relay, and DCUtR
 * turns that into a direct connection when the NATs allow it. Most tests tell the nodes their
 * reachability ({@code GGEN_P2P_FORCE_REACHABILITY}, as AutoNAT would find); one forces nothing
 * and lets AutoNAT, with two more public nodes as its servers, find it. Every node counts the
 * lab's documentation range as public ({@code nat.public_ranges}), as a node on the internet
 * counts its public addresses.
 */
class NatLabIT {
    @TempDir
    Path tmp;
    private final List<Ggen.Running> running = new ArrayList<>();
    private final List<Process> probes = new ArrayList<>();
    private NatLab lab;

    @BeforeAll
    static void labAvailable() {
        NatLab.assumeAvailable();
    }

    @AfterEach
    void tearDown() {
        running.forEach(Ggen.Running::close);
        probes.forEach(Process::destroyForcibly);
        if (lab != null) lab.close();
    }

    private record Node(Ggen ggen, Ggen.Running process, String peerId) {}

    private static final String LAB_CONFIG = """
            [nat]
            public_ranges = ["198.51.100.0/24"]
            """;

    private Node start(String name, String ns, Map<String, String> env, String... args) throws Exception {
        return startWith(name, ns, env, LAB_CONFIG, args);
    }

    private Node startWith(String name, String ns, Map<String, String> env, String config, String... args) throws Exception {
        Path home = Files.createDirectories(tmp.resolve(name));
        Files.writeString(home.resolve("p2p-config.toml"), config);
        Ggen g = Ggen.at(home).inNetns(ns);
        List<String> cmd = new ArrayList<>(List.of("marketplace", "p2p", "start"));
        cmd.addAll(List.of(args));
        Ggen.Running r = g.start(env, cmd.toArray(String[]::new));
        running.add(r);
        String peer = r.awaitLine("Peer ID: ").substring("Peer ID: ".length()).trim();
        r.awaitLine("Node ready");
        return new Node(g, r, peer);
    }

    private Path pack(String id) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("src").resolve(id));
        Files.createDirectories(dir.resolve("templates/cli"));
        Files.writeString(dir.resolve("gpack.toml"), """
                [gpack]
                id = "%s"
                name = "Pack %s"
                version = "1.0.0"
                description = "Made at home behind a NAT"
                license = "MIT"
                ggen_compat = ">=0.1"
                tags = ["homemade"]
                """.formatted(id, id));
        Files.writeString(dir.resolve("templates/cli/main.tmpl"), "fn main() { /* " + id + " */ }\n");
        return dir;
    }

    private static JsonNode json(Ggen g, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(args));
        cmd.addAll(List.of("--format", "json"));
        Ggen.Result r = g.run(cmd.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.json();
    }

    /** Relay, publisher behind A, installer behind B; returns [relay, publisher, installer] once the publisher is reachable through the relay. */
    private Node[] network(NatKind a, NatKind b) throws Exception {
        return network(a, b, "");
    }

    /** As {@link #network(NatKind, NatKind)}, with {@code installerNat} added to the installer's [nat] table. */
    private Node[] network(NatKind a, NatKind b, String installerNat) throws Exception {
        lab = NatLab.create(a, b);
        Node relay = start("relay", lab.pub, Map.of("GGEN_P2P_FORCE_REACHABILITY", "public"),
                "--listen", "/ip4/" + NatLab.RELAY_IP + "/tcp/4001");
        String relayAddr = "/ip4/" + NatLab.RELAY_IP + "/tcp/4001/p2p/" + relay.peerId();
        Map<String, String> home = Map.of("GGEN_P2P_FORCE_REACHABILITY", "private");
        Node publisher = start("publisher", lab.homeA, home, "--listen", "/ip4/0.0.0.0/tcp/4001", "--bootstrap", relayAddr);
        Node installer = startWith("installer", lab.homeB, home, LAB_CONFIG + installerNat, "--listen", "/ip4/0.0.0.0/tcp/4001", "--bootstrap", relayAddr);
        for (Node n : List.of(publisher, installer)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode nat = json(n.ggen(), "marketplace", "p2p", "status").path("nat");
                assertThat(nat.path("relayed_addrs").toString()).contains(relayAddr + "/p2p-circuit");
            });
        }
        JsonNode relayNat = json(relay.ggen(), "marketplace", "p2p", "status").path("nat");
        assertThat(relayNat.path("relay_service_on").asBoolean()).isTrue();
        assertThat(relayNat.path("relay_reservations").asInt()).isEqualTo(2);
        return new Node[] {relay, publisher, installer};
    }

    private Path publishAndInstall(Node publisher, Node installer, String id, List<String> out) throws Exception {
        assertThat(publisher.ggen().run("marketplace", "key", "generate").exit()).isZero();
        Path src = pack(id);
        Ggen.Result pub = publisher.ggen().run("marketplace", "p2p", "publish", src.toString());
        assertThat(pub.exit()).as(pub.toString()).isZero();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(P2pMarketplaceIT.ids(json(installer.ggen(), "marketplace", "p2p", "search", "homemade"))).contains(id + "@1.0.0"));
        Path proj = Files.createDirectories(tmp.resolve("proj-" + id));
        Ggen.Result install = installer.ggen().run("marketplace", "p2p", "install", id, "--target", proj.toString());
        assertThat(install.exit()).as(install.toString()).isZero();
        assertThat(P2pMarketplaceIT.tree(proj.resolve(".ggen/gpacks/" + id))).isEqualTo(P2pMarketplaceIT.tree(src));
        out.add(install.out());
        return proj;
    }

    @Test
    void behindTwoPortKeepingNatsTheInstallRunsOverAHolePunchedConnection() throws Exception {
        installIsHolePunched(NatKind.ENDPOINT_INDEPENDENT, "io.example.homemade");
    }

    @Test
    void behindTwoAddressDependentFilteringNatsTheInstallRunsOverAHolePunchedConnection() throws Exception {
        installIsHolePunched(NatKind.ADDRESS_DEPENDENT_FILTERING, "io.example.adf");
    }

    private void installIsHolePunched(NatKind kind, String id) throws Exception {
        Node[] n = network(kind, kind);
        Node publisher = n[1], installer = n[2];
        List<String> out = new ArrayList<>();
        publishAndInstall(publisher, installer, id, out);
        assertThat(out.get(0)).doesNotContain("through a relay");

        JsonNode peer = json(installer.ggen(), "marketplace", "p2p", "peer-info", publisher.peerId(), "--full");
        assertThat(peer.path("relayed").asBoolean()).as(peer.toString()).isFalse();
        JsonNode nat = json(publisher.ggen(), "marketplace", "p2p", "status").path("nat");
        assertThat(nat.path("hole_punch_direct").asLong()).as(nat.toString() + "\n" + lab.natCounters(lab.routerA)).isGreaterThanOrEqualTo(1);
        JsonNode seenByPublisher = json(publisher.ggen(), "marketplace", "p2p", "peer-info", installer.peerId());
        assertThat(seenByPublisher.path("hole_punch").asText()).contains("hole punching");
    }

    /**
     * The lab's routers filter as their kind says: after both homes sent to a public host X from
     * port 7000, X gets a new connection (from another port) through the address-dependent
     * router to that port, but not through the conntrack-filtering one; a host neither home sent
     * to gets through neither.
     */
    @Test
    void anAddressDependentRouterLetsInAContactedAddressFromAnyPortAndNoOneElse() throws Exception {
        lab = NatLab.create(NatKind.ADDRESS_DEPENDENT_FILTERING, NatKind.ENDPOINT_INDEPENDENT);
        String contacted = lab.addPublicHost("198.51.100.11");
        String stranger = lab.addPublicHost("198.51.100.12");
        for (String[] server : new String[][] {{contacted, "198.51.100.11"}, {lab.homeA, "0.0.0.0"}, {lab.homeB, "0.0.0.0"}}) {
            Process p = linkProbe(server[0], "serve", server[1], "7000");
            assertThat(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine())
                    .as("probe server in %s", server[0]).isEqualTo("listening");
        }
        for (String home : List.of(lab.homeA, lab.homeB)) {
            assertThat(linkProbeExit(home, "rtt", "198.51.100.11", "7000", "1", "7000")).as("%s reaches X from port 7000", home).isZero();
        }
        assertThat(linkProbeExit(contacted, "rtt", NatLab.ROUTER_A_IP, "7000", "1"))
                .as("address-dependent filtering: X, from a new port, reaches home A\n" + lab.natCounters(lab.routerA)).isZero();
        assertThat(linkProbeExit(contacted, "rtt", NatLab.ROUTER_B_IP, "7000", "1"))
                .as("address-and-port-dependent filtering: X, from a new port, does not reach home B").isEqualTo(3);
        assertThat(linkProbeExit(stranger, "rtt", NatLab.ROUTER_A_IP, "7000", "1"))
                .as("address-dependent filtering: a host home A never sent to does not reach it").isEqualTo(3);
    }

    private Process linkProbe(String ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, ProcessHandle.current().info().command().orElse("java"),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Dprobe.connectMs=3000", "-cp", System.getProperty("java.class.path"),
                LinkProbe.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        probes.add(p);
        return p;
    }

    /** Runs a probe client to its end; its exit code (0 reached and echoed, 3 could not connect). */
    private int linkProbeExit(String ns, String... args) throws Exception {
        Process p = linkProbe(ns, args);
        p.getInputStream().transferTo(System.out);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void behindASymmetricNatTheInstallCompletesThroughTheRelayAndSaysWhy() throws Exception {
        // the installer gives hole punching 4 s (nat.direct_wait_secs) rather than the default 10
        Node[] n = network(NatKind.SYMMETRIC, NatKind.ENDPOINT_INDEPENDENT, "direct_wait_secs = 4\n");
        Node publisher = n[1], installer = n[2];
        List<String> out = new ArrayList<>();
        publishAndInstall(publisher, installer, "io.example.symmetric", out);
        assertThat(out.get(0)).contains("Note: fetched").contains("through a relay").contains("no direct connection came within 4 s")
                .contains("hole punching did not succeed");

        JsonNode peer = json(installer.ggen(), "marketplace", "p2p", "peer-info", publisher.peerId());
        assertThat(peer.path("relayed").asBoolean()).as(peer.toString()).isTrue();
        // The install gave up waiting after 4 s; the publisher's three rounds (each a dial
        // that times out against the symmetric NAT) end later, and then say why.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(
                json(publisher.ggen(), "marketplace", "p2p", "peer-info", installer.peerId()).path("hole_punch").asText())
                .contains("still relayed after 3 hole-punch attempts"));
    }

    @Test
    void withNothingForcedAutonatFindsTheHomesPrivateTheRelayServesAndTheInstallIsHolePunched() throws Exception {
        lab = NatLab.create(NatKind.ENDPOINT_INDEPENDENT, NatKind.ENDPOINT_INDEPENDENT);
        Map<String, String> none = Map.of();
        // two more public nodes: AutoNAT needs two servers to agree (nat.autonat_confirmations)
        String pubA = lab.addPublicHost("198.51.100.11");
        String pubB = lab.addPublicHost("198.51.100.12");
        String noRelay = LAB_CONFIG + "relay_service = \"off\"\n";
        Node relay = startWith("relay", lab.pub, none, LAB_CONFIG + "relay_service = \"auto\"\n", "--listen", "/ip4/" + NatLab.RELAY_IP + "/tcp/4001");
        String relayAddr = "/ip4/" + NatLab.RELAY_IP + "/tcp/4001/p2p/" + relay.peerId();
        Node serverA = startWith("server-a", pubA, none, noRelay, "--listen", "/ip4/198.51.100.11/tcp/4001", "--bootstrap", relayAddr);
        Node serverB = startWith("server-b", pubB, none, noRelay, "--listen", "/ip4/198.51.100.12/tcp/4001", "--bootstrap", relayAddr);
        List<String> publicNodes = List.of(relayAddr, "/ip4/198.51.100.11/tcp/4001/p2p/" + serverA.peerId(), "/ip4/198.51.100.12/tcp/4001/p2p/" + serverB.peerId());
        List<String> homeArgs = new ArrayList<>(List.of("--listen", "/ip4/0.0.0.0/tcp/4001"));
        for (String b : publicNodes) homeArgs.addAll(List.of("--bootstrap", b));
        Node publisher = start("publisher", lab.homeA, none, homeArgs.toArray(String[]::new));
        Node installer = start("installer", lab.homeB, none, homeArgs.toArray(String[]::new));

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            JsonNode s = json(relay.ggen(), "marketplace", "p2p", "status");
            assertThat(s.path("reachability").asText()).as(s.toString()).isEqualTo("public");
            assertThat(s.path("reachability_source").asText()).isEqualTo("autonat");
            assertThat(s.path("nat").path("relay_service_on").asBoolean()).as("relay_service = auto, and AutoNAT says public").isTrue();
        });
        for (Node n : List.of(publisher, installer)) {
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                JsonNode s = json(n.ggen(), "marketplace", "p2p", "status");
                assertThat(s.path("reachability").asText()).as(s.toString()).isEqualTo("private");
                assertThat(s.path("reachability_source").asText()).isEqualTo("autonat");
                assertThat(s.path("nat").path("relayed_addrs").toString()).contains(relayAddr + "/p2p-circuit");
                assertThat(s.path("advertised_addrs").toString()).as("the relayed address is advertised").contains(relayAddr + "/p2p-circuit");
            });
        }
        assertThat(json(serverA.ggen(), "marketplace", "p2p", "status").path("nat").path("relay_service_on").asBoolean()).isFalse();

        List<String> out = new ArrayList<>();
        publishAndInstall(publisher, installer, "io.example.autonat", out);
        assertThat(out.get(0)).doesNotContain("through a relay");
        JsonNode peer = json(installer.ggen(), "marketplace", "p2p", "peer-info", publisher.peerId(), "--full");
        assertThat(peer.path("relayed").asBoolean()).as(peer.toString()).isFalse();
        JsonNode nat = json(publisher.ggen(), "marketplace", "p2p", "status").path("nat");
        assertThat(nat.path("hole_punch_direct").asLong()).as(nat.toString() + "\n" + lab.natCounters(lab.routerA)).isGreaterThanOrEqualTo(1);
    }
}
