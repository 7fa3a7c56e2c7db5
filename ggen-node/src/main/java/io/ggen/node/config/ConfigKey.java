package io.ggen.node.config;

import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.multiformats.MultiformatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One key of {@code p2p-config.toml}: its dotted name, type, default and documentation. The
 * schema ({@link #ALL}) drives parsing, {@code config init} and {@code config show}, so the three
 * cannot disagree.
 */
public record ConfigKey(String name, Type type, Object defaultValue, String doc, long min, long max, List<String> choices) {

    /** The value kinds a key can hold. */
    public enum Type { STRING, TOPIC, BOOL, INT, ENUM, LISTEN_ADDRS, BOOTSTRAP_ADDRS, IP_RANGES, RATE, SOCKET }

    static ConfigKey string(String name, String def, String doc) {
        return new ConfigKey(name, Type.STRING, def, doc, 0, 0, List.of());
    }

    static ConfigKey topic(String name, String def, String doc) {
        return new ConfigKey(name, Type.TOPIC, def, doc, 0, 0, List.of());
    }

    static ConfigKey bool(String name, boolean def, String doc) {
        return new ConfigKey(name, Type.BOOL, def, doc, 0, 0, List.of());
    }

    static ConfigKey integer(String name, long def, long min, long max, String doc) {
        return new ConfigKey(name, Type.INT, def, doc, min, max, List.of());
    }

    static ConfigKey choice(String name, String def, List<String> choices, String doc) {
        return new ConfigKey(name, Type.ENUM, def, doc, 0, 0, choices);
    }

    static ConfigKey rate(String name, String doc) {
        return new ConfigKey(name, Type.RATE, "0", doc, 0, 0, List.of());
    }

    static ConfigKey socket(String name, String doc) {
        return new ConfigKey(name, Type.SOCKET, "", doc, 0, 0, List.of());
    }

    static ConfigKey addrs(String name, Type type, List<String> def, String doc) {
        return new ConfigKey(name, type, def, doc, 0, 0, List.of());
    }

    public static final String LISTEN = "listen_addresses";
    public static final String BOOTSTRAP = "bootstrap_nodes";
    public static final String DHT_SERVER = "dht_server_mode";
    public static final String TOPIC = "packages_topic";

    /** Every key, in the order {@code config init} writes them. ggen's own keys come first. */
    public static final List<ConfigKey> ALL = List.of(
            addrs(LISTEN, Type.LISTEN_ADDRS, List.of("/ip4/0.0.0.0/tcp/0"),
                    "Addresses to listen on: /ip4/<ip>/tcp/<port> or /ip6/<ip>/tcp/<port>; port 0 picks a free port."),
            addrs(BOOTSTRAP, Type.BOOTSTRAP_ADDRS, List.of(),
                    "Peers dialed at start, each ending in /p2p/<peer id>."),
            bool(DHT_SERVER, true, "Serve the DHT to other peers (true) or only query it (false). dht.mode overrides it when set."),
            topic(TOPIC, "/ggen/packages/v1", "Gossipsub topic that carries package announcements."),
            integer("api.port", 0, 0, 65535,
                    "Port of the control API on 127.0.0.1; 0 picks a free port, recorded in node.json in the data directory."),
            integer("limits.max_connections", 400, 1, 100_000, "Most open connections in total."),
            integer("limits.max_connections_per_peer", 3, 1, 64, "Most open connections to one peer."),
            integer("limits.max_streams_per_connection", 512, 1, 65_536, "Most open streams on one connection."),
            integer("limits.max_buffered_mib", 512, 1, 65_536, "Memory for buffered stream data across all connections, in MiB."),
            integer("limits.connection_low_water", 160, 1, 100_000, "The connection manager trims connections down to this many..."),
            integer("limits.connection_high_water", 192, 1, 100_000, "...when more than this many are open."),
            string("dht.protocol", "/ggen/kad/1.0.0", "Kademlia protocol id; /ipfs/kad/1.0.0 joins the IPFS-compatible wire protocol."),
            choice("dht.mode", "", List.of("", "server", "client", "auto"),
                    "server, client or auto (server once reachable); empty = follow dht_server_mode."),
            integer("dht.alpha", 3, 1, 10, "Parallel requests per DHT lookup."),
            integer("dht.query_timeout_secs", 30, 1, 600, "Time limit of one DHT query."),
            integer("marketplace.search_peers", 3, 0, 20, "Peers asked at once by a network search (best reputation first); 0 searches only locally."),
            integer("marketplace.parallel_providers", 4, 1, 16, "Providers a large download draws byte ranges from at once."),
            integer("marketplace.upload_limit_kib_per_sec", 0, 0, 10_000_000, "Upload rate this node serves archives at, in KiB/s per transfer; 0 is unlimited."),
            integer("marketplace.sync_interval_secs", 300, 0, 86_400, "Anti-entropy: this often (in seconds) the node syncs again from the two connected "
                    + "peers synced longest ago, and announces its own releases and yanks no peer has taken yet; 0 turns it off."),
            integer("pubsub.mesh_degree", 6, 1, 64, "Gossipsub D: peers each topic's mesh aims for."),
            integer("pubsub.mesh_degree_low", 5, 1, 64, "Gossipsub D_lo: below it the heartbeat grafts peers back up to mesh_degree."),
            integer("pubsub.mesh_degree_high", 12, 1, 256, "Gossipsub D_hi: above it the heartbeat prunes down to mesh_degree."),
            integer("pubsub.heartbeat_ms", 1000, 100, 60_000, "Gossipsub heartbeat: mesh upkeep, gossip and score decay, in milliseconds."),
            integer("pubsub.max_message_kib", 1024, 64, 16_384, "Largest gossip message accepted or published, in KiB."),
            integer("pubsub.warmup_messages", 1000, 0, 20_000,
                    "Messages relayed at start among three private in-process peers, so the JVM compiles the gossip path before real traffic; 0 skips it."),
            bool("discovery.mdns", true, "Find peers on the local network by multicast DNS (_p2p._udp.local), with no bootstrap address; "
                    + "off when the node listens on loopback only."),
            string("discovery.mdns_service", "_p2p._udp.local", "mDNS service name; nodes find only nodes with the same one."),
            bool("nat.autonat", true, "AutoNAT v2 and v1: serve dial-backs to other peers, and ask them whether this node can be dialed "
                    + "(status shows the answer as reachability)."),
            choice("nat.force_reachability", "", List.of("", "public", "private"),
                    "Skip AutoNAT's verdict and take this one: public or private; empty = ask AutoNAT servers. "
                    + "Relay service auto and auto-relay follow it like a verdict."),
            integer("nat.autonat_confirmations", 2, 1, 16, "AutoNAT servers that must agree before the node counts as public or private."),
            new ConfigKey("nat.public_ranges", Type.IP_RANGES, List.of(), "IP ranges counted as public although they are private or reserved, "
                    + "e.g. [\"198.51.100.0/24\"] for a lab on documentation addresses: advertised to everyone, tested and dialed by AutoNAT.", 0, 0, List.of()),
            new ConfigKey("nat.private_ranges", Type.IP_RANGES, List.of(), "IP ranges counted as private although they are public "
                    + "(a network that routes a public block internally): never advertised to peers on public addresses.", 0, 0, List.of()),
            socket("metrics.listen", "Serve Prometheus metrics at http://<this>/metrics, e.g. \"127.0.0.1:9464\"; empty = no metrics. "
                    + "Anyone who can reach the address can read them: keep it on loopback or a private network."),
            rate("bandwidth.upload", "Total upload rate of the archives this node serves, e.g. \"2 MiB/s\" or \"10 MB/s\"; \"0\" = unlimited (at least 256 KiB/s)."),
            rate("bandwidth.download", "Total download rate of the archives this node fetches, e.g. \"8 MiB/s\"; \"0\" = unlimited (at least 256 KiB/s)."),
            choice("nat.relay_service", "auto", List.of("auto", "on", "off"),
                    "Serve as a Circuit Relay v2 relay for nodes behind NATs: auto (when this node is public), on, or off."),
            addrs("nat.relays", Type.BOOTSTRAP_ADDRS, List.of(),
                    "Relays to reserve on first when this node is private, each ending in /p2p/<peer id>; others are found among the peers."),
            bool("nat.hole_punching", true, "Upgrade relayed connections to direct ones with DCUtR hole punching."),
            bool("nat.port_mapping", true, "Ask the home router to forward the listen port (PCP, NAT-PMP or UPnP IGD); the mapped address is "
                    + "advertised once AutoNAT has dialed it. The mapping is renewed while the node runs and deleted when it stops."),
            choice("nat.port_mapping_method", "auto", List.of("auto", "pcp", "natpmp", "upnp"),
                    "How to map the port: auto (PCP, then NAT-PMP, then UPnP IGD, the first the router answers), or only the one named."),
            integer("nat.direct_wait_secs", 10, 0, 300, "Seconds a download from a peer reachable only through a relay waits for hole "
                    + "punching to give a direct connection, before it uses the relay (if its limits allow the size) or another provider; "
                    + "0 = do not wait."),
            integer("nat.relay_max_reservations", 128, 1, 10_000, "Relay service: reservations held at once."),
            integer("nat.relay_max_reservations_per_ip", 8, 1, 10_000, "Relay service: reservations from one IP address (an IPv6 /64)."),
            integer("nat.relay_max_circuits", 64, 1, 10_000, "Relay service: relayed connections open at once."),
            integer("nat.relay_circuit_duration_secs", 120, 0, 86_400, "Relay service: longest life of one relayed connection, in seconds; 0 is unlimited."),
            integer("nat.relay_circuit_data_kib", 128, 0, 16_777_216, "Relay service: data one relayed connection may carry in each direction, in KiB; 0 is unlimited."),
            choice("log.level", "info", List.of("error", "warn", "info", "debug", "trace"), "Level of the node's log."));

    public static ConfigKey named(String name) {
        for (ConfigKey k : ALL) if (k.name.equals(name)) return k;
        return null;
    }

    /** What the key accepts, for error messages. */
    public String accepted() {
        return switch (type) {
            case STRING -> "a string";
            case TOPIC -> "a topic name starting with '/', e.g. \"/ggen/packages/v1\"";
            case BOOL -> "true or false";
            case INT -> "an integer from " + min + " to " + max;
            case ENUM -> "one of " + String.join(", ", choices.stream().map(c -> c.isEmpty() ? "\"\"" : c).toList());
            case LISTEN_ADDRS -> "a list of multiaddrs like \"/ip4/0.0.0.0/tcp/4001\"";
            case BOOTSTRAP_ADDRS -> "a list of multiaddrs like \"/ip4/10.0.0.5/tcp/4001/p2p/12D3KooW...\"";
            case IP_RANGES -> "a list of IP ranges like \"198.51.100.0/24\" or \"2001:db8::/32\"";
            case RATE -> "a rate like \"2 MiB/s\", or \"0\" for no limit";
            case SOCKET -> "an address like \"127.0.0.1:9464\" or \"[::1]:9464\", or \"\" for none";
        };
    }

    /**
     * Converts a value from any source (already of the right Java type for BOOL/INT, a string
     * or list of strings otherwise) to the key's value, or explains why not (no source prefix).
     */
    Object convert(Object raw) {
        switch (type) {
            case STRING -> {
                if (!(raw instanceof String s)) throw new IllegalArgumentException("expected " + accepted());
                if (s.length() > 256) throw new IllegalArgumentException("too long (at most 256 characters)");
                if (name.equals("dht.protocol") && !s.startsWith("/")) throw new IllegalArgumentException("a protocol id starts with '/', e.g. \"/ggen/kad/1.0.0\"");
                if (name.equals("discovery.mdns_service") && !s.matches("_[a-z0-9-]{1,15}\\._(udp|tcp)\\.local")) {
                    throw new IllegalArgumentException("an mDNS service name looks like \"_p2p._udp.local\"");
                }
                return s;
            }
            case TOPIC -> {
                if (!(raw instanceof String s) || !s.startsWith("/") || s.length() > 256 || s.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException("expected " + accepted());
                }
                return s;
            }
            case BOOL -> {
                if (raw instanceof Boolean b) return b;
                if (raw instanceof String s) {
                    switch (s.trim().toLowerCase(Locale.ROOT)) {
                        case "true", "1", "yes", "on" -> { return true; }
                        case "false", "0", "no", "off" -> { return false; }
                        default -> { }
                    }
                }
                throw new IllegalArgumentException("expected " + accepted() + ", got " + describe(raw));
            }
            case INT -> {
                long v;
                if (raw instanceof Long l) v = l;
                else if (raw instanceof Integer i) v = i;
                else if (raw instanceof String s) {
                    try {
                        v = Long.parseLong(s.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("expected " + accepted() + ", got " + describe(raw));
                    }
                } else throw new IllegalArgumentException("expected " + accepted() + ", got " + describe(raw));
                if (v < min || v > max) throw new IllegalArgumentException(v + " is out of range; expected " + accepted());
                return v;
            }
            case ENUM -> {
                if (!(raw instanceof String s) || !choices.contains(s.trim().toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("expected " + accepted() + ", got " + describe(raw));
                }
                return ((String) raw).trim().toLowerCase(Locale.ROOT);
            }
            case RATE -> {
                if (!(raw instanceof String s)) throw new IllegalArgumentException("expected " + accepted() + ", got " + describe(raw));
                ByteRate.parse(s);
                return s.trim();
            }
            case SOCKET -> {
                if (!(raw instanceof String s)) throw new IllegalArgumentException("expected " + accepted() + ", got " + describe(raw));
                if (!s.isBlank()) socketAddress(s);
                return s.trim();
            }
            case LISTEN_ADDRS, BOOTSTRAP_ADDRS -> {
                if (!(raw instanceof List<?> list)) throw new IllegalArgumentException("expected " + accepted() + ", got " + describe(raw));
                if (list.size() > 64) throw new IllegalArgumentException("at most 64 addresses");
                List<Multiaddr> out = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    Object item = list.get(i);
                    if (!(item instanceof String s)) throw new IllegalArgumentException("item " + (i + 1) + ": expected a multiaddr string, got " + describe(item));
                    out.add(type == Type.LISTEN_ADDRS ? listenAddr(s) : bootstrapAddr(s));
                }
                return List.copyOf(out);
            }
            case IP_RANGES -> {
                if (!(raw instanceof List<?> list)) throw new IllegalArgumentException("expected " + accepted() + ", got " + describe(raw));
                if (list.size() > io.ggen.p2p.multiaddr.AddressClassifier.MAX_RANGES) {
                    throw new IllegalArgumentException("at most " + io.ggen.p2p.multiaddr.AddressClassifier.MAX_RANGES + " ranges");
                }
                List<io.ggen.p2p.multiaddr.IpRange> out = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    if (!(list.get(i) instanceof String s)) throw new IllegalArgumentException("item " + (i + 1) + ": expected an IP range string, got " + describe(list.get(i)));
                    try {
                        out.add(io.ggen.p2p.multiaddr.IpRange.parse(s));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("item " + (i + 1) + ": " + e.getMessage());
                    }
                }
                return List.copyOf(out);
            }
        }
        throw new AssertionError(type);
    }

    /** {@code host:port} with a literal IP (IPv6 in brackets) or {@code localhost}; port 0 picks a free one. */
    public static java.net.InetSocketAddress socketAddress(String text) {
        String t = text.trim();
        String example = "; expected an address like \"127.0.0.1:9464\" or \"[::1]:9464\"";
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) throw new IllegalArgumentException("\"" + text + "\" has no port" + example);
        String host = t.substring(0, colon);
        String portText = t.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\": port \"" + portText + "\" is not a number" + example);
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("\"" + text + "\": port " + port + " is out of range (0 to 65535)" + example);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":")) throw new IllegalArgumentException("\"" + text + "\": put an IPv6 address in brackets" + example);
        if (host.equals("localhost")) return new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port);
        // Literal addresses only: a name would be looked up, slowly or not at all, at every start.
        if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !(host.contains(":") && host.matches("[0-9a-fA-F:.]+"))) {
            throw new IllegalArgumentException("\"" + text + "\": \"" + host + "\" is not an IP address (names other than localhost are not looked up)" + example);
        }
        try {
            // a literal (checked above): no name is looked up
            return new java.net.InetSocketAddress(java.net.InetAddress.getByName(host), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("\"" + text + "\": \"" + host + "\" is not an IP address" + example);
        }
    }

    public static Multiaddr listenAddr(String text) {
        Multiaddr a = multiaddr(text);
        if (a.toTcpSocketAddress().map(java.net.InetSocketAddress::isUnresolved).orElse(true) || a.peerId().isPresent()) {
            throw new IllegalArgumentException("\"" + text + "\" cannot be listened on; expected /ip4/<ip>/tcp/<port> or /ip6/<ip>/tcp/<port>");
        }
        return a;
    }

    public static Multiaddr bootstrapAddr(String text) {
        Multiaddr a = multiaddr(text);
        if (a.peerId().isEmpty()) {
            throw new IllegalArgumentException("\"" + text + "\" has no peer id; add /p2p/<peer id>, e.g. /ip4/10.0.0.5/tcp/4001/p2p/12D3KooW...");
        }
        if (a.toTcpSocketAddress().isEmpty()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a TCP address; expected /ip4|ip6|dns4|dns6/<host>/tcp/<port>/p2p/<peer id>");
        }
        return a;
    }

    private static Multiaddr multiaddr(String text) {
        try {
            return Multiaddr.fromString(text.trim());
        } catch (MultiformatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a multiaddr (" + e.getMessage() + "); e.g. /ip4/127.0.0.1/tcp/4001");
        }
    }

    private static String describe(Object raw) {
        if (raw instanceof String s) return "\"" + s + "\"";
        if (raw instanceof List<?>) return "a list";
        if (raw instanceof Boolean) return "a boolean (" + raw + ")";
        if (raw instanceof Long || raw instanceof Integer) return "an integer (" + raw + ")";
        if (raw instanceof Double) return "a float (" + raw + ")";
        return raw == null ? "nothing" : "a " + raw.getClass().getSimpleName().replace("Toml", "").toLowerCase(Locale.ROOT);
    }
}
