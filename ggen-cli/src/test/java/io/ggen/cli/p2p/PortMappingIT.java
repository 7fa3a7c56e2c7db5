package io.ggen.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.testing.Ggen;
import io.ggen.cli.testing.NatLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code ggen} nodes in the NAT lab with miniupnpd on router A ({@link NatLab#withMiniupnpd}):
 * a home node behind it maps its listen port, AutoNAT (the relay, its one server here:
 * {@code autonat_confirmations = 1}) dials the mapped address and the node becomes public and
 * advertises it; and when the node stops, the router holds the mapping no more. Nothing is forced:
 * no reachability, no relay.
 */
class PortMappingIT {
    @TempDir
    Path tmp;
    private final List<Ggen.Running> running = new ArrayList<>();
    private NatLab lab;

    @BeforeAll
    static void labAvailable() {
        NatLab.assumeMiniupnpd();
    }

    @AfterEach
    void tearDown() {
        running.forEach(Ggen.Running::close);
        if (lab != null) lab.close();
    }

    private record Node(Ggen ggen, Ggen.Running process, String peerId) {}

    private Node start(String name, String ns, String config, String... args) throws Exception {
        return start(name, ns, Map.of(), config, args);
    }

    private Node start(String name, String ns, Map<String, String> env, String config, String... args) throws Exception {
        Path home = Files.createDirectories(tmp.resolve(name));
        Files.writeString(home.resolve("p2p-config.toml"), "[nat]\npublic_ranges = [\"198.51.100.0/24\"]\n" + config);
        Ggen g = Ggen.at(home).inNetns(ns);
        List<String> cmd = new ArrayList<>(List.of("marketplace", "p2p", "start"));
        cmd.addAll(List.of(args));
        Ggen.Running r = g.start(env, cmd.toArray(String[]::new));
        running.add(r);
        String peer = r.awaitLine("Peer ID: ").substring("Peer ID: ".length()).trim();
        r.awaitLine("Node ready");
        return new Node(g, r, peer);
    }

    private static JsonNode json(Ggen g, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(args));
        cmd.addAll(List.of("--format", "json"));
        Ggen.Result r = g.run(cmd.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.json();
    }

    /** Relay on the public segment, the home node behind router A; returns [relay, home] once the home node's mapping is confirmed public. */
    private Node[] homeWithMapping(String method) throws Exception {
        Node relay = start("relay", lab.pub, "", "--listen", "/ip4/" + NatLab.RELAY_IP + "/tcp/4001");
        String relayAddr = "/ip4/" + NatLab.RELAY_IP + "/tcp/4001/p2p/" + relay.peerId();
        // the test harness turns port mapping off for every node (GGEN_P2P_PORT_MAPPING=false); on here
        Node home = start("home", lab.homeA, Map.of("GGEN_P2P_PORT_MAPPING", "true"), "autonat_confirmations = 1\nport_mapping_method = \"" + method + "\"\n",
                "--listen", "/ip4/0.0.0.0/tcp/4001", "--bootstrap", relayAddr);
        String mapped = "/ip4/" + NatLab.MAPPED_WAN_IP + "/tcp/4001";
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode s = json(home.ggen(), "marketplace", "p2p", "status");
            JsonNode maps = s.path("nat").path("port_mappings");
            assertThat(maps).as(s.path("nat") + "\n" + lab.miniupnpdLog()).hasSize(1);
            assertThat(maps.get(0).path("method").asText()).isEqualTo(method);
            assertThat(maps.get(0).path("protocol").asText()).isEqualTo("tcp");
            assertThat(maps.get(0).path("internal_port").asInt()).isEqualTo(4001);
            assertThat(maps.get(0).path("external_addr").asText()).isEqualTo(NatLab.MAPPED_WAN_IP + ":4001");
            assertThat(maps.get(0).path("expires_in_secs").asLong()).isBetween(1L, 3600L);
            assertThat(s.path("reachability").asText()).as(s.toString()).isEqualTo("public");
            assertThat(s.path("reachability_source").asText()).isEqualTo("autonat");
            assertThat(s.path("advertised_addrs").toString()).as("the mapped address, dialed back by AutoNAT, is advertised").contains(mapped + "/p2p/" + home.peerId());
        });
        // for the record (docs/internals.md): how long after the node's start the mapping came
        try (var lines = Files.lines(home.ggen().home.resolve("logs/node.log"))) {
            List<String> log = lines.toList();
            System.out.println("[port mapping timing] first log line: " + (log.isEmpty() ? "" : log.get(0)));
            log.stream().filter(l -> l.contains("port mapping: " + method + " maps")).findFirst().ifPresent(l -> System.out.println("[port mapping timing] " + l));
        }
        Ggen.Result table = home.ggen().run("marketplace", "p2p", "status");
        assertThat(table.out()).contains("Port mapping:").contains("tcp 4001 -> " + NatLab.MAPPED_WAN_IP + ":4001 (" + method + ", expires in");
        assertThat(lab.upnpRedirects()).contains("dport 4001").contains("10.0.1.2:4001");
        return new Node[] {relay, home};
    }

    private void stopAndCheckTheMappingIsGone(Node home) throws Exception {
        Ggen.Result stop = home.ggen().run("marketplace", "p2p", "stop");
        assertThat(stop.exit()).as(stop.toString()).isZero();
        assertThat(home.process().exit()).isZero();
        assertThat(lab.upnpRedirects()).as(lab.miniupnpdLog()).doesNotContain("dport 4001");
        if (Files.exists(lab.leaseFile())) assertThat(Files.readString(lab.leaseFile())).doesNotContain("TCP:4001:");
    }

    @Test
    void upnpMapsThePortAPublicNodeDialsTheHomeNodeDirectlyAndInstallsAndStopDeletesTheMapping() throws Exception {
        lab = NatLab.withMiniupnpd(Files.createDirectories(tmp.resolve("upnp")), true, false);
        Node[] n = homeWithMapping("upnp");
        Node relay = n[0], home = n[1];
        assertThat(Files.readString(lab.leaseFile())).contains("TCP:4001:10.0.1.2:4001:").contains(":ggen");

        String installerNs = lab.addPublicHost("198.51.100.12");
        Node installer = start("installer", installerNs, "", "--listen", "/ip4/198.51.100.12/tcp/4001",
                "--bootstrap", "/ip4/" + NatLab.RELAY_IP + "/tcp/4001/p2p/" + relay.peerId());
        assertThat(home.ggen().run("marketplace", "key", "generate").exit()).isZero();
        Path src = Files.createDirectories(tmp.resolve("src/io.example.mapped/templates"));
        Files.writeString(src.getParent().resolve("gpack.toml"), """
                [gpack]
                id = "io.example.mapped"
                name = "Mapped"
                version = "1.0.0"
                description = "Served from behind a router that maps its port"
                license = "MIT"
                ggen_compat = ">=0.1"
                tags = ["mapped"]
                """);
        Files.writeString(src.resolve("main.tmpl"), "mapped\n");
        Ggen.Result pub = home.ggen().run("marketplace", "p2p", "publish", src.getParent().toString());
        assertThat(pub.exit()).as(pub.toString()).isZero();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(P2pMarketplaceIT.ids(json(installer.ggen(), "marketplace", "p2p", "search", "mapped"))).contains("io.example.mapped@1.0.0"));
        Path proj = Files.createDirectories(tmp.resolve("proj"));
        Ggen.Result install = installer.ggen().run("marketplace", "p2p", "install", "io.example.mapped", "--target", proj.toString());
        assertThat(install.exit()).as(install.toString()).isZero();
        assertThat(install.out()).doesNotContain("through a relay");
        assertThat(P2pMarketplaceIT.tree(proj.resolve(".ggen/gpacks/io.example.mapped"))).isEqualTo(P2pMarketplaceIT.tree(src.getParent()));

        JsonNode peer = json(installer.ggen(), "marketplace", "p2p", "peer-info", home.peerId(), "--full");
        assertThat(peer.path("relayed").asBoolean()).as(peer.toString()).isFalse();
        assertThat(peer.path("connections").toString()).as("the installer dialed the mapped address itself")
                .contains("\"remote_addr\":\"/ip4/" + NatLab.MAPPED_WAN_IP + "/tcp/4001").contains("\"direction\":\"outbound\"");
        assertThat(json(home.ggen(), "marketplace", "p2p", "status").path("nat").path("hole_punch_rounds").asLong()).as("no hole punch needed").isZero();

        stopAndCheckTheMappingIsGone(home);
    }

    @Test
    void pcpMapsThePortAutonatConfirmsItAndStopDeletesTheMapping() throws Exception {
        lab = NatLab.withMiniupnpd(Files.createDirectories(tmp.resolve("pcp")), false, true);
        Node[] n = homeWithMapping("pcp");
        stopAndCheckTheMappingIsGone(n[1]);
    }
}
