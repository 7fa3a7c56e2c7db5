package io.ggen.p2p.relay;

import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.Subscription;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node that cannot be dialed reachable: while reachability is private, it holds
 * reservations on {@code wanted} relays (the static ones first, then connected peers that serve
 * the hop protocol), refreshes each before it expires, replaces a relay that goes away, and hands
 * the relayed addresses to {@code advertise} (the host then identifies with them). When the node
 * turns out public it gives the reservations up. One maintenance pass at a time, on a single
 * scheduler thread: after events, and every {@link #CHECK_INTERVAL}.
 */
public final class AutoRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AutoRelay.class);
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(15);
    /** A relay that refused us is not asked again for this long. */
    static final Duration BACKOFF = Duration.ofMinutes(5);
    private static final int MAX_BACKOFF_ENTRIES = 256;

    private final Host host;
    private final RelayClient client;
    private final Consumer<List<Multiaddr>> advertise;
    private final List<Multiaddr> staticRelays;
    private final int wanted;
    private final Optional<Event.Reachability> forced;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("auto-relay").factory());
    private final AtomicBoolean queued = new AtomicBoolean();
    private final Map<PeerId, Instant> backoff = new LinkedHashMap<>();
    private volatile Event.Reachability reachability = Event.Reachability.UNKNOWN;
    private Subscription sub;

    /**
     * @param staticRelays relays to use first ({@code [nat] relays}), each with {@code /p2p/}
     * @param forced a reachability that overrides what the host publishes ({@code [nat] force_reachability})
     */
    public AutoRelay(Host host, RelayClient client, Consumer<List<Multiaddr>> advertise, List<Multiaddr> staticRelays, int wanted,
            Optional<Event.Reachability> forced) {
        this.host = host;
        this.client = client;
        this.advertise = advertise;
        this.staticRelays = List.copyOf(staticRelays);
        this.wanted = wanted;
        this.forced = forced;
        forced.ifPresent(r -> reachability = r);
    }

    public void start() {
        sub = host.events().subscribe("auto-relay", e -> {
            if (e instanceof Event.ReachabilityChanged r && forced.isEmpty()) reachability = r.reachability();
            if (e instanceof Event.ConnectionClosed c && client.reservations().containsKey(c.connection().remotePeer())
                    && host.connections(c.connection().remotePeer()).stream().noneMatch(x -> x.isOpen() && !x.relayed())) {
                client.forget(c.connection().remotePeer());
            }
            soon();
        }, Set.of(Event.ReachabilityChanged.class, Event.PeerIdentified.class, Event.PeerProtocolsChanged.class, Event.ConnectionClosed.class));
        scheduler.scheduleWithFixedDelay(this::maintain, 0, CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (sub != null) sub.close();
        scheduler.shutdownNow();
    }

    public Event.Reachability reachability() {
        return reachability;
    }

    private void soon() {
        if (queued.compareAndSet(false, true)) {
            try {
                scheduler.execute(() -> {
                    queued.set(false);
                    maintain();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                queued.set(false);
            }
        }
    }

    void maintain() {
        try {
            if (reachability != Event.Reachability.PRIVATE) {
                if (!client.reservations().isEmpty()) {
                    client.reservations().keySet().forEach(client::forget);
                    advertise.accept(List.of());
                }
                return;
            }
            Instant now = Instant.now();
            for (RelayClient.HeldReservation r : client.reservations().values()) {
                boolean connected = host.connections(r.relay()).stream().anyMatch(c -> c.isOpen() && !c.relayed());
                if (!connected) {
                    client.forget(r.relay());
                } else if (Duration.between(now, r.expires()).compareTo(refreshMargin()) < 0) {
                    tryReserve(r.relay());
                }
            }
            for (PeerId candidate : candidates()) {
                if (client.reservations().size() >= wanted) break;
                tryReserve(candidate);
            }
            advertise.accept(client.circuitAddrs());
        } catch (RuntimeException e) {
            log.warn("auto-relay pass failed: {}", e.toString());
        }
    }

    /** Refresh when less than this is left: a quarter of the usual hour, at least two checks. */
    private static Duration refreshMargin() {
        return Duration.ofMinutes(15);
    }

    private List<PeerId> candidates() {
        List<PeerId> out = new ArrayList<>();
        Instant now = Instant.now();
        for (Multiaddr a : staticRelays) {
            Optional<PeerId> p = a.peerId();
            if (p.isEmpty() || client.reservations().containsKey(p.get()) || backedOff(p.get(), now)) continue;
            if (host.connections(p.get()).stream().noneMatch(c -> c.isOpen() && !c.relayed())) {
                try {
                    Connection c = host.dialAddress(a).get(20, TimeUnit.SECONDS);
                    if (c.relayed()) continue;
                } catch (Exception e) {
                    log.debug("static relay {} unreachable: {}", a, e.toString());
                    backOff(p.get(), now);
                    continue;
                }
            }
            out.add(p.get());
        }
        for (Connection c : host.connections()) {
            PeerId p = c.remotePeer();
            if (c.relayed() || !c.isOpen() || out.contains(p) || client.reservations().containsKey(p) || backedOff(p, now)) continue;
            if (c.identifyInfo().map(i -> i.protocols().contains(RelayCodec.HOP_PROTOCOL)).orElse(false)) out.add(p);
        }
        return out;
    }

    private void tryReserve(PeerId relay) {
        try {
            RelayClient.HeldReservation r = client.reserve(relay);
            log.info("reservation on relay {} until {}; reachable at {}", relay, r.expires(), r.circuitAddrs());
        } catch (Exception e) {
            log.info("relay {} gave no reservation: {}", relay, e.getMessage());
            client.forget(relay);
            backOff(relay, Instant.now());
        }
    }

    private synchronized boolean backedOff(PeerId p, Instant now) {
        Instant until = backoff.get(p);
        if (until == null) return false;
        if (until.isBefore(now)) {
            backoff.remove(p);
            return false;
        }
        return true;
    }

    private synchronized void backOff(PeerId p, Instant now) {
        backoff.put(p, now.plus(BACKOFF));
        while (backoff.size() > MAX_BACKOFF_ENTRIES) backoff.remove(backoff.keySet().iterator().next());
    }
}
