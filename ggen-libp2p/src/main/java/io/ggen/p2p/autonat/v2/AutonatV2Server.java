package io.ggen.p2p.autonat.v2;

import io.ggen.p2p.autonat.v2.AutonatV2Message.DialBack;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialDataRequest;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialDataResponse;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialRequest;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialResponse;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialStatus;
import io.ggen.p2p.autonat.v2.AutonatV2Message.ResponseStatus;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.AddressClassifier;
import io.ggen.p2p.multiaddr.AddressScope;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.multiaddr.Protocol;
import io.ggen.p2p.protocol.LengthPrefixed;
import io.ggen.p2p.protocol.RateLimiter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of AutoNAT v2: a client asks us to dial one of its addresses and to tell it a
 * nonce there. We dial the first address we are willing to (TCP, public per the
 * {@link AddressClassifier}, never private, loopback or unroutable ones), from {@code dialer}, a
 * separate host that does not listen: the dial-back is a fresh connection from another port,
 * never the client's own connection, which would prove nothing. An address at another IP than
 * the client's costs it {@code minDialData..maxDialData} bytes first (amplification
 * prevention). Requests are rate-limited per peer and globally, and at most
 * {@code maxConcurrent} run at once; every exchange has a deadline.
 */
public final class AutonatV2Server {
    public static final String DIAL_REQUEST = "/libp2p/autonat/2/dial-request";
    public static final String DIAL_BACK = "/libp2p/autonat/2/dial-back";
    private static final Logger log = LoggerFactory.getLogger(AutonatV2Server.class);

    /**
     * @param globalPerMinute requests served per minute from everyone
     * @param perPeerPerMinute requests served per minute from one peer
     * @param dialDataPerMinute requests needing dial data served per minute (they cost us bandwidth)
     * @param maxConcurrent requests served at once
     * @param minDialData least bytes asked of a client for dialing another IP (the spec: 30k to 100k)
     * @param maxDialData most bytes asked
     * @param requestTimeout the whole exchange, dial-back included
     * @param dialTimeout the dial-back connection
     */
    public record Config(int globalPerMinute, int perPeerPerMinute, int dialDataPerMinute, int maxConcurrent,
                         int minDialData, int maxDialData, Duration requestTimeout, Duration dialTimeout) {
        public Config {
            if (globalPerMinute < 1 || perPeerPerMinute < 1 || dialDataPerMinute < 1 || maxConcurrent < 1) {
                throw new IllegalArgumentException("AutoNAT server limits must be at least 1");
            }
            if (minDialData < 0 || maxDialData < minDialData) throw new IllegalArgumentException("need 0 <= minDialData <= maxDialData");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(dialTimeout, "dialTimeout");
        }

        /** go-libp2p's figures: 60 requests a minute, 12 per peer, 12 needing data; 30-100 kB of data. */
        public static Config defaults() {
            return new Config(60, 12, 12, 16, 30_000, 100_000, Duration.ofSeconds(30), Duration.ofSeconds(15));
        }
    }

    private final Host host;
    private final Host dialer;
    private final AddressClassifier classifier;
    private final Config config;
    private final RateLimiter requests;
    private final RateLimiter dialData;
    private final Semaphore running;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong dialedBack = new AtomicLong();

    public AutonatV2Server(Host host, Host dialer, AddressClassifier classifier, Config config) {
        this.host = Objects.requireNonNull(host, "host");
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.config = Objects.requireNonNull(config, "config");
        this.requests = new RateLimiter(config.globalPerMinute(), config.perPeerPerMinute(), Duration.ofMinutes(1), 4096);
        this.dialData = new RateLimiter(config.dialDataPerMinute(), Math.max(1, config.dialDataPerMinute() / 4), Duration.ofMinutes(1), 4096);
        this.running = new Semaphore(config.maxConcurrent());
    }

    public void register() {
        host.handle(DIAL_REQUEST, this::serve);
    }

    public void unregister() {
        host.unhandle(DIAL_REQUEST);
    }

    /** Requests answered with a dial-back attempt, refused (limits, no dialable address), malformed. */
    public long served() {
        return served.get();
    }

    public long refused() {
        return refused.get();
    }

    public long malformed() {
        return malformed.get();
    }

    /** Dial-backs that delivered the nonce. */
    public long dialedBack() {
        return dialedBack.get();
    }

    void serve(Stream s) throws IOException {
        Connection c = s.connection();
        s.setDeadline(Instant.now().plus(config.requestTimeout()));
        DialRequest req;
        try {
            if (!(AutonatV2Codec.read(s.in()) instanceof DialRequest r)) {
                malformed.incrementAndGet();
                s.reset();
                return;
            }
            req = r;
        } catch (AutonatV2Exception | LengthPrefixed.FrameException e) {
            malformed.incrementAndGet();
            log.debug("autonat v2: malformed request from {}: {}", c.remotePeer(), e.getMessage());
            s.reset();
            return;
        }
        if (isRelayed(c.remoteAddr()) || !requests.tryAcquire(c.remotePeer())) {
            respond(s, DialResponse.refused(ResponseStatus.REQUEST_REJECTED));
            return;
        }
        if (!running.tryAcquire()) {
            respond(s, DialResponse.refused(ResponseStatus.REQUEST_REJECTED));
            return;
        }
        try {
            int idx = select(req.addrs());
            if (idx < 0) {
                respond(s, DialResponse.refused(ResponseStatus.DIAL_REFUSED));
                return;
            }
            Multiaddr target = req.addrs().get(idx);
            if (!sameIp(target, c.remoteAddr())) {
                if (!dialData.tryAcquire(c.remotePeer())) {
                    respond(s, DialResponse.refused(ResponseStatus.REQUEST_REJECTED));
                    return;
                }
                if (!receiveDialData(s, idx)) return;
            }
            DialStatus status = dialBack(target, c.remotePeer(), req.nonce());
            served.incrementAndGet();
            if (status == DialStatus.OK) dialedBack.incrementAndGet();
            AutonatV2Codec.write(s.out(), AutonatV2Codec.encode(new DialResponse(ResponseStatus.OK, idx, status)));
            s.close();
        } finally {
            running.release();
        }
    }

    private void respond(Stream s, DialResponse r) throws IOException {
        refused.incrementAndGet();
        AutonatV2Codec.write(s.out(), AutonatV2Codec.encode(r));
        s.close();
    }

    /** Asks for dial data and reads it; false (stream reset) when the client does not pay. */
    private boolean receiveDialData(Stream s, int idx) throws IOException {
        int need = config.minDialData() + random.nextInt(config.maxDialData() - config.minDialData() + 1);
        AutonatV2Codec.write(s.out(), AutonatV2Codec.encode(new DialDataRequest(idx, need)));
        long got = 0;
        // Parts may be small, but not so many that a client keeps us reading frame headers.
        int maxParts = need / 256 + 16;
        for (int parts = 0; got < need; parts++) {
            AutonatV2Message m;
            try {
                m = AutonatV2Codec.read(s.in());
            } catch (AutonatV2Exception | LengthPrefixed.FrameException e) {
                malformed.incrementAndGet();
                s.reset();
                return false;
            }
            if (!(m instanceof DialDataResponse d) || parts >= maxParts) {
                malformed.incrementAndGet();
                s.reset();
                return false;
            }
            got += d.length();
        }
        return true;
    }

    /** The index of the first address we are willing to dial, or -1. */
    int select(List<Multiaddr> addrs) {
        for (int i = 0; i < addrs.size(); i++) {
            Multiaddr a = addrs.get(i);
            if (isRelayed(a)) continue;
            Optional<InetSocketAddress> sa = a.toTcpSocketAddress();
            if (sa.isEmpty() || sa.get().isUnresolved() || sa.get().getPort() == 0) continue;
            if (classifier.classify(a) != AddressScope.PUBLIC) continue;
            return i;
        }
        return -1;
    }

    private DialStatus dialBack(Multiaddr target, PeerId peer, long nonce) {
        Connection back;
        try {
            back = dialer.dialAddress(tcpPart(target).withPeerId(peer)).get(config.dialTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DialStatus.DIAL_ERROR;
        } catch (Exception e) {
            log.debug("autonat v2: dial-back to {} at {} failed: {}", peer, target, e.getMessage());
            return DialStatus.DIAL_ERROR;
        }
        try {
            Stream b = back.newStream(List.of(DIAL_BACK)).get(config.dialTimeout().toMillis(), TimeUnit.MILLISECONDS);
            try {
                b.setDeadline(Instant.now().plus(config.dialTimeout()));
                AutonatV2Codec.write(b.out(), AutonatV2Codec.encode(new DialBack(nonce)));
                AutonatV2Codec.decodeDialBackResponse(AutonatV2Codec.readFrame(b.in()));
                b.close();
                return DialStatus.OK;
            } catch (IOException | AutonatV2Exception e) {
                b.reset();
                return DialStatus.DIAL_BACK_ERROR;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DialStatus.DIAL_BACK_ERROR;
        } catch (Exception e) {
            return DialStatus.DIAL_BACK_ERROR;
        } finally {
            back.close();
        }
    }

    /** The address up to its TCP port: whatever follows (an old /p2p/) is not dialed. */
    private static Multiaddr tcpPart(Multiaddr a) {
        List<Multiaddr.Component> cs = a.components();
        for (int i = 0; i < cs.size(); i++) {
            if (cs.get(i).protocol() == Protocol.TCP) return Multiaddr.fromComponents(cs.subList(0, i + 1));
        }
        return a;
    }

    static boolean isRelayed(Multiaddr a) {
        return a.components().stream().anyMatch(c -> c.protocol() == Protocol.P2P_CIRCUIT);
    }

    private static boolean sameIp(Multiaddr a, Multiaddr b) {
        Optional<InetSocketAddress> x = a.toTcpSocketAddress();
        Optional<InetSocketAddress> y = b.toTcpSocketAddress();
        return x.isPresent() && y.isPresent() && !x.get().isUnresolved() && !y.get().isUnresolved()
                && x.get().getAddress().equals(y.get().getAddress());
    }
}
