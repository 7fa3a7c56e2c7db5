package io.ggen.p2p.relay;

import io.ggen.p2p.crypto.PeerId;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * The relay's book of reservations and open circuits, with its limits; no I/O, the caller passes
 * the time. Synchronized: hop streams of many peers consult it at once.
 */
final class ReservationTable {
    /** Why a reservation or circuit was refused, or {@link #OK}. */
    enum Outcome { OK, TOO_MANY_RESERVATIONS, TOO_MANY_FROM_IP, NO_RESERVATION, TOO_MANY_CIRCUITS, TOO_MANY_FOR_PEER }

    private record Entry(String ipKey, Instant expires) {}

    private final RelayConfig config;
    private final Map<PeerId, Entry> reservations = new HashMap<>();
    private final Map<String, Integer> perIp = new HashMap<>();
    private final Map<PeerId, Integer> circuitsPerPeer = new HashMap<>();
    private int circuits;

    ReservationTable(RelayConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Grants or refreshes {@code peer}'s reservation until {@code now + ttl}. A refresh never
     * counts twice against the limits; a peer that moved to another IP is counted at the new one.
     */
    synchronized Outcome reserve(PeerId peer, String ipKey, Instant now) {
        expire(now);
        Entry old = reservations.get(peer);
        boolean sameIp = old != null && old.ipKey().equals(ipKey);
        if (old == null && reservations.size() >= config.maxReservations()) return Outcome.TOO_MANY_RESERVATIONS;
        if (!sameIp && perIp.getOrDefault(ipKey, 0) >= config.maxReservationsPerIp()) return Outcome.TOO_MANY_FROM_IP;
        if (old != null) release(old);
        reservations.put(peer, new Entry(ipKey, now.plus(config.reservationTtl())));
        perIp.merge(ipKey, 1, Integer::sum);
        return Outcome.OK;
    }

    synchronized Instant expiry(PeerId peer) {
        Entry e = reservations.get(peer);
        return e == null ? null : e.expires();
    }

    synchronized boolean hasReservation(PeerId peer, Instant now) {
        Entry e = reservations.get(peer);
        return e != null && e.expires().isAfter(now);
    }

    /** Drops {@code peer}'s reservation (it disconnected). */
    synchronized void cancel(PeerId peer) {
        Entry e = reservations.remove(peer);
        if (e != null) release(e);
    }

    /** Counts a circuit from {@code src} to {@code dst} unless a limit forbids it. */
    synchronized Outcome openCircuit(PeerId src, PeerId dst, Instant now) {
        if (!hasReservation(dst, now)) return Outcome.NO_RESERVATION;
        if (circuits >= config.maxCircuits()) return Outcome.TOO_MANY_CIRCUITS;
        if (circuitsPerPeer.getOrDefault(src, 0) >= config.maxCircuitsPerPeer()
                || circuitsPerPeer.getOrDefault(dst, 0) >= config.maxCircuitsPerPeer()) return Outcome.TOO_MANY_FOR_PEER;
        circuits++;
        circuitsPerPeer.merge(src, 1, Integer::sum);
        circuitsPerPeer.merge(dst, 1, Integer::sum);
        return Outcome.OK;
    }

    synchronized void closeCircuit(PeerId src, PeerId dst) {
        circuits--;
        circuitsPerPeer.computeIfPresent(src, (k, n) -> n <= 1 ? null : n - 1);
        circuitsPerPeer.computeIfPresent(dst, (k, n) -> n <= 1 ? null : n - 1);
    }

    synchronized int reservations() {
        return reservations.size();
    }

    synchronized int circuits() {
        return circuits;
    }

    /** Entries kept in the per-IP and per-peer maps; for leak checks. */
    synchronized int bookkeepingEntries() {
        return perIp.size() + circuitsPerPeer.size();
    }

    private void expire(Instant now) {
        for (Iterator<Entry> it = reservations.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (!e.expires().isAfter(now)) {
                it.remove();
                release(e);
            }
        }
    }

    private void release(Entry e) {
        perIp.computeIfPresent(e.ipKey(), (k, n) -> n <= 1 ? null : n - 1);
    }
}
