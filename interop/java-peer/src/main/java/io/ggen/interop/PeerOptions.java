package io.ggen.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Flags of the interop peer, the same as interop/jspeer/peer.mjs (with the same environment
 * variables as defaults), so the shared harness can start either.
 */
final class PeerOptions {
    String host = "127.0.0.1";
    int port = 0;
    String seed;
    String seedHex;
    String keyPbHex;
    String keyType = "Ed25519";
    final List<String> bootstrap = new ArrayList<>();
    final List<String> topics = new ArrayList<>();
    boolean echo;
    boolean noEchoData;
    boolean events;
    String dhtProtocol = "/ipfs/kad/1.0.0";
    String dhtMode = "server";
    final List<String> dhtNamespaces = new ArrayList<>();
    boolean noDht;
    boolean noPubsub;
    /** Messages of the gossip warm-up run before "ready" (0: none); see GossipsubWarmup. */
    int warmupMessages = 1000;
    /** Gossipsub D, D_lo, D_hi; null: the router's defaults (6, 5, 12). */
    int[] gossipMesh;
    String pubsubSign = "StrictSign";
    boolean floodPublish = true;
    int maxConnections = 300;
    long lifetimeSeconds = 3600;
    String stdinEof = "stop";
    String agentVersion = "ggen/" + io.ggen.p2p.ProductVersion.get() + " (java interop peer)";
    boolean help;
    /** AutoNAT versions asked for; our service serves and asks both whenever any is given. */
    final List<String> autonat = new ArrayList<>();
    boolean mdns;
    String mdnsServiceTag = "_p2p._udp.local";
    int mdnsIntervalMs = 1000;

    static PeerOptions parse(String[] args, Map<String, String> env) {
        PeerOptions o = new PeerOptions();
        o.host = env.getOrDefault("PEER_HOST", o.host);
        o.port = parseInt("PEER_PORT", env.getOrDefault("PEER_PORT", "0"));
        o.seed = env.get("PEER_SEED");
        o.seedHex = env.get("PEER_SEED_HEX");
        o.keyPbHex = env.get("PEER_KEY_PB_HEX");
        o.keyType = env.getOrDefault("PEER_KEY_TYPE", o.keyType);
        o.echo = "1".equals(env.get("PEER_ECHO"));
        o.events = "1".equals(env.get("PEER_EVENTS"));
        o.dhtProtocol = env.getOrDefault("PEER_DHT_PROTOCOL", o.dhtProtocol);
        o.dhtMode = env.getOrDefault("PEER_DHT_MODE", o.dhtMode);
        o.lifetimeSeconds = parseInt("PEER_LIFETIME", env.getOrDefault("PEER_LIFETIME", "3600"));
        boolean namespacesGiven = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String inline = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                inline = a.substring(eq + 1);
            }
            switch (name) {
                case "--echo" -> o.echo = true;
                case "--no-echo-data" -> o.noEchoData = true;
                case "--events" -> o.events = true;
                case "--no-dht" -> o.noDht = true;
                case "--no-pubsub" -> o.noPubsub = true;
                case "--no-warmup" -> o.warmupMessages = 0;
                case "--mdns" -> o.mdns = true;
                case "--help", "-h" -> o.help = true;
                default -> {
                    String v = inline != null ? inline : (i + 1 < args.length ? args[++i] : null);
                    if (v == null) throw new IllegalArgumentException("flag " + name + " needs a value");
                    switch (name) {
                        case "--host" -> o.host = v;
                        case "--port" -> o.port = parseInt(name, v);
                        case "--seed" -> o.seed = v;
                        case "--seed-hex" -> o.seedHex = v;
                        case "--key-type" -> o.keyType = v;
                        case "--bootstrap" -> o.bootstrap.add(v);
                        case "--topic" -> o.topics.add(v);
                        case "--dht-protocol" -> o.dhtProtocol = v;
                        case "--dht-mode" -> o.dhtMode = v;
                        case "--dht-namespace" -> {
                            if (!namespacesGiven) o.dhtNamespaces.clear();
                            namespacesGiven = true;
                            o.dhtNamespaces.add(v);
                        }
                        case "--pubsub-sign" -> o.pubsubSign = v;
                        case "--flood-publish" -> o.floodPublish = !"false".equals(v);
                        case "--max-connections" -> o.maxConnections = parseInt(name, v);
                        case "--warmup" -> o.warmupMessages = parseInt(name, v);
                        case "--gossip-mesh" -> {
                            String[] parts = v.split(",");
                            if (parts.length != 3) throw new IllegalArgumentException("--gossip-mesh takes D,D_lo,D_hi, e.g. 6,4,12");
                            o.gossipMesh = new int[] {parseInt(name, parts[0]), parseInt(name, parts[1]), parseInt(name, parts[2])};
                        }
                        case "--lifetime" -> o.lifetimeSeconds = parseInt(name, v);
                        case "--stdin-eof" -> o.stdinEof = v;
                        case "--agent-version" -> o.agentVersion = v;
                        case "--autonat" -> {
                            if (!v.equals("v1") && !v.equals("v2")) throw new IllegalArgumentException("--autonat takes v1 or v2");
                            o.autonat.add(v);
                        }
                        case "--mdns-service-tag" -> o.mdnsServiceTag = v;
                        case "--mdns-interval" -> o.mdnsIntervalMs = parseInt(name, v);
                        default -> throw new IllegalArgumentException("unknown flag " + name);
                    }
                }
            }
        }
        if (o.dhtNamespaces.isEmpty()) o.dhtNamespaces.add("ggen");
        if (o.warmupMessages < 0 || o.warmupMessages > 20_000) throw new IllegalArgumentException("--warmup must be 0..20000 messages");
        if (o.port < 0 || o.port > 65535) throw new IllegalArgumentException("--port must be 0..65535");
        if (!o.stdinEof.equals("stop") && !o.stdinEof.equals("ignore")) throw new IllegalArgumentException("--stdin-eof must be stop or ignore");
        if (!o.dhtMode.equals("server") && !o.dhtMode.equals("client")) throw new IllegalArgumentException("--dht-mode must be server or client");
        return o;
    }

    private static int parseInt(String name, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + v + "'");
        }
    }

    static final String USAGE = """
            usage: java-peer [--host IP] [--port N] [--seed S | --seed-hex H] [--key-type Ed25519|secp256k1|RSA|ECDSA]
              [--bootstrap MA]... [--topic T]... [--echo] [--no-echo-data] [--events]
              [--dht-protocol P] [--dht-mode server|client] [--dht-namespace NS]... [--no-dht] [--no-pubsub] [--warmup N | --no-warmup] [--gossip-mesh D,D_lo,D_hi]
              [--lifetime SEC] [--stdin-eof stop|ignore] [--agent-version S] [--max-connections N]
              [--autonat v1|v2]... [--mdns [--mdns-service-tag T] [--mdns-interval MS]]
            commands on stdin (one JSON object per line): id dial hangup peers ping identify sinkTo sourceFrom
              dialBench stats resetStats addrs stop, put get provide findProviders findPeer closestPeers routingTable, subscribe unsubscribe topics subscribers mesh publish
            """;
}
