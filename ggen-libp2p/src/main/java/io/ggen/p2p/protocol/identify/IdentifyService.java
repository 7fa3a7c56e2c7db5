package io.ggen.p2p.protocol.identify;

import io.ggen.p2p.core.AnsweringHandler;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.ConnectionSetupEvent;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.HostException;
import io.ggen.p2p.core.IdentifyInfo;
import io.ggen.p2p.core.InlineReader;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.core.Event;
import io.ggen.p2p.core.Subscription;
import io.ggen.p2p.multiaddr.AddressClassifier;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.record.SignedPeerRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identify ({@code /ipfs/id/1.0.0}) and identify push ({@code /ipfs/id/push/1.0.0}) as a service
 * on a {@link Host}: answers identify requests, identifies every new connection (the host calls
 * {@link #identifyAsync} as the connection's upgrade completes), pushes our protocols and
 * addresses to connected peers when they change (on {@link Event.LocalProtocolsChanged} and
 * {@link Event.LocalAddressesChanged}, debounced), and records what peers observe of us. Its
 * results go to the peer store and the bus: {@link Event.PeerIdentified} once per connection,
 * {@link Event.PeerProtocolsChanged} when a peer's protocols change later,
 * {@link Event.PeerIdentificationFailed}.
 *
 * <p>Asking a new connection's remote costs no thread: the request is proposed lazily
 * (multistream-select's lazy negotiation, one protocol) on the connection's I/O thread right
 * behind the handshake, and the answer is read and recorded there as it arrives
 * ({@link io.ggen.p2p.core.Stream#readInline}), with the stream's read deadline bounding the
 * wait (a timer of that I/O thread: no other thread is woken to arm or cancel it).
 *
 * <p>Every exchange has a deadline ({@code timeout}): the answer to our request (a timer),
 * reading a push (absolute, so a peer that sends a byte at a time is cut off too), writing ours.
 */
public final class IdentifyService {
    public static final String PROTOCOL = "/ipfs/id/1.0.0";
    public static final String PUSH_PROTOCOL = "/ipfs/id/push/1.0.0";
    private static final Logger log = LoggerFactory.getLogger(IdentifyService.class);
    /** Changes within this window are pushed once. */
    private static final long PUSH_DEBOUNCE_MS = 200;
    private static final int MAX_OBSERVED = 32;
    /** Distinct peers that must observe the same address of ours before we advertise it. */
    public static final int OBSERVED_CONFIRMATIONS = 3;
    private static final int MAX_OBSERVERS = 16;
    /** Distinct peers that must see us at the same IP (on any port) before a hole punch offers it. */
    public static final int HOLE_PUNCH_IP_CONFIRMATIONS = 2;
    private static final int MAX_VERDICTS = 64;

    private final Host host;
    private final String protocolVersion;
    private final String agentVersion;
    private final Duration timeout;
    /** Push debouncing (a cancelled task leaves the queue at once). */
    private final ScheduledExecutorService scheduler = newScheduler();
    private final AtomicBoolean pushQueued = new AtomicBoolean();
    private final AddressClassifier classifier;
    /** Addresses peers observed us at, and by whom (bounded both ways). */
    private final Map<Multiaddr, java.util.Set<io.ggen.p2p.crypto.PeerId>> observed = new LinkedHashMap<>();
    /** AutoNAT's verdicts on our addresses (from the bus), most recent last. */
    private final Map<Multiaddr, Event.Reachability> verdicts = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Connection, State> states = new ConcurrentHashMap<>();
    private volatile Subscription subscription;

    /** Identify of one connection. */
    private static final class State {
        final CompletableFuture<IdentifyInfo> done = new CompletableFuture<>();
        /** Set by the one {@link #identifyAsync} that asks the remote. */
        final AtomicBoolean started = new AtomicBoolean();
        volatile IdentifyInfo info;
    }

    private static ScheduledExecutorService newScheduler() {
        java.util.concurrent.ScheduledThreadPoolExecutor e = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("ggen-identify").factory());
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    /**
     * @param timeout bound on each identify exchange (stream set-up, and each read or write)
     */
    public IdentifyService(Host host, String protocolVersion, String agentVersion, Duration timeout) {
        this(host, protocolVersion, agentVersion, timeout, AddressClassifier.DEFAULT);
    }

    /**
     * @param classifier decides which of our addresses a peer is told: a peer on a public
     *     address hears only our public ones
     */
    public IdentifyService(Host host, String protocolVersion, String agentVersion, Duration timeout, AddressClassifier classifier) {
        this.host = host;
        this.classifier = java.util.Objects.requireNonNull(classifier, "classifier");
        this.protocolVersion = protocolVersion;
        this.agentVersion = agentVersion;
        this.timeout = timeout;
    }

    /** Serves identify and push, and subscribes to the host's events. */
    public void start() {
        subscription = host.events().subscribe("identify", this::onEvent,
                Set.of(Event.LocalProtocolsChanged.class, Event.LocalAddressesChanged.class, Event.AddressReachabilityChanged.class));
        host.handle(PROTOCOL, new AnsweringHandler() {
            @Override
            public byte[] answer(Connection connection) {
                return IdentifyCodec.encodeDelimited(localInfo(Optional.of(connection)));
            }

            @Override
            public void handle(Stream stream) throws IOException {
                serve(stream);
            }
        });
        host.handle(PUSH_PROTOCOL, this::receivePush);
        for (Connection c : host.connections()) if (!states.containsKey(c)) identifyAsync(c);
    }

    public void stop() {
        Subscription s = subscription;
        if (s != null) s.close();
        scheduler.shutdownNow();
    }

    private void onEvent(Event e) {
        switch (e) {
            case Event.LocalProtocolsChanged p -> pushSoon();
            case Event.LocalAddressesChanged a -> pushSoon();
            case Event.AddressReachabilityChanged r -> {
                if (recordVerdict(r.addr(), r.reachability())) pushSoon();
            }
            default -> { }
        }
    }

    // ------------------------------------------------------------------ per connection

    private State state(Connection c) {
        State s = states.get(c);
        if (s != null) return s;
        if (!c.isOpen()) {
            State dead = new State();
            dead.done.completeExceptionally(new HostException("connection closed before identify finished"));
            return dead;
        }
        State mine = new State();
        State prior = states.putIfAbsent(c, mine);
        if (prior != null) return prior;
        c.closed().whenComplete((v, t) -> {
            states.remove(c, mine);
            // most connections close long after identify: no exception (and stack trace) for them
            if (!mine.done.isDone()) mine.done.completeExceptionally(new HostException("connection closed before identify finished"));
        });
        return mine;
    }

    /** Completes when identify of {@code c} is done; fails when it failed or {@code c} closed first. */
    public CompletableFuture<IdentifyInfo> identified(Connection c) {
        return state(c).done;
    }

    /** What the remote of {@code c} said in identify, updated by its pushes. */
    public Optional<IdentifyInfo> info(Connection c) {
        State s = states.get(c);
        return s == null ? Optional.empty() : Optional.ofNullable(s.info);
    }

    // ------------------------------------------------------------------ our side

    /** Our identify message as seen from {@code connection}. */
    public IdentifyInfo localInfo(Optional<Connection> connection) {
        List<Multiaddr> addrs = advertisedAddrs(connection.map(Connection::remoteAddr));
        return IdentifyInfo.of(
                host.identity().publicKey(),
                protocolVersion,
                agentVersion,
                addrs,
                connection.map(Connection::remoteAddr),
                host.protocols(),
                Optional.of(selfRecord(addrs)));
    }

    /** Our signed peer records by the address list they carry (a public peer hears fewer). */
    private final Map<List<Multiaddr>, SignedPeerRecord> selfRecords = new LinkedHashMap<>(4, 0.75f, true);

    /** Our signed peer record for {@code addrs}, signed anew (a new sequence number) when they change. */
    private SignedPeerRecord selfRecord(List<Multiaddr> addrs) {
        synchronized (selfRecords) {
            SignedPeerRecord r = selfRecords.get(addrs);
            if (r == null) {
                r = SignedPeerRecord.create(host.identity(), addrs);
                selfRecords.put(List.copyOf(addrs), r);
                while (selfRecords.size() > 4) selfRecords.remove(selfRecords.keySet().iterator().next());
            }
            return r;
        }
    }

    /**
     * What we tell a peer seen at {@code to} (everything when unknown) we listen on: the host's
     * advertised addresses (listen addresses, then relayed ones) and our confirmed observed
     * addresses ({@link #confirmedAddrs}), those it can use only: a peer on a public address is
     * not told our private or loopback ones.
     */
    public List<Multiaddr> advertisedAddrs(Optional<Multiaddr> to) {
        return advertisedAddrs(a -> to.isEmpty() || classifier.advertisableTo(a, to.get()));
    }

    /** What we tell any peer on a public address: {@link #advertisedAddrs(Optional)}'s public ones, by our classifier. */
    public List<Multiaddr> advertisedToPublicPeers() {
        return advertisedAddrs(classifier::isPublic);
    }

    private synchronized List<Multiaddr> advertisedAddrs(java.util.function.Predicate<Multiaddr> tellable) {
        java.util.LinkedHashSet<Multiaddr> out = new java.util.LinkedHashSet<>();
        List<Multiaddr> hostAddrs = host.advertisedAddrs();
        List<Multiaddr> listen = host.listenAddrs();
        // listen addresses first, confirmed observed ones next, relayed ones last
        for (Multiaddr a : hostAddrs) if (listen.contains(a)) out.add(a);
        out.addAll(confirmedAddrs());
        out.addAll(hostAddrs);
        List<Multiaddr> list = new ArrayList<>();
        for (Multiaddr a : out) {
            if (list.size() == IdentifyInfo.MAX_LISTEN_ADDRS) break;
            if (tellable.test(a)) list.add(a);
        }
        return list;
    }

    /**
     * Addresses peers observed us at that are confirmed: AutoNAT dialed them back, or
     * {@link #OBSERVED_CONFIRMATIONS} distinct peers saw them and AutoNAT did not find them
     * unreachable.
     */
    public synchronized List<Multiaddr> confirmedAddrs() {
        java.util.LinkedHashSet<Multiaddr> out = new java.util.LinkedHashSet<>();
        for (Map.Entry<Multiaddr, java.util.Set<io.ggen.p2p.crypto.PeerId>> e : observed.entrySet()) {
            Event.Reachability v = verdicts.get(e.getKey());
            if (v == Event.Reachability.PUBLIC || (v != Event.Reachability.PRIVATE && e.getValue().size() >= OBSERVED_CONFIRMATIONS)) {
                out.add(e.getKey());
            }
        }
        for (Map.Entry<Multiaddr, Event.Reachability> e : verdicts.entrySet()) {
            if (e.getValue() == Event.Reachability.PUBLIC) out.add(e.getKey());
        }
        return new ArrayList<>(out);
    }

    /**
     * The observed addresses a hole punch (DCUtR) offers, most trusted first: confirmed ones,
     * then those whose IP address {@link #HOLE_PUNCH_IP_CONFIRMATIONS} distinct peers agree on
     * (a NAT that maps each connection to its own port still shows one IP). AutoNAT finding
     * them unreachable does not count against them: a NAT that drops unsolicited dials is what a
     * hole punch opens. When nothing is confirmed either way (a private node whose only peer is
     * its relay), every observed address is offered: the peer dials them only during the punch.
     */
    public synchronized List<Multiaddr> holePunchAddrs() {
        Map<java.net.InetAddress, java.util.Set<io.ggen.p2p.crypto.PeerId>> byIp = new java.util.HashMap<>();
        for (Map.Entry<Multiaddr, java.util.Set<io.ggen.p2p.crypto.PeerId>> e : observed.entrySet()) {
            e.getKey().toTcpSocketAddress().ifPresent(sa -> byIp.computeIfAbsent(sa.getAddress(), k -> new java.util.HashSet<>()).addAll(e.getValue()));
        }
        java.util.LinkedHashSet<Multiaddr> out = new java.util.LinkedHashSet<>(confirmedAddrs());
        for (Multiaddr a : observedAddrs()) {
            boolean ipAgreed = a.toTcpSocketAddress().map(sa -> byIp.getOrDefault(sa.getAddress(), Set.of()).size() >= HOLE_PUNCH_IP_CONFIRMATIONS).orElse(false);
            if (ipAgreed) out.add(a);
        }
        if (out.isEmpty()) out.addAll(observedAddrs());
        return new ArrayList<>(out);
    }

    /** Records AutoNAT's verdict on an address; true when what we advertise may have changed. */
    private synchronized boolean recordVerdict(Multiaddr addr, Event.Reachability r) {
        Event.Reachability before = verdicts.put(addr.withoutPeerId(), r);
        while (verdicts.size() > MAX_VERDICTS) verdicts.remove(verdicts.keySet().iterator().next());
        return before != r;
    }

    private Instant deadline() {
        return Instant.now().plus(timeout);
    }

    private void serve(Stream stream) throws IOException {
        ConnectionSetupEvent step = ConnectionSetupEvent.begin("identify-serve");
        stream.setWriteDeadline(deadline());
        stream.out().write(IdentifyCodec.encodeDelimited(localInfo(Optional.of(stream.connection()))));
        stream.out().flush();
        stream.closeWrite();
        step.end(stream.connection());
    }

    private void receivePush(Stream stream) throws IOException, IdentifyException {
        stream.setReadDeadline(deadline());
        IdentifyInfo info = IdentifyCodec.readAll(stream.in(), true);
        accept(stream.connection(), info, true);
    }

    /**
     * Identifies {@code connection}, once (later calls do nothing): proposes identify lazily on
     * a new stream and takes the answer as it arrives on the connection's I/O thread, so no
     * thread waits for it and no round trip is spent on the proposal; bounded by the timeout.
     * Completes {@link #identified}. The host calls it as each connection's upgrade completes,
     * on the connection's I/O thread, before it publishes {@link Event.ConnectionOpened}.
     */
    public void identifyAsync(Connection connection) {
        State st = state(connection);
        if (st.done.isDone() || !st.started.compareAndSet(false, true)) return;
        ConnectionSetupEvent openStep = ConnectionSetupEvent.begin("identify-open");
        connection.newStreamLazy(PROTOCOL).whenComplete((s, e) -> {
            if (e != null) {
                failIdentify(connection, new HostException("identify " + connection.remotePeer() + ": cannot open stream: " + rootMessage(e), e));
                return;
            }
            openStep.end(connection);
            s.setReadDeadline(deadline());
            s.readInline(new AnswerReader(connection, s));
        });
    }

    /**
     * Takes the remote's identify answer on the I/O thread: every message until the remote
     * closes the stream (at most {@link IdentifyCodec#MAX_MESSAGES} of
     * {@link IdentifyCodec#MAX_MESSAGE_SIZE} bytes), then decodes and records them.
     */
    private final class AnswerReader implements InlineReader {
        /** Bytes of {@link IdentifyCodec#MAX_MESSAGES} messages of the largest size, with their length prefixes. */
        private static final int MAX_ANSWER = IdentifyCodec.MAX_MESSAGES * (IdentifyCodec.MAX_MESSAGE_SIZE + io.ggen.p2p.multiformats.Varint.MAX_BYTES);
        private final Connection connection;
        private final Stream stream;
        private byte[] buf = new byte[512];
        private int len;

        AnswerReader(Connection connection, Stream stream) {
            this.connection = connection;
            this.stream = stream;
        }

        @Override
        public void data(ByteBuffer chunk) throws IOException {
            int n = chunk.remaining();
            if (n > MAX_ANSWER - len) throw new IOException("identify answer longer than " + MAX_ANSWER + " bytes");
            if (len + n > buf.length) buf = java.util.Arrays.copyOf(buf, Math.min(MAX_ANSWER, Math.max(buf.length * 2, len + n)));
            chunk.get(buf, len, n);
            len += n;
        }

        @Override
        public void end(IOException failure) {
            if (failure instanceof io.ggen.p2p.core.StreamTimeoutException) {
                failIdentify(connection, new HostException("identify " + connection.remotePeer() + ": no answer within " + timeout.toMillis() + " ms", failure));
                return;
            }
            if (failure != null) {
                failIdentify(connection, new HostException("identify " + connection.remotePeer() + ": " + failure.getMessage(), failure));
                return;
            }
            ConnectionSetupEvent acceptStep = ConnectionSetupEvent.begin("identify-accept");
            try {
                IdentifyInfo info = IdentifyCodec.readAll(new java.io.ByteArrayInputStream(buf, 0, len), false);
                stream.close();
                accept(connection, info, false);
                acceptStep.end(connection);
            } catch (IdentifyException | IOException | RuntimeException e) {
                stream.reset();
                failIdentify(connection, new HostException("identify " + connection.remotePeer() + ": " + rootMessage(e), e));
            }
        }

    }

    private void accept(Connection connection, IdentifyInfo info, boolean push) {
        if (info.publicKey() != null && !connection.remotePeer().matches(info.publicKey())) {
            connection.close();
            throw new HostException("identify: " + connection.remotePeer() + " sent a public key that is not its own");
        }
        State st = state(connection);
        IdentifyInfo merged = push && st.info != null ? st.info.updatedBy(info) : info;
        var store = host.peerStore();
        var peer = connection.remotePeer();
        List<String> before = store.get(peer).map(r -> r.protocols()).orElse(List.of());
        if (!merged.listenAddrs().isEmpty() || !push) store.setAddrs(peer, merged.listenAddrs());
        if (!merged.protocols().isEmpty() || !push) store.setProtocols(peer, merged.protocols());
        if (!push || !merged.agentVersion().isEmpty()) store.setAgent(peer, merged.agentVersion(), merged.protocolVersion());
        merged.signedPeerRecord().filter(r -> r.peerId().equals(peer)).ifPresent(store::putSignedRecord);
        merged.observedAddr().map(Multiaddr::withoutPeerId).ifPresent(a -> {
            if (recordObserved(a, peer)) pushSoon();
        });
        List<String> after = store.get(peer).map(r -> r.protocols()).orElse(List.of());
        st.info = merged;
        // Publish before completing the future, so that anything a waiter does next (a
        // hang-up, say) is published after it.
        if (!push && !st.done.isDone()) {
            host.events().publish(new Event.PeerIdentified(connection, merged));
        }
        if ((push || !before.isEmpty()) && !before.equals(after)) {
            List<String> added = new ArrayList<>(after);
            added.removeAll(before);
            List<String> removed = new ArrayList<>(before);
            removed.removeAll(after);
            if (!added.isEmpty() || !removed.isEmpty()) host.events().publish(new Event.PeerProtocolsChanged(peer, after, added, removed));
        }
        if (!push) st.done.complete(merged);
    }

    private void failIdentify(Connection connection, Throwable t) {
        State st = state(connection);
        if (st.done.isDone()) return;
        host.events().publish(new Event.PeerIdentificationFailed(connection, t));
        st.done.completeExceptionally(t);
    }

    /**
     * Records that {@code by} saw us at {@code addr}; true when that confirmed the address (it
     * reached {@link #OBSERVED_CONFIRMATIONS} observers). Relayed and unroutable addresses are
     * not kept.
     */
    private synchronized boolean recordObserved(Multiaddr addr, io.ggen.p2p.crypto.PeerId by) {
        if (addr.toTcpSocketAddress().isEmpty() || classifier.classify(addr) == io.ggen.p2p.multiaddr.AddressScope.UNROUTABLE
                || addr.components().stream().anyMatch(c -> c.protocol() == io.ggen.p2p.multiaddr.Protocol.P2P_CIRCUIT)) {
            return false;
        }
        java.util.Set<io.ggen.p2p.crypto.PeerId> who = observed.get(addr);
        if (who == null) {
            if (observed.size() >= MAX_OBSERVED) {
                Multiaddr least = observed.entrySet().stream().min(java.util.Comparator.comparingInt(e -> e.getValue().size())).orElseThrow().getKey();
                observed.remove(least);
            }
            who = new java.util.LinkedHashSet<>();
            observed.put(addr, who);
        }
        if (who.size() >= MAX_OBSERVERS || !who.add(by)) return false;
        return who.size() == OBSERVED_CONFIRMATIONS;
    }

    /** Addresses other peers saw us connect from, most observers first. */
    public synchronized List<Multiaddr> observedAddrs() {
        return observed.entrySet().stream()
                .sorted(java.util.Comparator.comparingInt((Map.Entry<Multiaddr, java.util.Set<io.ggen.p2p.crypto.PeerId>> e) -> e.getValue().size()).reversed())
                .map(Map.Entry::getKey).toList();
    }

    /** Schedules an identify push to every connected peer (debounced); runs on our own changes. */
    private void pushSoon() {
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
            Stream s = c.newStream(List.of(PUSH_PROTOCOL)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                s.setWriteDeadline(deadline());
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
