package io.ggen.p2p.relay;

import io.ggen.p2p.core.ConnectionLimit;
import io.ggen.p2p.multiaddr.AddressClassifier;
import java.time.Duration;

/**
 * Limits of the relay (hop) service. Defaults follow go-libp2p and js-libp2p's relays where they
 * agree: reservations of an hour, circuits of two minutes and 128 KiB per direction.
 *
 * @param maxReservations reservations held at once, all peers together
 * @param maxReservationsPerIp reservations from peers connected from one IP (an IPv6 /64)
 * @param reservationTtl how long a reservation lasts before the client must refresh it
 * @param maxCircuits relayed connections open at once
 * @param maxCircuitsPerPeer relayed connections open at once from or to one peer
 * @param circuitLimit what one relayed connection may carry and how long it may last
 * @param advertiseNonPublicAddrs put loopback and private addresses into reservations (tests on
 *     one machine); off, only public addresses are given to clients
 * @param timeout deadline for one hop or stop exchange (not the relayed data)
 * @param classifier which of our addresses are public (the node's {@code nat.public_ranges} and
 *     {@code nat.private_ranges})
 */
public record RelayConfig(
        int maxReservations,
        int maxReservationsPerIp,
        Duration reservationTtl,
        int maxCircuits,
        int maxCircuitsPerPeer,
        ConnectionLimit circuitLimit,
        boolean advertiseNonPublicAddrs,
        Duration timeout,
        AddressClassifier classifier) {

    public RelayConfig {
        if (maxReservations <= 0 || maxReservationsPerIp <= 0 || maxCircuits <= 0 || maxCircuitsPerPeer <= 0) {
            throw new IllegalArgumentException("relay limits must be positive");
        }
        if (reservationTtl.compareTo(Duration.ofSeconds(30)) < 0) throw new IllegalArgumentException("reservationTtl must be at least 30 s");
        if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("timeout must be positive");
        java.util.Objects.requireNonNull(classifier, "classifier");
    }

    public static RelayConfig defaults() {
        return new RelayConfig(128, 8, Duration.ofHours(1), 64, 4,
                new ConnectionLimit(Duration.ofMinutes(2), 128 * 1024), false, Duration.ofSeconds(30), AddressClassifier.DEFAULT);
    }

    public RelayConfig withCircuitLimit(ConnectionLimit l) {
        return new RelayConfig(maxReservations, maxReservationsPerIp, reservationTtl, maxCircuits, maxCircuitsPerPeer, l, advertiseNonPublicAddrs, timeout, classifier);
    }

    public RelayConfig withReservations(int max, int perIp) {
        return new RelayConfig(max, perIp, reservationTtl, maxCircuits, maxCircuitsPerPeer, circuitLimit, advertiseNonPublicAddrs, timeout, classifier);
    }

    public RelayConfig withCircuits(int max, int perPeer) {
        return new RelayConfig(maxReservations, maxReservationsPerIp, reservationTtl, max, perPeer, circuitLimit, advertiseNonPublicAddrs, timeout, classifier);
    }

    public RelayConfig withReservationTtl(Duration ttl) {
        return new RelayConfig(maxReservations, maxReservationsPerIp, ttl, maxCircuits, maxCircuitsPerPeer, circuitLimit, advertiseNonPublicAddrs, timeout, classifier);
    }

    public RelayConfig withAdvertiseNonPublicAddrs(boolean on) {
        return new RelayConfig(maxReservations, maxReservationsPerIp, reservationTtl, maxCircuits, maxCircuitsPerPeer, circuitLimit, on, timeout, classifier);
    }

    public RelayConfig withClassifier(AddressClassifier c) {
        return new RelayConfig(maxReservations, maxReservationsPerIp, reservationTtl, maxCircuits, maxCircuitsPerPeer, circuitLimit, advertiseNonPublicAddrs, timeout, c);
    }
}
