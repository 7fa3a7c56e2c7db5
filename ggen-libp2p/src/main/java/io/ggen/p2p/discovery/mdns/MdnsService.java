package io.ggen.p2p.discovery.mdns;

import io.ggen.p2p.core.Event;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.discovery.mdns.DnsMessage.Ptr;
import io.ggen.p2p.discovery.mdns.DnsMessage.Question;
import io.ggen.p2p.discovery.mdns.DnsMessage.ResourceRecord;
import io.ggen.p2p.discovery.mdns.DnsMessage.Txt;
import io.ggen.p2p.multiaddr.AddressClassifier;
import io.ggen.p2p.multiaddr.AddressScope;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local peer discovery by multicast DNS, per the libp2p mDNS spec: every {@code interval} we ask
 * {@code _p2p._udp.local PTR} on each multicast-capable interface; we answer such questions
 * (our own included) with {@code <service> PTR <peer-name>.<service>} and, in the additional
 * records, a TXT record of {@code dnsaddr=<addr>/p2p/<id>} strings; from answers we learn peers,
 * put them in the peer store, publish {@link Event.PeerDiscovered} and dial them.
 *
 * <p>Everyone on the link can send us packets: decoding is {@link DnsCodec}'s hostile-safe
 * parser, a response yields at most {@link #MAX_PEERS_PER_PACKET} peers and
 * {@link #MAX_ADDRS_PER_PEER} addresses each, and a peer is dialed at most once per
 * {@code redialAfter} (remembered for {@link #MAX_REMEMBERED} peers).
 */
public final class MdnsService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MdnsService.class);
    public static final String SERVICE = "_p2p._udp.local";
    static final int MAX_PEERS_PER_PACKET = 16;
    static final int MAX_ADDRS_PER_PEER = 16;
    static final int MAX_REMEMBERED = 1024;
    private static final long TTL_SECS = 120;

    /**
     * @param serviceName the DNS-SD service, {@code _p2p._udp.local}; tests may use their own so
     *     that they find only their own nodes
     * @param interval between our queries
     * @param port the mDNS port, 5353
     * @param group the IPv4 mDNS group, 224.0.0.251
     * @param redialAfter least time between two dials of one discovered peer
     */
    public record Config(String serviceName, Duration interval, int port, InetAddress group, Duration redialAfter) {
        public Config {
            Objects.requireNonNull(serviceName, "serviceName");
            if (!serviceName.endsWith(".local")) throw new IllegalArgumentException("an mDNS service name ends in .local");
            Objects.requireNonNull(interval, "interval");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535");
            if (!group.isMulticastAddress() || !(group instanceof Inet4Address)) throw new IllegalArgumentException("group must be an IPv4 multicast address");
            Objects.requireNonNull(redialAfter, "redialAfter");
        }

        public static Config defaults() {
            try {
                return new Config(SERVICE, Duration.ofSeconds(10), 5353, InetAddress.getByAddress(new byte[] {(byte) 224, 0, 0, (byte) 251}),
                        Duration.ofSeconds(30));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        public Config withInterval(Duration i) {
            return new Config(serviceName, i, port, group, redialAfter);
        }

        public Config withServiceName(String name) {
            return new Config(name, interval, port, group, redialAfter);
        }
    }

    private final Host host;
    private final AddressClassifier classifier;
    private final Config config;
    private final String peerName;
    private final MulticastSocket socket;
    private final List<NetworkInterface> interfaces;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ggen-mdns-query").factory());
    private final Map<PeerId, Instant> lastDial = new LinkedHashMap<>(16, 0.75f, true);
    private final AtomicLong queriesSent = new AtomicLong();
    private final AtomicLong responsesSent = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private volatile boolean closed;

    private MdnsService(Host host, AddressClassifier classifier, Config config, MulticastSocket socket, List<NetworkInterface> interfaces) {
        this.host = host;
        this.classifier = classifier;
        this.config = config;
        this.socket = socket;
        this.interfaces = interfaces;
        this.peerName = randomName();
    }

    /**
     * Starts on every interface that is up, multicast-capable, not loopback and has an IPv4
     * address; empty when there is none (nothing to discover on).
     */
    public static Optional<MdnsService> start(Host host, AddressClassifier classifier, Config config) throws IOException {
        List<NetworkInterface> nifs = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            try {
                if (!nif.isUp() || nif.isLoopback() || !nif.supportsMulticast()) continue;
            } catch (SocketException e) {
                continue;
            }
            if (Collections.list(nif.getInetAddresses()).stream().anyMatch(a -> a instanceof Inet4Address)) nifs.add(nif);
        }
        if (nifs.isEmpty()) {
            log.info("mDNS: no multicast-capable network interface; local discovery is off");
            return Optional.empty();
        }
        MulticastSocket socket = new MulticastSocket(null);
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(config.port()));
            socket.setTimeToLive(255); // RFC 6762 section 11
            List<NetworkInterface> joined = new ArrayList<>();
            for (NetworkInterface nif : nifs) {
                try {
                    socket.joinGroup(new InetSocketAddress(config.group(), 0), nif);
                    joined.add(nif);
                } catch (IOException e) {
                    log.debug("mDNS: cannot join {} on {}: {}", config.group(), nif.getName(), e.getMessage());
                }
            }
            if (joined.isEmpty()) {
                socket.close();
                return Optional.empty();
            }
            MdnsService s = new MdnsService(host, classifier, config, socket, joined);
            Thread.ofPlatform().daemon().name("ggen-mdns-receive").start(s::receive);
            s.scheduler.scheduleWithFixedDelay(s::query, 0, config.interval().toMillis(), TimeUnit.MILLISECONDS);
            log.info("mDNS: discovering peers on {} as {}", joined.stream().map(NetworkInterface::getName).toList(), config.serviceName());
            return Optional.of(s);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static String randomName() {
        SecureRandom r = new SecureRandom();
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(32);
        for (int i = 0; i < 32; i++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return sb.toString();
    }

    public long queriesSent() {
        return queriesSent.get();
    }

    public long responsesSent() {
        return responsesSent.get();
    }

    /** Packets that did not decode. */
    public long malformed() {
        return malformed.get();
    }

    // ------------------------------------------------------------------ sending

    private void query() {
        if (closed) return;
        send(DnsCodec.encode(new DnsMessage(0, false, List.of(new Question(config.serviceName(), DnsMessage.TYPE_PTR)), List.of(), List.of())));
        queriesSent.incrementAndGet();
    }

    private synchronized void send(byte[] message) {
        DatagramPacket p = new DatagramPacket(message, message.length, config.group(), config.port());
        for (NetworkInterface nif : interfaces) {
            try {
                socket.setNetworkInterface(nif);
                socket.send(p);
            } catch (IOException e) {
                if (!closed) log.debug("mDNS: send on {} failed: {}", nif.getName(), e.getMessage());
            }
        }
    }

    /** Our answer: the PTR to our instance, and a TXT record of our LAN and public addresses. */
    DnsMessage response() {
        String instance = peerName + "." + config.serviceName();
        List<String> strings = new ArrayList<>();
        for (Multiaddr a : host.listenAddrs()) {
            AddressScope scope = classifier.classify(a);
            if (scope != AddressScope.PRIVATE && scope != AddressScope.PUBLIC) continue;
            String s = "dnsaddr=" + a.withPeerId(host.peerId());
            if (s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255 && strings.size() < MAX_ADDRS_PER_PEER) strings.add(s);
        }
        if (strings.isEmpty()) return null;
        return new DnsMessage(0, true, List.of(),
                List.of(new ResourceRecord(config.serviceName(), DnsMessage.TYPE_PTR, TTL_SECS, new Ptr(instance))),
                List.of(new ResourceRecord(instance, DnsMessage.TYPE_TXT, TTL_SECS, new Txt(strings))));
    }

    // ------------------------------------------------------------------ receiving

    private void receive() {
        byte[] buf = new byte[DnsCodec.MAX_MESSAGE];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                if (!closed) log.debug("mDNS: receive failed: {}", e.getMessage());
                if (socket.isClosed()) return;
                continue;
            }
            try {
                handle(DnsCodec.decode(buf, p.getLength()));
            } catch (DnsException e) {
                malformed.incrementAndGet();
            } catch (RuntimeException e) {
                log.debug("mDNS: packet from {} dropped: {}", p.getAddress(), e.toString());
            }
        }
    }

    void handle(DnsMessage m) {
        if (!m.response()) {
            for (Question q : m.questions()) {
                if (q.name().equalsIgnoreCase(config.serviceName()) && (q.type() == DnsMessage.TYPE_PTR || q.type() == DnsMessage.TYPE_ANY)) {
                    DnsMessage r = response();
                    if (r != null) {
                        send(DnsCodec.encode(r));
                        responsesSent.incrementAndGet();
                    }
                    return;
                }
            }
            return;
        }
        for (Map.Entry<PeerId, List<Multiaddr>> e : peersIn(m, config.serviceName(), peerName + "." + config.serviceName(), host.peerId()).entrySet()) {
            discovered(e.getKey(), e.getValue());
        }
    }

    /**
     * The peers a response names under {@code serviceName}, with their addresses: at most
     * {@link #MAX_PEERS_PER_PACKET} peers and {@link #MAX_ADDRS_PER_PEER} addresses each; our own
     * instance and our own peer id are left out, strings that are not a {@code dnsaddr=} multiaddr
     * with {@code /p2p/} are ignored.
     */
    static Map<PeerId, List<Multiaddr>> peersIn(DnsMessage m, String serviceName, String ourInstanceName, PeerId self) {
        Map<PeerId, List<Multiaddr>> out = new LinkedHashMap<>();
        String ourInstance = ourInstanceName.toLowerCase(Locale.ROOT);
        List<ResourceRecord> all = new ArrayList<>(m.answers());
        all.addAll(m.additionals());
        for (ResourceRecord ptr : m.answers()) {
            if (ptr.type() != DnsMessage.TYPE_PTR || !ptr.name().equalsIgnoreCase(serviceName)) continue;
            String instance = ((Ptr) ptr.data()).target().toLowerCase(Locale.ROOT);
            if (instance.equals(ourInstance)) continue;
            for (ResourceRecord txt : all) {
                if (txt.type() != DnsMessage.TYPE_TXT || !txt.name().toLowerCase(Locale.ROOT).equals(instance)) continue;
                for (String s : ((Txt) txt.data()).strings()) {
                    if (!s.startsWith("dnsaddr=")) continue;
                    Optional<Multiaddr> a = parse(s.substring("dnsaddr=".length()));
                    if (a.isEmpty() || a.get().peerId().isEmpty()) continue;
                    PeerId peer = a.get().peerId().get();
                    if (peer.equals(self)) continue;
                    if (!out.containsKey(peer) && out.size() >= MAX_PEERS_PER_PACKET) continue;
                    List<Multiaddr> addrs = out.computeIfAbsent(peer, k -> new ArrayList<>());
                    Multiaddr bare = a.get().withoutPeerId();
                    if (addrs.size() < MAX_ADDRS_PER_PEER && !addrs.contains(bare)) addrs.add(bare);
                }
            }
        }
        return out;
    }

    private static Optional<Multiaddr> parse(String text) {
        try {
            return Optional.of(Multiaddr.fromString(text));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private void discovered(PeerId peer, List<Multiaddr> addrs) {
        host.peerStore().addAddrs(peer, addrs);
        host.events().publish(new Event.PeerDiscovered(peer, addrs, "mdns"));
        if (host.connection(peer).isPresent()) return;
        Instant now = Instant.now();
        synchronized (lastDial) {
            Instant last = lastDial.get(peer);
            if (last != null && last.plus(config.redialAfter()).isAfter(now)) return;
            lastDial.put(peer, now);
            while (lastDial.size() > MAX_REMEMBERED) lastDial.remove(lastDial.keySet().iterator().next());
        }
        host.dial(peer).whenComplete((c, e) -> {
            if (e != null) log.debug("mDNS: dialing {} failed: {}", peer, e.getMessage());
            else log.info("mDNS: connected to {} on the local network", peer);
        });
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        socket.close();
    }
}
