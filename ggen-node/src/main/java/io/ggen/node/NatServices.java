package io.ggen.node;

import io.ggen.node.config.NodeConfig;
import io.ggen.p2p.autonat.AutonatService;
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
 * Reachability is AutoNAT's: its verdicts arrive on the event bus, and a forced reachability
 * ({@code force_reachability}) is published there by AutoNAT too, so both paths look the same.
 */
final class NatServices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NatServices.class);
    /** Relays a private node keeps reservations on. */
    static final int RELAYS_WANTED = 2;

    private final NettyHost host;
    private final NodeConfig config;
    private final AutonatService autonat;
    private final AutoRelay autoRelay;
    private final Optional<HolePunchService> holePunch;
    private RelayService relay;
    private Subscription sub;

    NatServices(NettyHost host, NodeConfig config, AutonatService autonat) {
        this.host = host;
        this.config = config;
        this.autonat = autonat;
        this.autoRelay = new AutoRelay(host, host.relayClient(), host::setRelayedAddrs, config.staticRelays(), RELAYS_WANTED, config.forcedReachability());
        this.holePunch = config.holePunching()
                ? Optional.of(new HolePunchService(host, host.holePunchDialer(), HolePunchConfig.defaults().withClassifier(config.addressClassifier()), host.identify()::holePunchAddrs))
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
        sub = host.events().subscribe(Event.ReachabilityChanged.class, e -> onReachability(e.reachability()));
        // AutoNAT started first: a forced reachability (or an early verdict) is already published
        onReachability(autonat.reachability());
    }

    private synchronized void onReachability(Event.Reachability r) {
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
