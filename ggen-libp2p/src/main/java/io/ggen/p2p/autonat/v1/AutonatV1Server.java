package io.ggen.p2p.autonat.v1;

import io.ggen.p2p.autonat.v1.AutonatV1Message.Dial;
import io.ggen.p2p.autonat.v1.AutonatV1Message.DialResponse;
import io.ggen.p2p.autonat.v1.AutonatV1Message.ResponseStatus;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.AddressClassifier;
import io.ggen.p2p.multiaddr.AddressScope;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.multiaddr.Protocol;
import io.ggen.p2p.protocol.RateLimiter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of AutoNAT v1 ({@code /libp2p/autonat/1.0.0}): dials the asker back at the
 * addresses it lists that are at the IP we see it connect from (never another IP: that would
 * let anyone aim us at a victim), and only when that IP is public per the
 * {@link AddressClassifier}. Dials come from {@code dialer}, a separate host that does not
 * listen, so each is a fresh connection from another port. At most {@link #MAX_DIALS} addresses
 * are tried per request; requests are rate-limited per peer and globally; relayed askers are
 * refused (their IP cannot be known).
 */
public final class AutonatV1Server {
    public static final String PROTOCOL = "/libp2p/autonat/1.0.0";
    /** Addresses dialed for one request. */
    public static final int MAX_DIALS = 4;
    private static final Logger log = LoggerFactory.getLogger(AutonatV1Server.class);

    /**
     * @param globalPerMinute requests served per minute from everyone (go-libp2p: 30)
     * @param perPeerPerMinute requests served per minute from one peer (go-libp2p: 3)
     */
    public record Config(int globalPerMinute, int perPeerPerMinute, int maxConcurrent, Duration requestTimeout, Duration dialTimeout) {
        public Config {
            if (globalPerMinute < 1 || perPeerPerMinute < 1 || maxConcurrent < 1) throw new IllegalArgumentException("AutoNAT server limits must be at least 1");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(dialTimeout, "dialTimeout");
        }

        public static Config defaults() {
            return new Config(30, 3, 16, Duration.ofSeconds(60), Duration.ofSeconds(15));
        }
    }

    private final Host host;
    private final Host dialer;
    private final AddressClassifier classifier;
    private final Config config;
    private final RateLimiter limiter;
    private final Semaphore running;
    private final java.util.concurrent.atomic.AtomicLong served = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong dialedBack = new java.util.concurrent.atomic.AtomicLong();

    public AutonatV1Server(Host host, Host dialer, AddressClassifier classifier, Config config) {
        this.host = Objects.requireNonNull(host, "host");
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.config = Objects.requireNonNull(config, "config");
        this.limiter = new RateLimiter(config.globalPerMinute(), config.perPeerPerMinute(), Duration.ofMinutes(1), 4096);
        this.running = new Semaphore(config.maxConcurrent());
    }

    public void register() {
        host.handle(PROTOCOL, this::serve);
    }

    public void unregister() {
        host.unhandle(PROTOCOL);
    }

    /** Requests we dialed back for, whatever the outcome. */
    public long served() {
        return served.get();
    }

    /** Requests whose dial-back connected. */
    public long dialedBack() {
        return dialedBack.get();
    }

    void serve(Stream s) throws IOException {
        Connection c = s.connection();
        s.setDeadline(Instant.now().plus(config.requestTimeout()));
        Dial dial;
        try {
            if (!(AutonatV1Codec.read(s.in()) instanceof Dial d)) {
                answer(s, DialResponse.of(ResponseStatus.BAD_REQUEST, "expected a dial"));
                return;
            }
            dial = d;
        } catch (AutonatV1Exception e) {
            log.debug("autonat v1: bad request from {}: {}", c.remotePeer(), e.getMessage());
            answer(s, DialResponse.of(ResponseStatus.BAD_REQUEST, "malformed request"));
            return;
        }
        if (!dial.peer().equals(c.remotePeer())) {
            answer(s, DialResponse.of(ResponseStatus.BAD_REQUEST, "peer id does not match the connection"));
            return;
        }
        Optional<InetAddress> observed = ip(c.remoteAddr());
        if (relayed(c.remoteAddr()) || observed.isEmpty()) {
            answer(s, DialResponse.of(ResponseStatus.DIAL_REFUSED, "cannot tell your IP address"));
            return;
        }
        if (classifier.classifyIp(observed.get().getAddress()) != AddressScope.PUBLIC) {
            answer(s, DialResponse.of(ResponseStatus.DIAL_REFUSED, "you connect from an address that is not public"));
            return;
        }
        List<Multiaddr> targets = targets(dial.addrs(), observed.get());
        if (targets.isEmpty()) {
            answer(s, DialResponse.of(ResponseStatus.DIAL_REFUSED, "no dialable address at the IP you connect from"));
            return;
        }
        if (!limiter.tryAcquire(c.remotePeer()) || !running.tryAcquire()) {
            answer(s, DialResponse.of(ResponseStatus.DIAL_REFUSED, "too many dial requests"));
            return;
        }
        try {
            served.incrementAndGet();
            for (Multiaddr t : targets) {
                if (dialBack(t, c.remotePeer())) {
                    dialedBack.incrementAndGet();
                    answer(s, new DialResponse(ResponseStatus.OK, "", Optional.of(t)));
                    return;
                }
            }
            answer(s, DialResponse.of(ResponseStatus.DIAL_ERROR, "dial back failed"));
        } finally {
            running.release();
        }
    }

    /** TCP addresses at exactly the observed IP, deduplicated, at most {@link #MAX_DIALS}. */
    private static List<Multiaddr> targets(List<Multiaddr> addrs, InetAddress observed) {
        LinkedHashSet<Multiaddr> out = new LinkedHashSet<>();
        for (Multiaddr a : addrs) {
            if (relayed(a)) continue;
            Optional<InetSocketAddress> sa = a.toTcpSocketAddress();
            if (sa.isEmpty() || sa.get().isUnresolved() || sa.get().getPort() == 0) continue;
            if (!sa.get().getAddress().equals(observed)) continue;
            out.add(Multiaddr.tcp(observed, sa.get().getPort()));
            if (out.size() == MAX_DIALS) break;
        }
        return new ArrayList<>(out);
    }

    private boolean dialBack(Multiaddr target, PeerId peer) {
        try {
            Connection back = dialer.dialAddress(target.withPeerId(peer)).get(config.dialTimeout().toMillis(), TimeUnit.MILLISECONDS);
            back.close();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            log.debug("autonat v1: dial-back to {} at {} failed: {}", peer, target, e.getMessage());
            return false;
        }
    }

    private static void answer(Stream s, DialResponse r) throws IOException {
        AutonatV1Codec.write(s.out(), r);
        s.close();
    }

    private static Optional<InetAddress> ip(Multiaddr a) {
        return a.toTcpSocketAddress().filter(sa -> !sa.isUnresolved()).map(InetSocketAddress::getAddress);
    }

    private static boolean relayed(Multiaddr a) {
        return a.components().stream().anyMatch(c -> c.protocol() == Protocol.P2P_CIRCUIT);
    }
}
