package io.ggen.p2p.host;

import io.ggen.p2p.core.ConnManager;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.crypto.PeerId;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the number of connections between the water marks: above {@code highWater} it closes
 * connections until {@code lowWater} remain, never a protected peer's and never one younger
 * than the grace period (a new connection has had no chance to prove useful). The least useful
 * go first: fewest open streams, then the most recently opened.
 */
public final class ConnectionManager implements ConnManager {
    private static final Logger log = LoggerFactory.getLogger(ConnectionManager.class);
    /** Bound on tags, so protect() from network-driven code cannot grow without end. */
    private static final int MAX_PROTECTED = 10_000;

    private final NettyHost host;
    private final ConnectionManagerConfig config;
    private final Map<PeerId, Set<String>> protectedPeers = new ConcurrentHashMap<>();
    private final AtomicBoolean trimQueued = new AtomicBoolean();
    private EventExecutor executor;
    private ScheduledFuture<?> periodic;

    ConnectionManager(NettyHost host, ConnectionManagerConfig config) {
        this.host = host;
        this.config = config;
    }

    void start(EventExecutor executor) {
        this.executor = executor;
        long ms = config.checkInterval().toMillis();
        periodic = executor.scheduleAtFixedRate(this::trimSafely, ms, ms, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (periodic != null) periodic.cancel(false);
    }

    @Override
    public void protect(PeerId peer, String tag) {
        if (protectedPeers.size() >= MAX_PROTECTED && !protectedPeers.containsKey(peer)) {
            throw new ResourceLimitException("too many protected peers (" + MAX_PROTECTED + ")");
        }
        protectedPeers.computeIfAbsent(peer, p -> ConcurrentHashMap.newKeySet()).add(tag);
    }

    @Override
    public void unprotect(PeerId peer, String tag) {
        protectedPeers.computeIfPresent(peer, (p, tags) -> {
            tags.remove(tag);
            return tags.isEmpty() ? null : tags;
        });
    }

    @Override
    public boolean isProtected(PeerId peer) {
        return protectedPeers.containsKey(peer);
    }

    void onConnected() {
        if (host.connectionCount() > config.highWater() && executor != null && trimQueued.compareAndSet(false, true)) {
            executor.execute(() -> {
                trimQueued.set(false);
                trimSafely();
            });
        }
    }

    private void trimSafely() {
        try {
            trim();
        } catch (RuntimeException e) {
            log.warn("connection trim failed", e);
        }
    }

    /** Closes connections down to the low water mark; returns how many it closed. */
    public int trim() {
        List<Connection> all = host.connections();
        int open = all.size();
        if (open <= config.highWater()) return 0;
        Instant graceLimit = Instant.now().minus(config.gracePeriod());
        List<Connection> candidates = all.stream()
                .filter(c -> !isProtected(c.remotePeer()))
                .filter(c -> c.openedAt().isBefore(graceLimit))
                .sorted(Comparator.comparingInt((Connection c) -> c.streams().size())
                        .thenComparing(Connection::openedAt, Comparator.reverseOrder()))
                .toList();
        int closed = 0;
        for (Connection c : candidates) {
            if (open - closed <= config.lowWater()) break;
            log.debug("trimming {} ({} connections, high water {})", c, open, config.highWater());
            c.close();
            closed++;
        }
        return closed;
    }

    public ConnectionManagerConfig config() {
        return config;
    }
}
