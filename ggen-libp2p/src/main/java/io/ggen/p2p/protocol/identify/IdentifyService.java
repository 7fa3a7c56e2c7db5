package io.ggen.p2p.protocol.identify;

import io.ggen.p2p.host.Connection;
import io.ggen.p2p.host.Host;
import io.ggen.p2p.host.HostException;
import io.ggen.p2p.host.Stream;
import io.ggen.p2p.multiformats.Multiaddr;
import io.ggen.p2p.record.SignedPeerRecord;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identify ({@code /ipfs/id/1.0.0}) and identify push ({@code /ipfs/id/push/1.0.0}) on a host:
 * answers identify requests, identifies every new connection, pushes our protocols and
 * addresses to connected peers when they change, and records what peers observe of us.
 */
public final class IdentifyService {
    public static final String PROTOCOL = "/ipfs/id/1.0.0";
    public static final String PUSH_PROTOCOL = "/ipfs/id/push/1.0.0";
    private static final Logger log = LoggerFactory.getLogger(IdentifyService.class);
    /** Changes within this window are pushed once. */
    private static final long PUSH_DEBOUNCE_MS = 200;
    private static final int MAX_OBSERVED = 32;

    private final Host host;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ggen-identify-push").factory());
    private final AtomicBoolean pushQueued = new AtomicBoolean();
    private final Map<Multiaddr, Integer> observed = new LinkedHashMap<>();

    public IdentifyService(Host host) {
        this.host = host;
    }

    public void register() {
        host.handle(PROTOCOL, this::serve);
        host.handle(PUSH_PROTOCOL, this::receivePush);
    }

    public void stop() {
        scheduler.shutdownNow();
    }

    /** Our identify message as seen from {@code connection}. */
    public IdentifyInfo localInfo(Optional<Connection> connection) {
        List<Multiaddr> addrs = host.listenAddrs();
        return IdentifyInfo.of(
                host.config().identity().publicKey(),
                host.config().protocolVersion(),
                host.config().agentVersion(),
                addrs,
                connection.map(Connection::remoteAddr),
                host.protocols(),
                Optional.of(selfRecord(addrs)));
    }

    private volatile SignedPeerRecord selfRecord;

    /** Our signed peer record, re-signed (with a new sequence number) when the addresses change. */
    private SignedPeerRecord selfRecord(List<Multiaddr> addrs) {
        SignedPeerRecord r = selfRecord;
        if (r == null || !r.record().addresses().equals(addrs)) {
            synchronized (this) {
                r = selfRecord;
                if (r == null || !r.record().addresses().equals(addrs)) {
                    r = SignedPeerRecord.create(host.config().identity(), addrs);
                    selfRecord = r;
                }
            }
        }
        return r;
    }

    private void serve(Stream stream) throws IOException {
        stream.out().write(IdentifyCodec.encodeDelimited(localInfo(Optional.of(stream.connection()))));
        stream.out().flush();
        stream.closeWrite();
    }

    private void receivePush(Stream stream) throws IOException, IdentifyException {
        IdentifyInfo info = IdentifyCodec.readAll(stream.in(), true);
        Connection c = stream.connection();
        accept(c, c.identifyInfo().map(old -> old.updatedBy(info)).orElse(info), true);
    }

    /** Identifies a new connection on a virtual thread; completes {@link Connection#identified()}. */
    public void identifyAsync(Connection connection) {
        Thread.ofVirtual().name("ggen-identify").start(() -> {
            try {
                identify(connection);
            } catch (RuntimeException e) {
                log.debug("identify of {} failed: {}", connection.remotePeer(), e.getMessage());
            }
        });
    }

    /** Asks the remote for its identify message and records it. */
    public IdentifyInfo identify(Connection connection) {
        Stream s;
        try {
            s = connection.newStream(List.of(PROTOCOL)).get(host.config().identifyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            HostException he = new HostException("identify " + connection.remotePeer() + ": cannot open stream: " + rootMessage(e), e);
            failIdentify(connection, he);
            throw he;
        }
        var watchdog = scheduler.schedule(s::reset, host.config().identifyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            IdentifyInfo info = IdentifyCodec.readAll(s.in(), false);
            s.close();
            accept(connection, info, false);
            return info;
        } catch (IOException | IdentifyException | RuntimeException e) {
            s.reset();
            HostException he = new HostException("identify " + connection.remotePeer() + ": " + rootMessage(e), e);
            failIdentify(connection, he);
            throw he;
        } finally {
            watchdog.cancel(false);
        }
    }

    private void accept(Connection connection, IdentifyInfo info, boolean push) {
        if (info.publicKey() != null && !connection.remotePeer().matches(info.publicKey())) {
            connection.close();
            throw new HostException("identify: " + connection.remotePeer() + " sent a public key that is not its own");
        }
        var store = host.peerStore();
        if (!info.listenAddrs().isEmpty() || !push) store.setAddrs(connection.remotePeer(), info.listenAddrs());
        if (!info.protocols().isEmpty() || !push) store.setProtocols(connection.remotePeer(), info.protocols());
        if (!push || !info.agentVersion().isEmpty()) store.setAgent(connection.remotePeer(), info.agentVersion(), info.protocolVersion());
        info.signedPeerRecord().filter(r -> r.peerId().equals(connection.remotePeer())).ifPresent(store::putSignedRecord);
        info.observedAddr().map(Multiaddr::withoutPeerId).ifPresent(this::recordObserved);
        host.identifyCompleted(connection, info);
    }

    private void failIdentify(Connection connection, Throwable t) {
        host.identifyFailed(connection, t);
    }

    private synchronized void recordObserved(Multiaddr addr) {
        observed.merge(addr, 1, Integer::sum);
        if (observed.size() > MAX_OBSERVED) {
            Multiaddr least = observed.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
            observed.remove(least);
        }
    }

    /** Addresses other peers saw us connect from, most reported first. */
    public synchronized List<Multiaddr> observedAddrs() {
        return observed.entrySet().stream().sorted(Map.Entry.<Multiaddr, Integer>comparingByValue().reversed()).map(Map.Entry::getKey).toList();
    }

    /** Schedules an identify push to every connected peer (debounced). */
    public void pushSoon() {
        if (scheduler.isShutdown() || !pushQueued.compareAndSet(false, true)) return;
        try {
            scheduler.schedule(() -> {
                pushQueued.set(false);
                for (Connection c : host.connections()) Thread.ofVirtual().name("ggen-identify-push").start(() -> push(c));
            }, PUSH_DEBOUNCE_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pushQueued.set(false);
        }
    }

    private void push(Connection c) {
        if (!c.isOpen()) return;
        List<String> theirs = host.peerStore().get(c.remotePeer()).map(r -> r.protocols()).orElse(List.of());
        if (!theirs.isEmpty() && !theirs.contains(PUSH_PROTOCOL)) return;
        try {
            Stream s = c.newStream(List.of(PUSH_PROTOCOL)).get(host.config().identifyTimeout().toMillis(), TimeUnit.MILLISECONDS);
            try {
                s.out().write(IdentifyCodec.encodeDelimited(localInfo(Optional.of(c))));
                s.out().flush();
                s.close();
            } catch (IOException e) {
                s.reset();
            }
        } catch (Exception e) {
            log.debug("identify push to {} failed: {}", c.remotePeer(), rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
