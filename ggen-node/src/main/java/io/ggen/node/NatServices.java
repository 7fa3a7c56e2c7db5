package io.ggen.node;

import io.ggen.node.config.NodeConfig;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.core.Subscription;
import io.ggen.p2p.holepunch.HolePunchConfig;
import io.ggen.p2p.holepunch.HolePunchService;
import io.ggen.p2p.host.NettyHost;
import io.ggen.p2p.relay.AutoRelay;
import io.ggen.p2p.relay.RelayService;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's NAT traversal as configured in {@code [nat]}: the relay service (on, off, or auto:
 * on while the node is public), auto-relay for when it is private, and DCUtR hole punching.
 * Reachability comes from the host's event bus, or from {@code force_reachability}.
 */
final class NatServices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NatServices.class);
    /** Relays a private node keeps reservations on. */
    static final int RELAYS_WANTED = 2;

    private final NettyHost host;
    private final NodeConfig config;
    private final AutoRelay autoRelay;
    private final Optional<HolePunchService> holePunch;
    private RelayService relay;
    private Subscription sub;
    private volatile Event.Reachability reachability = Event.Reachability.UNKNOWN;

    NatServices(NettyHost host, NodeConfig config) {
        this.host = host;
        this.config = config;
        this.autoRelay = new AutoRelay(host, host.relayClient(), host::setRelayedAddrs, config.staticRelays(), RELAYS_WANTED, config.forcedReachability());
        this.holePunch = config.holePunching()
                ? Optional.of(new HolePunchService(host, host::dialForHolePunch, HolePunchConfig.defaults(), host.identify()::observedAddrs))
                : Optional.empty();
    }

    void start() {
        holePunch.ifPresent(HolePunchService::start);
        autoRelay.start();
        switch (config.relayService()) {
            case "on" -> startRelay();
            case "off" -> { }
            default -> { }
        }
        sub = host.events().subscribe(Event.ReachabilityChanged.class, e -> {
            if (config.forcedReachability().isEmpty()) onReachability(e.reachability());
        });
        config.forcedReachability().ifPresent(r -> {
            onReachability(r);
            host.events().publish(new Event.ReachabilityChanged(r));
        });
    }

    private synchronized void onReachability(Event.Reachability r) {
        reachability = r;
        if (!config.relayService().equals("auto")) return;
        if (r == Event.Reachability.PUBLIC) startRelay();
        else stopRelay();
    }

    private synchronized void startRelay() {
        if (relay != null) return;
        relay = new RelayService(host, config.relayConfig());
        relay.start();
        log.info("relay service on ({} reservations at most, circuits of {} s and {} KiB)", config.relayConfig().maxReservations(),
                config.relayConfig().circuitLimit().duration().toSeconds(), config.relayConfig().circuitLimit().dataBytes() / 1024);
    }

    private synchronized void stopRelay() {
        if (relay == null) return;
        relay.close();
        relay = null;
        log.info("relay service off (the node is not public)");
    }

    Event.Reachability reachability() {
        return config.forcedReachability().orElse(reachability);
    }

    synchronized boolean relayServiceOn() {
        return relay != null;
    }

    synchronized Optional<RelayService> relay() {
        return Optional.ofNullable(relay);
    }

    /** Our relayed addresses, from the reservations held now. */
    java.util.List<io.ggen.p2p.multiaddr.Multiaddr> relayedAddrs() {
        return host.relayClient().circuitAddrs();
    }

    Optional<HolePunchService> holePunch() {
        return holePunch;
    }

    @Override
    public synchronized void close() {
        if (sub != null) sub.close();
        autoRelay.close();
        holePunch.ifPresent(HolePunchService::close);
        stopRelay();
    }
}
