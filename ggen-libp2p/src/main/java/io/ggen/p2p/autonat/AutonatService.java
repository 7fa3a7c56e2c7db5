package io.ggen.p2p.autonat;

import io.ggen.p2p.autonat.ReachabilityTracker.Verdict;
import io.ggen.p2p.autonat.v1.AutonatV1Client;
import io.ggen.p2p.autonat.v1.AutonatV1Server;
import io.ggen.p2p.autonat.v2.AutonatV2Client;
import io.ggen.p2p.autonat.v2.AutonatV2Server;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.core.Event.Reachability;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.Subscription;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.AddressScope;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.multiaddr.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AutoNAT for a node: serves v2 and v1 to others, and finds out whether we can be dialed by
 * asking connected peers that serve AutoNAT (v2 first, v1 when the peer has only that). What
 * the answers add up to ({@link ReachabilityTracker}) is published on the bus as
 * {@link Event.ReachabilityChanged}, and per address as {@link Event.AddressReachabilityChanged}.
 *
 * <p>The addresses we ask about are the public ones (per the {@link io.ggen.p2p.multiaddr.AddressClassifier}):
 * our public listen addresses, then, for each public address peers observed us at (identify),
 * that IP with our listen port (a NAT that forwards the port), then the observed address itself.
 * Addresses a port mapping made ({@link #setMappedAddrs}) come before all of those.
 * A node with no public address to ask about stays {@link Reachability#UNKNOWN}.
 *
 * <p>Rounds run one at a time on one scheduler thread: when a peer that serves AutoNAT is
 * identified while we know nothing yet (after a short debounce), every {@code retryInterval}
 * while unknown, every {@code recheckInterval} after. With a forced reachability the client
 * never runs.
 */
public final class AutonatService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AutonatService.class);
    /** Observed addresses remembered, and observers per address. */
    static final int MAX_OBSERVED = 32;
    static final int MAX_OBSERVERS = 16;
    /** Addresses sent in one request. */
    static final int MAX_CANDIDATES = 8;
    private static final Duration DEBOUNCE = Duration.ofMillis(500);

    private final Host host;
    private final AutonatConfig config;
    private final ReachabilityTracker tracker;
    private final AutonatV2Server v2Server;
    private final AutonatV1Server v1Server;
    private final AutonatV2Client v2Client;
    private final AutonatV1Client v1Client;
    private final ScheduledExecutorService scheduler;
    private final ReentrantLock roundLock = new ReentrantLock();
    private final Map<Multiaddr, Set<PeerId>> observed = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<PeerId, Instant> lastAsked = new LinkedHashMap<>(16, 0.75f, true);
    private final AtomicLong rounds = new AtomicLong();
    /** Addresses the router maps to us (port mapping): asked about first. */
    private volatile List<Multiaddr> mapped = List.of();
    private volatile Subscription subscription;
    private volatile ScheduledFuture<?> next;
    private volatile Instant nextAt = Instant.MAX;
    private volatile Verdict published = Verdict.UNKNOWN;
    private volatile boolean closed;

    private AutonatService(Host host, Host dialer, AutonatConfig config) {
        this.host = host;
        this.config = config;
        this.tracker = new ReachabilityTracker(config.confirmations(), config.answerTtl());
        boolean serve = config.server() && dialer != null;
        this.v2Server = serve ? new AutonatV2Server(host, dialer, config.classifier(), config.v2Server()) : null;
        this.v1Server = serve ? new AutonatV1Server(host, dialer, config.classifier(), config.v1Server()) : null;
        boolean ask = config.client() && config.forced().isEmpty();
        this.v2Client = ask ? new AutonatV2Client(host, config.requestTimeout(), config.maxDialData()) : null;
        this.v1Client = ask ? new AutonatV1Client(host, config.requestTimeout()) : null;
        this.scheduler = ask ? Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("ggen-autonat").factory()) : null;
    }

    /**
     * Starts serving and asking on {@code host}.
     *
     * @param dialer a host that does not listen, used only for dial-backs (a fresh connection
     *     from another port each time); {@code null} when {@code config.server()} is off
     */
    public static AutonatService start(Host host, Host dialer, AutonatConfig config) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(config, "config");
        if (config.server() && dialer == null) throw new IllegalArgumentException("an AutoNAT server needs a dialer host");
        AutonatService s = new AutonatService(host, dialer, config);
        if (s.v2Server != null) s.v2Server.register();
        if (s.v1Server != null) s.v1Server.register();
        if (config.forced().isPresent()) {
            s.published = new Verdict(config.forced().get(), 0);
            host.events().publish(new Event.ReachabilityChanged(config.forced().get(), 0, true));
        }
        if (s.v2Client != null) {
            s.v2Client.register();
            s.subscription = host.events().subscribe("autonat", s::onEvent,
                    Set.of(Event.PeerIdentified.class, Event.PeerProtocolsChanged.class, Event.LocalAddressesChanged.class));
        }
        return s;
    }

    // ------------------------------------------------------------------ state

    public Reachability reachability() {
        return published.reachability();
    }

    /** Servers agreeing with {@link #reachability()}; 0 when unknown or forced. */
    public int confidence() {
        return published.confidence();
    }

    public boolean forced() {
        return config.forced().isPresent();
    }

    /** Tested addresses and their verdicts. */
    public Map<Multiaddr, Verdict> addresses() {
        return tracker.addresses();
    }

    /** Rounds of questions asked since start. */
    public long rounds() {
        return rounds.get();
    }

    public Optional<AutonatV2Server> v2Server() {
        return Optional.ofNullable(v2Server);
    }

    public Optional<AutonatV1Server> v1Server() {
        return Optional.ofNullable(v1Server);
    }

    /**
     * Addresses a port mapping made for us: candidates like observed ones, asked about first and
     * soon (a round within the debounce), so a mapped address is advertised once a server dialed
     * it. At most {@link #MAX_CANDIDATES} are kept.
     */
    public void setMappedAddrs(List<Multiaddr> addrs) {
        List<Multiaddr> list = List.copyOf(addrs);
        mapped = list.size() > MAX_CANDIDATES ? list.subList(0, MAX_CANDIDATES) : list;
        if (!list.isEmpty()) scheduleRound(DEBOUNCE);
    }

    // ------------------------------------------------------------------ events

    private void onEvent(Event e) {
        switch (e) {
            case Event.PeerIdentified p -> {
                p.info().observedAddr().ifPresent(a -> recordObserved(a.withoutPeerId(), p.peer()));
                if (servesAutonat(p.peer()) && published.reachability() == Reachability.UNKNOWN) scheduleRound(DEBOUNCE);
            }
            case Event.PeerProtocolsChanged p -> {
                if (published.reachability() == Reachability.UNKNOWN && servesAutonat(p.peer())) scheduleRound(DEBOUNCE);
            }
            case Event.LocalAddressesChanged a -> scheduleRound(DEBOUNCE);
            default -> { }
        }
    }

    private synchronized void recordObserved(Multiaddr addr, PeerId by) {
        if (config.classifier().classify(addr) != AddressScope.PUBLIC || relayed(addr)) return;
        Set<PeerId> who = observed.computeIfAbsent(addr, k -> new LinkedHashSet<>());
        if (who.size() < MAX_OBSERVERS) who.add(by);
        while (observed.size() > MAX_OBSERVED) observed.remove(observed.keySet().iterator().next());
    }

    private boolean servesAutonat(PeerId peer) {
        List<String> protos = host.peerStore().get(peer).map(r -> r.protocols()).orElse(List.of());
        return protos.contains(AutonatV2Server.DIAL_REQUEST) || protos.contains(AutonatV1Server.PROTOCOL);
    }

    // ------------------------------------------------------------------ rounds

    /** Runs a round unless one is due sooner. */
    private synchronized void scheduleRound(Duration delay) {
        if (closed || scheduler == null) return;
        Instant now = Instant.now();
        Instant at = now.plus(delay);
        // A round still to come, and sooner, stands. The round running now (its time has passed)
        // does not: it schedules its successor from inside itself.
        if (next != null && !next.isDone() && nextAt.isAfter(now) && nextAt.isBefore(at)) return;
        if (next != null) next.cancel(false);
        nextAt = at;
        try {
            next = scheduler.schedule(this::scheduledRound, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void scheduledRound() {
        try {
            runRound();
        } catch (RuntimeException e) {
            log.debug("autonat round failed: {}", e.toString());
        }
        boolean known = published.reachability() != Reachability.UNKNOWN;
        if (!closed) scheduleRound(known ? config.recheckInterval() : config.retryInterval());
    }

    /**
     * Asks up to {@code serversPerRound} connected AutoNAT servers about our addresses, least
     * recently asked first, and publishes what changed; returns the node's verdict after it.
     */
    public Verdict runRound() {
        if (v2Client == null) return published;
        roundLock.lock();
        try {
            rounds.incrementAndGet();
            Instant now = Instant.now();
            tracker.expire(now).ifPresent(this::publish);
            List<Multiaddr> candidates = candidates();
            if (candidates.isEmpty()) {
                log.debug("autonat: no public address to ask about");
                return published;
            }
            for (Connection c : servers()) {
                if (closed) break;
                ask(c, candidates);
            }
            return published;
        } finally {
            roundLock.unlock();
        }
    }

    private void ask(Connection c, List<Multiaddr> candidates) {
        PeerId server = c.remotePeer();
        synchronized (this) {
            lastAsked.put(server, Instant.now());
            while (lastAsked.size() > 256) lastAsked.remove(lastAsked.keySet().iterator().next());
        }
        List<String> protos = host.peerStore().get(server).map(r -> r.protocols()).orElse(List.of());
        boolean reachable;
        Optional<Multiaddr> addr;
        if (protos.contains(AutonatV2Server.DIAL_REQUEST)) {
            AutonatV2Client.Result r = v2Client.check(c, candidates);
            log.debug("autonat v2 answer from {}: {} {} ({})", server, r.outcome(), r.addr().orElse(null), r.detail());
            if (r.outcome() == AutonatV2Client.Outcome.INCONCLUSIVE) return;
            reachable = r.outcome() == AutonatV2Client.Outcome.REACHABLE;
            addr = r.addr();
        } else {
            AutonatV1Client.Result r = v1Client.check(c, candidates);
            log.debug("autonat v1 answer from {}: {} {} ({})", server, r.outcome(), r.addr().orElse(null), r.detail());
            if (r.outcome() == AutonatV1Client.Outcome.INCONCLUSIVE) return;
            reachable = r.outcome() == AutonatV1Client.Outcome.REACHABLE;
            addr = r.addr().filter(candidates::contains);
        }
        Instant now = Instant.now();
        tracker.recordNode(server, reachable, now).ifPresent(this::publish);
        if (addr.isPresent()) {
            Multiaddr a = addr.get();
            tracker.recordAddress(a, server, reachable, now).ifPresent(v ->
                    host.events().publish(new Event.AddressReachabilityChanged(a, v.reachability())));
        }
    }

    private void publish(Verdict v) {
        if (v.equals(published)) return;
        published = v;
        log.info("reachability: {} (confidence {})", v.reachability().name().toLowerCase(java.util.Locale.ROOT), v.confidence());
        host.events().publish(new Event.ReachabilityChanged(v.reachability(), v.confidence(), false));
    }

    /** Connected peers serving AutoNAT over direct connections, least recently asked first. */
    private List<Connection> servers() {
        List<Connection> out = new ArrayList<>();
        for (PeerId p : host.connectedPeers()) {
            if (!servesAutonat(p)) continue;
            host.connection(p).filter(c -> !relayed(c.remoteAddr())).ifPresent(out::add);
        }
        Collections.shuffle(out);
        synchronized (this) {
            out.sort(java.util.Comparator.comparing(c -> lastAsked.getOrDefault(c.remotePeer(), Instant.EPOCH)));
        }
        return out.size() > config.serversPerRound() ? out.subList(0, config.serversPerRound()) : out;
    }

    /** Our public addresses worth asking about, best first (see the class comment). */
    synchronized List<Multiaddr> candidates() {
        LinkedHashSet<Multiaddr> out = new LinkedHashSet<>();
        for (Multiaddr a : mapped) {
            if (config.classifier().classify(a) == AddressScope.PUBLIC) out.add(a);
        }
        List<Multiaddr> listen = host.listenAddrs();
        for (Multiaddr a : listen) {
            if (a.toTcpSocketAddress().isPresent() && config.classifier().classify(a) == AddressScope.PUBLIC) out.add(a);
        }
        List<Map.Entry<Multiaddr, Set<PeerId>>> seen = new ArrayList<>(observed.entrySet());
        seen.sort((x, y) -> y.getValue().size() - x.getValue().size());
        for (Map.Entry<Multiaddr, Set<PeerId>> e : seen) {
            Optional<InetSocketAddress> o = e.getKey().toTcpSocketAddress().filter(sa -> !sa.isUnresolved());
            if (o.isEmpty()) continue;
            for (Multiaddr l : listen) {
                Optional<InetSocketAddress> ls = l.toTcpSocketAddress().filter(sa -> !sa.isUnresolved());
                if (ls.isEmpty() || ls.get().getAddress().getAddress().length != o.get().getAddress().getAddress().length) continue;
                out.add(Multiaddr.tcp(o.get().getAddress(), ls.get().getPort()));
            }
        }
        for (Map.Entry<Multiaddr, Set<PeerId>> e : seen) {
            if (e.getKey().toTcpSocketAddress().isPresent()) out.add(e.getKey());
        }
        List<Multiaddr> list = new ArrayList<>(out);
        return list.size() > MAX_CANDIDATES ? list.subList(0, MAX_CANDIDATES) : list;
    }

    private static boolean relayed(Multiaddr a) {
        return a.components().stream().anyMatch(c -> c.protocol() == Protocol.P2P_CIRCUIT);
    }

    @Override
    public void close() {
        closed = true;
        Subscription s = subscription;
        if (s != null) s.close();
        if (scheduler != null) scheduler.shutdownNow();
        if (v2Server != null) v2Server.unregister();
        if (v1Server != null) v1Server.unregister();
        if (v2Client != null) v2Client.unregister();
    }
}
