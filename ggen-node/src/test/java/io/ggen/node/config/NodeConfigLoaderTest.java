package io.ggen.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import io.ggen.node.config.NodeConfigLoader.Flags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigLoaderTest {
    @TempDir
    Path dir;

    Path file(String text) throws Exception {
        return Files.writeString(dir.resolve("p2p-config.toml"), text);
    }

    @Test
    void noFileGivesTheDefaults() {
        NodeConfig c = NodeConfigLoader.load(dir.resolve("absent.toml"), false, Map.of(), Flags.NONE);
        assertThat(c.listenAddresses()).hasToString("[/ip4/0.0.0.0/tcp/0]");
        assertThat(c.bootstrapNodes()).isEmpty();
        assertThat(c.dhtServerMode()).isTrue();
        assertThat(c.dhtMode()).isEqualTo("server");
        assertThat(c.packagesTopic()).isEqualTo("/ggen/packages/v1");
        assertThat(c.dhtProtocol()).isEqualTo("/ggen/kad/1.0.0");
        assertThat(c.settings().values()).allMatch(s -> s.source().equals("default"));
    }

    @Test
    void gossipsubMeshHeartbeatAndMessageSizeComeFromTheConfiguration() throws Exception {
        var defaults = NodeConfigLoader.load(dir.resolve("absent.toml"), false, Map.of(), Flags.NONE).gossipsub();
        assertThat(defaults).isEqualTo(io.ggen.p2p.pubsub.gossipsub.GossipsubConfig.defaults());
        var tuned = NodeConfigLoader.load(file("""
                [pubsub]
                mesh_degree = 8
                mesh_degree_low = 6
                mesh_degree_high = 16
                heartbeat_ms = 700
                max_message_kib = 256
                """), true, Map.of(), Flags.NONE).gossipsub();
        assertThat(List.of(tuned.d(), tuned.dLo(), tuned.dHi())).containsExactly(8, 6, 16);
        assertThat(tuned.heartbeat()).hasMillis(700);
        assertThat(tuned.maxMessageSize()).isEqualTo(256 * 1024);
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[pubsub]\nmesh_degree_low = 7\n"), true, Map.of(), Flags.NONE))
                .hasMessageContaining(":2:1: pubsub.mesh_degree_low (7) must not exceed pubsub.mesh_degree (6, default)");
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[pubsub]\nmesh_degree = 13\n"), true, Map.of(), Flags.NONE))
                .hasMessageContaining(":2:1: pubsub.mesh_degree (13) must not exceed pubsub.mesh_degree_high (12, default)");
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[pubsub]\nheartbeat_ms = 10\n"), true, Map.of(), Flags.NONE))
                .hasMessageContaining("pubsub.heartbeat_ms: 10 is out of range; expected an integer from 100 to 60000");
    }

    @Test
    void bandwidthLimitsAndTheMetricsAddressAreReadAndCheckedWithTheirPlace() throws Exception {
        NodeConfig c = NodeConfigLoader.load(file("""
                [metrics]
                listen = "127.0.0.1:9464"
                [bandwidth]
                upload = "2 MiB/s"
                download = "10MB/s"
                """), true, Map.of(), Flags.NONE);
        assertThat(c.uploadLimit()).isEqualTo(2L << 20);
        assertThat(c.downloadLimit()).isEqualTo(10_000_000L);
        assertThat(c.metricsListen()).hasValue(new java.net.InetSocketAddress("127.0.0.1", 9464));
        NodeConfig d = NodeConfigLoader.load(dir.resolve("absent.toml"), false, Map.of(), Flags.NONE);
        assertThat(d.uploadLimit()).isZero();
        assertThat(d.downloadLimit()).isZero();
        assertThat(d.metricsListen()).isEmpty();
        assertThat(NodeConfigLoader.load(dir.resolve("absent.toml"), false, Map.of("GGEN_METRICS_LISTEN", "[::1]:0"), Flags.NONE).metricsListen())
                .hasValueSatisfying(a -> assertThat(a.getAddress().isLoopbackAddress()).isTrue());
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[bandwidth]\nupload = \"fast\"\n"), true, Map.of(), Flags.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(":2:1: bandwidth.upload: \"fast\" is not a rate; write it like \"2 MiB/s\"");
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[bandwidth]\ndownload = \"10 KiB/s\"\n"), true, Map.of(), Flags.NONE))
                .hasMessageContaining("bandwidth.download: \"10 KiB/s\" is below the lowest limit, 256 KiB/s");
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[bandwidth]\nupload = 5\n"), true, Map.of(), Flags.NONE))
                .hasMessageContaining("bandwidth.upload: expected a rate like \"2 MiB/s\", or \"0\" for no limit, got an integer (5)");
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[metrics]\nlisten = \"0.0.0.0\"\n"), true, Map.of(), Flags.NONE))
                .hasMessageContaining(":2:1: metrics.listen: \"0.0.0.0\" has no port; expected an address like \"127.0.0.1:9464\"");
        for (String unlimited : List.of("0", "unlimited", "")) {
            assertThat(NodeConfigLoader.load(file("[bandwidth]\nupload = \"" + unlimited + "\"\n"), true, Map.of(), Flags.NONE).uploadLimit()).isZero();
        }
    }

    @Test
    void flagsBeatEnvironmentBeatsFileBeatsDefaults() throws Exception {
        Path f = file("""
                listen_addresses = ["/ip4/127.0.0.1/tcp/4001"]
                bootstrap_nodes = ["/ip4/127.0.0.1/tcp/4005/p2p/12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D"]
                dht_server_mode = false
                [api]
                port = 5001
                """);
        NodeConfig fileOnly = NodeConfigLoader.load(f, true, Map.of(), Flags.NONE);
        assertThat(fileOnly.listenAddresses()).hasToString("[/ip4/127.0.0.1/tcp/4001]");
        assertThat(fileOnly.apiPort()).isEqualTo(5001);
        assertThat(fileOnly.dhtMode()).isEqualTo("client");
        assertThat(fileOnly.settings().get("api.port").source()).endsWith("p2p-config.toml:5:1");

        Map<String, String> env = Map.of("GGEN_P2P_LISTEN", "/ip4/127.0.0.1/tcp/4002, /ip6/::1/tcp/4002", "GGEN_P2P_DHT_SERVER", "yes");
        NodeConfig withEnv = NodeConfigLoader.load(f, true, env, Flags.NONE);
        assertThat(withEnv.listenAddresses()).hasToString("[/ip4/127.0.0.1/tcp/4002, /ip6/::1/tcp/4002]");
        assertThat(withEnv.dhtServerMode()).isTrue();
        assertThat(withEnv.bootstrapNodes()).hasSize(1);

        NodeConfig withFlags = NodeConfigLoader.load(f, true, env, new Flags(List.of("/ip4/127.0.0.1/tcp/4003"), List.of(), false));
        assertThat(withFlags.listenAddresses()).hasToString("[/ip4/127.0.0.1/tcp/4003]");
        assertThat(withFlags.dhtServerMode()).isFalse();
        assertThat(withFlags.settings().get("listen_addresses").source()).isEqualTo("--listen");
        assertThat(withFlags.settings().get("bootstrap_nodes").source()).endsWith(":2:1");
    }

    @Test
    void logLevelComesFromTheEnvironmentAndIsChecked() throws Exception {
        Path f = file("[log]\nlevel = \"warn\"\n");
        NodeConfig fromEnv = NodeConfigLoader.load(f, true, Map.of("GGEN_LOG_LEVEL", "DEBUG"), Flags.NONE);
        assertThat(fromEnv.logLevel()).isEqualTo("debug");
        assertThat(fromEnv.settings().get("log.level").source()).isEqualTo("GGEN_LOG_LEVEL");
        assertThat(NodeConfigLoader.load(f, true, Map.of(), Flags.NONE).settings().get("log.level").source()).endsWith("p2p-config.toml:2:1");
        assertThatThrownBy(() -> NodeConfigLoader.load(f, true, Map.of("GGEN_LOG_LEVEL", "verbose"), Flags.NONE))
                .hasMessage("environment GGEN_LOG_LEVEL: log.level: expected one of error, warn, info, debug, trace, got \"verbose\"");
    }

    @Test
    void natKeysBuildTheAddressClassificationAndAutonat() throws Exception {
        NodeConfig lab = NodeConfigLoader.load(file("""
                [nat]
                public_ranges = ["198.51.100.0/24", "203.0.113.0/24"]
                force_reachability = "private"
                autonat_confirmations = 3
                """), true, Map.of(), Flags.NONE);
        assertThat(lab.addressClassifier().classify(io.ggen.p2p.multiaddr.Multiaddr.fromString("/ip4/198.51.100.7/tcp/1")))
                .isEqualTo(io.ggen.p2p.multiaddr.AddressScope.PUBLIC);
        assertThat(lab.autonat().forced()).contains(io.ggen.p2p.core.Event.Reachability.PRIVATE);
        assertThat(lab.autonat().confirmations()).isEqualTo(3);
        NodeConfig defaults = NodeConfigLoader.load(dir.resolve("absent.toml"), false, Map.of(), Flags.NONE);
        assertThat(defaults.autonat().forced()).isEmpty();
        assertThat(defaults.autonat().server()).isTrue();
        assertThat(defaults.addressClassifier().classify(io.ggen.p2p.multiaddr.Multiaddr.fromString("/ip4/198.51.100.7/tcp/1")))
                .isEqualTo(io.ggen.p2p.multiaddr.AddressScope.UNROUTABLE);
        NodeConfig flag = NodeConfigLoader.load(dir.resolve("absent.toml"), false, Map.of("GGEN_P2P_FORCE_REACHABILITY", "private"),
                new Flags(List.of(), List.of(), null, "public", null));
        assertThat(flag.autonat().forced()).contains(io.ggen.p2p.core.Event.Reachability.PUBLIC);
        assertThat(flag.settings().get("nat.force_reachability").source()).isEqualTo("--force-reachability");
        String shown = ConfigToml.render(lab, false, false);
        assertThat(shown).contains("public_ranges = [\"198.51.100.0/24\", \"203.0.113.0/24\"]");
    }

    @Test
    void portMappingIsOnByDefaultAndTheFileTheEnvironmentAndTheFlagTurnItOffInThatOrder() throws Exception {
        NodeConfig defaults = NodeConfigLoader.load(dir.resolve("absent.toml"), false, Map.of(), Flags.NONE);
        assertThat(defaults.portMapping()).isTrue();
        assertThat(defaults.portMappingMethods()).containsExactly(io.ggen.p2p.portmap.MappingMethod.PCP, io.ggen.p2p.portmap.MappingMethod.NATPMP,
                io.ggen.p2p.portmap.MappingMethod.UPNP);
        Path off = file("[nat]\nport_mapping = false\nport_mapping_method = \"upnp\"\n");
        NodeConfig fromFile = NodeConfigLoader.load(off, true, Map.of(), Flags.NONE);
        assertThat(fromFile.portMapping()).isFalse();
        assertThat(fromFile.portMappingMethods()).containsExactly(io.ggen.p2p.portmap.MappingMethod.UPNP);
        NodeConfig fromEnv = NodeConfigLoader.load(off, true, Map.of("GGEN_P2P_PORT_MAPPING", "true"), Flags.NONE);
        assertThat(fromEnv.portMapping()).isTrue();
        assertThat(fromEnv.settings().get("nat.port_mapping").source()).isEqualTo("GGEN_P2P_PORT_MAPPING");
        NodeConfig fromFlag = NodeConfigLoader.load(off, true, Map.of("GGEN_P2P_PORT_MAPPING", "true"),
                new Flags(List.of(), List.of(), null, null, null, false));
        assertThat(fromFlag.portMapping()).isFalse();
        assertThat(fromFlag.settings().get("nat.port_mapping").source()).isEqualTo("--port-mapping");
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[nat]\nport_mapping_method = \"igd\"\n"), true, Map.of(), Flags.NONE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("port_mapping_method").hasMessageContaining("auto, pcp, natpmp, upnp");
    }

    @Test
    void mdnsIsOnByDefaultAndTheEnvironmentTurnsItOff() throws Exception {
        assertThat(NodeConfigLoader.load(dir.resolve("absent.toml"), false, Map.of(), Flags.NONE).mdns())
                .hasValueSatisfying(c -> assertThat(c.serviceName()).isEqualTo("_p2p._udp.local"));
        assertThat(NodeConfigLoader.load(dir.resolve("absent.toml"), false, Map.of("GGEN_P2P_MDNS", "false"), Flags.NONE).mdns()).isEmpty();
        assertThat(NodeConfigLoader.load(file("[discovery]\nmdns = false\n"), true, Map.of(), Flags.NONE).mdns()).isEmpty();
        assertThat(NodeConfigLoader.load(file("[discovery]\nmdns_service = \"_mylab._udp.local\"\n"), true, Map.of(), Flags.NONE).mdns())
                .hasValueSatisfying(c -> assertThat(c.serviceName()).isEqualTo("_mylab._udp.local"));
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[discovery]\nmdns_service = \"p2p.local\"\n"), true, Map.of(), Flags.NONE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("discovery.mdns_service: an mDNS service name looks like");
    }

    @Test
    void badNatValuesSayWhatIsWrong() throws Exception {
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[nat]\npublic_ranges = [\"198.51.100.0/33\"]\n"), true, Map.of(), Flags.NONE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nat.public_ranges: item 1:").hasMessageContaining("at most 32");
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[nat]\nforce_reachability = \"maybe\"\n"), true, Map.of(), Flags.NONE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("one of \"\", public, private");
        assertThatThrownBy(() -> NodeConfigLoader.load(dir.resolve("absent.toml"), false, Map.of(), new Flags(List.of(), List.of(), null, "sometimes", null)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--force-reachability");
    }

    @Test
    void directWaitIsTenSecondsUnlessSetAndOutOfRangeValuesSaySo() throws Exception {
        assertThat(NodeConfigLoader.load(dir.resolve("absent.toml"), false, Map.of(), Flags.NONE).directWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(NodeConfigLoader.load(file("[nat]\ndirect_wait_secs = 3\n"), true, Map.of(), Flags.NONE).directWait()).isEqualTo(Duration.ofSeconds(3));
        assertThat(NodeConfigLoader.load(file("[nat]\ndirect_wait_secs = 0\n"), true, Map.of(), Flags.NONE).directWait()).isZero();
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[nat]\ndirect_wait_secs = 301\n"), true, Map.of(), Flags.NONE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nat.direct_wait_secs").hasMessageContaining("from 0 to 300");
    }

    @Test
    void dhtModeOverridesTheServerFlagWhenSet() throws Exception {
        assertThat(NodeConfigLoader.load(file("dht_server_mode = false\n[dht]\nmode = \"auto\"\n"), true, Map.of(), Flags.NONE).dhtMode()).isEqualTo("auto");
    }

    @Test
    void errorsNameTheFileLineColumnKeyAndWhatIsAccepted() throws Exception {
        assertThatThrownBy(() -> NodeConfigLoader.load(file("\n\n  packages_topic = \"no-slash\"\n"), true, Map.of(), Flags.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("p2p-config.toml:3:3: packages_topic: expected a topic name starting with '/'");
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[dht]\nalpha = 11\n"), true, Map.of(), Flags.NONE))
                .hasMessageContaining(":2:1: dht.alpha: 11 is out of range; expected an integer from 1 to 10");
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[dht]\nmode = \"sometimes\"\n"), true, Map.of(), Flags.NONE))
                .hasMessageContaining("dht.mode: expected one of \"\", server, client, auto");
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[limits]\nconnection_low_water = 300\n"), true, Map.of(), Flags.NONE))
                .hasMessageContaining("limits.connection_low_water (300) must be below limits.connection_high_water (192, default)");
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[api]\nport = 1.5\n"), true, Map.of(), Flags.NONE))
                .hasMessageContaining("api.port: expected an integer from 0 to 65535, got a float (1.5)");
        assertThatThrownBy(() -> NodeConfigLoader.load(file("api = 3\n"), true, Map.of(), Flags.NONE))
                .hasMessageContaining("unknown key 'api'");
        assertThatThrownBy(() -> NodeConfigLoader.load(file("[api]\nport = 1\n[api]\nport = 2\n"), true, Map.of(), Flags.NONE))
                .hasMessageContaining("invalid TOML");
        assertThatThrownBy(() -> NodeConfigLoader.load(dir.resolve("nope.toml"), true, Map.of(), Flags.NONE))
                .hasMessageContaining("nope.toml: no such file");
        assertThatThrownBy(() -> NodeConfigLoader.load(dir.resolve("absent.toml"), false, Map.of("GGEN_P2P_BOOTSTRAP", "/dns4/x/tcp/1"), Flags.NONE))
                .hasMessageContaining("environment GGEN_P2P_BOOTSTRAP: bootstrap_nodes: \"/dns4/x/tcp/1\" has no peer id");
        assertThatThrownBy(() -> NodeConfigLoader.load(dir.resolve("absent.toml"), false, Map.of(), new Flags(List.of("/dns4/example.com/tcp/1"), List.of(), null)))
                .hasMessageContaining("--listen: listen_addresses: \"/dns4/example.com/tcp/1\" cannot be listened on");
    }

    @Test
    void theInitTemplateLoadsBackAsTheDefaults() throws Exception {
        Path f = file(ConfigToml.render(NodeConfig.defaults(), true, false));
        NodeConfig c = NodeConfigLoader.load(f, true, Map.of(), Flags.NONE);
        for (var e : NodeConfig.defaults().settings().entrySet()) {
            assertThat(c.settings().get(e.getKey()).value()).as(e.getKey()).isEqualTo(e.getValue().value());
        }
    }

    @Test
    void anyFileContentIsEitherAConfigOrAConfigException() {
        qt().withExamples(300).forAll(strings().allPossible().ofLengthBetween(0, 200)).checkAssert(text -> {
            try {
                Files.write(dir.resolve("p2p-config.toml"), text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                NodeConfigLoader.load(dir.resolve("p2p-config.toml"), true, Map.of(), Flags.NONE);
            } catch (ConfigException e) {
                assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
            } catch (Exception e) {
                throw new AssertionError("unexpected " + e, e);
            }
        });
    }

    /** Found by fuzzing (gpack.toml first): tomlj throws for this escape instead of reporting it. */
    @Test
    void anInvalidEscapeInAQuotedTableKeyIsAConfigErrorOfOneLine() throws Exception {
        Path f = file("[\"a\\E\"]\nx = 1\n");
        assertThatThrownBy(() -> NodeConfigLoader.load(f, true, Map.of(), Flags.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid TOML")
                .hasMessageNotContaining("\n");
    }
}
