package io.ggen.node.config;

import io.ggen.p2p.host.ConnectionManagerConfig;
import io.ggen.p2p.host.ResourceLimits;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's effective configuration: every key of {@link ConfigKey#ALL} with its value and the
 * source it came from (flag, environment variable, file position, or default).
 */
public final class NodeConfig {
    /** A value and where it came from, e.g. {@code "--listen"}, {@code "GGEN_P2P_LISTEN"}, {@code "p2p-config.toml:3:1"}. */
    public record Setting(Object value, String source) {}

    public static final String DEFAULT_SOURCE = "default";

    private final Map<String, Setting> settings;

    NodeConfig(Map<String, Setting> settings) {
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** The defaults alone, as a node with no file, environment or flags would run. */
    public static NodeConfig defaults() {
        Map<String, Setting> m = new LinkedHashMap<>();
        for (ConfigKey k : ConfigKey.ALL) m.put(k.name(), new Setting(k.convert(k.defaultValue()), DEFAULT_SOURCE));
        return new NodeConfig(m);
    }

    public Map<String, Setting> settings() {
        return settings;
    }

    private Object get(String key) {
        Setting s = settings.get(key);
        if (s == null) throw new IllegalArgumentException("no config key " + key);
        return s.value();
    }

    @SuppressWarnings("unchecked")
    public List<Multiaddr> listenAddresses() {
        return (List<Multiaddr>) get(ConfigKey.LISTEN);
    }

    @SuppressWarnings("unchecked")
    public List<Multiaddr> bootstrapNodes() {
        return (List<Multiaddr>) get(ConfigKey.BOOTSTRAP);
    }

    public boolean dhtServerMode() {
        return (Boolean) get(ConfigKey.DHT_SERVER);
    }

    public String packagesTopic() {
        return (String) get(ConfigKey.TOPIC);
    }

    public int apiPort() {
        return intValue("api.port");
    }

    public int intValue(String key) {
        return Math.toIntExact((Long) get(key));
    }

    public String string(String key) {
        return (String) get(key);
    }

    public ResourceLimits limits() {
        ResourceLimits d = ResourceLimits.defaults();
        return new ResourceLimits(intValue("limits.max_connections"), intValue("limits.max_connections_per_peer"),
                d.maxPendingInbound(), d.maxPendingOutbound(), intValue("limits.max_streams_per_connection"),
                d.maxNegotiatingStreams(), (long) intValue("limits.max_buffered_mib") << 20);
    }

    public ConnectionManagerConfig connectionManager() {
        ConnectionManagerConfig d = ConnectionManagerConfig.defaults();
        return new ConnectionManagerConfig(intValue("limits.connection_low_water"), intValue("limits.connection_high_water"),
                d.gracePeriod(), d.checkInterval());
    }

    /** Gossipsub settings: the spec's defaults with the mesh degrees, heartbeat and message size of the configuration. */
    public io.ggen.p2p.pubsub.gossipsub.GossipsubConfig gossipsub() {
        return io.ggen.p2p.pubsub.gossipsub.GossipsubConfig.defaults()
                .withMesh(intValue("pubsub.mesh_degree"), intValue("pubsub.mesh_degree_low"), intValue("pubsub.mesh_degree_high"))
                .withHeartbeat(java.time.Duration.ofMillis(intValue("pubsub.heartbeat_ms")))
                .withMaxMessageSize(intValue("pubsub.max_message_kib") * 1024);
    }

    public String dhtProtocol() {
        return string("dht.protocol");
    }

    /** server, client or auto: {@code dht.mode} when set, otherwise from {@code dht_server_mode}. */
    public String dhtMode() {
        String mode = string("dht.mode");
        if (!mode.isEmpty()) return mode;
        return dhtServerMode() ? "server" : "client";
    }

    public int dhtAlpha() {
        return intValue("dht.alpha");
    }

    public Duration dhtQueryTimeout() {
        return Duration.ofSeconds(intValue("dht.query_timeout_secs"));
    }

    public int searchPeers() {
        return intValue("marketplace.search_peers");
    }

    /** mDNS discovery settings, or empty when {@code discovery.mdns} is off. */
    public java.util.Optional<io.ggen.p2p.discovery.mdns.MdnsService.Config> mdns() {
        if (!(Boolean) get("discovery.mdns")) return java.util.Optional.empty();
        return java.util.Optional.of(io.ggen.p2p.discovery.mdns.MdnsService.Config.defaults().withServiceName(string("discovery.mdns_service")));
    }

    /** Which addresses count as public: the built-in ranges changed by {@code nat.public_ranges} and {@code nat.private_ranges}. */
    @SuppressWarnings("unchecked")
    public io.ggen.p2p.multiaddr.AddressClassifier addressClassifier() {
        return new io.ggen.p2p.multiaddr.AddressClassifier((List<io.ggen.p2p.multiaddr.IpRange>) get("nat.public_ranges"),
                (List<io.ggen.p2p.multiaddr.IpRange>) get("nat.private_ranges"));
    }

    /** AutoNAT as configured: on or off, forced reachability, confirmations, the address classification. */
    public io.ggen.p2p.autonat.AutonatConfig autonat() {
        boolean on = (Boolean) get("nat.autonat");
        return io.ggen.p2p.autonat.AutonatConfig.defaults()
                .withRoles(on, on)
                .withForced(forcedReachability())
                .withConfirmations(intValue("nat.autonat_confirmations"))
                .withClassifier(addressClassifier());
    }

    /** Where to serve /metrics; empty when metrics are off. */
    public java.util.Optional<java.net.InetSocketAddress> metricsListen() {
        String s = string("metrics.listen");
        return s.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(ConfigKey.socketAddress(s));
    }

    /** Total upload rate of served archives, bytes per second; 0 = unlimited. */
    public long uploadLimit() {
        return ByteRate.parse(string("bandwidth.upload"));
    }

    /** Total download rate of fetched archives, bytes per second; 0 = unlimited. */
    public long downloadLimit() {
        return ByteRate.parse(string("bandwidth.download"));
    }

    /** auto, on or off. */
    public String relayService() {
        return string("nat.relay_service");
    }

    @SuppressWarnings("unchecked")
    public List<Multiaddr> staticRelays() {
        return (List<Multiaddr>) get("nat.relays");
    }

    public boolean holePunching() {
        return (Boolean) get("nat.hole_punching");
    }

    public boolean portMapping() {
        return (Boolean) get("nat.port_mapping");
    }

    /** The port-mapping methods to try, in order ({@code nat.port_mapping_method}). */
    public List<io.ggen.p2p.portmap.MappingMethod> portMappingMethods() {
        return switch (string("nat.port_mapping_method")) {
            case "pcp" -> List.of(io.ggen.p2p.portmap.MappingMethod.PCP);
            case "natpmp" -> List.of(io.ggen.p2p.portmap.MappingMethod.NATPMP);
            case "upnp" -> List.of(io.ggen.p2p.portmap.MappingMethod.UPNP);
            default -> List.of(io.ggen.p2p.portmap.MappingMethod.PCP, io.ggen.p2p.portmap.MappingMethod.NATPMP, io.ggen.p2p.portmap.MappingMethod.UPNP);
        };
    }

    /** How long a download waits for a hole-punched connection before it considers the relay. */
    public Duration directWait() {
        return Duration.ofSeconds(intValue("nat.direct_wait_secs"));
    }

    /** The forced reachability, empty to detect it. */
    public java.util.Optional<io.ggen.p2p.core.Event.Reachability> forcedReachability() {
        return switch (string("nat.force_reachability")) {
            case "public" -> java.util.Optional.of(io.ggen.p2p.core.Event.Reachability.PUBLIC);
            case "private" -> java.util.Optional.of(io.ggen.p2p.core.Event.Reachability.PRIVATE);
            default -> java.util.Optional.empty();
        };
    }

    public io.ggen.p2p.relay.RelayConfig relayConfig() {
        io.ggen.p2p.relay.RelayConfig d = io.ggen.p2p.relay.RelayConfig.defaults();
        return d.withClassifier(addressClassifier()).withReservations(intValue("nat.relay_max_reservations"), intValue("nat.relay_max_reservations_per_ip"))
                .withCircuits(intValue("nat.relay_max_circuits"), d.maxCircuitsPerPeer())
                .withCircuitLimit(new io.ggen.p2p.core.ConnectionLimit(Duration.ofSeconds(intValue("nat.relay_circuit_duration_secs")),
                        (long) intValue("nat.relay_circuit_data_kib") * 1024));
    }

    public String logLevel() {
        return string("log.level");
    }
}
