package io.ggen.p2p.protocol.ping;

import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.HostException;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.crypto.PeerId;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The libp2p ping protocol ({@code /ipfs/ping/1.0.0}) as a service on a {@link Host}: the dialer
 * sends 32 random bytes, the listener echoes them, repeated on one stream. The responder echoes
 * as long as pings keep coming; one that does not arrive within {@link #IDLE_TIMEOUT} (a read
 * deadline, as go-libp2p's 60 s) ends the stream. Each of our pings has {@code timeout} for its
 * round trip.
 */
public final class PingService {
    public static final String PROTOCOL = "/ipfs/ping/1.0.0";
    public static final int PAYLOAD = 32;
    /** Bound on pings in one call. */
    public static final int MAX_COUNT = 1000;
    /** How long the responder waits for the next ping on a stream. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Host host;
    private final Duration timeout;
    private final SecureRandom random = new SecureRandom();

    public PingService(Host host) {
        this(host, DEFAULT_TIMEOUT);
    }

    /** @param timeout bound on each round trip (and the stream's set-up) */
    public PingService(Host host, Duration timeout) {
        this.host = host;
        this.timeout = timeout;
    }

    public void register() {
        host.handle(PROTOCOL, PingService::serve);
    }

    static void serve(Stream stream) throws IOException {
        InputStream in = stream.in();
        OutputStream out = stream.out();
        byte[] buf = new byte[PAYLOAD];
        while (true) {
            stream.setDeadline(Instant.now().plus(IDLE_TIMEOUT));
            int n = in.readNBytes(buf, 0, PAYLOAD);
            if (n == 0) return; // clean end
            if (n < PAYLOAD) throw new EOFException("ping: stream ended inside a payload");
            out.write(buf);
            out.flush();
        }
    }

    /** Pings {@code peer} {@code count} times on one stream; returns each round-trip time. */
    public List<Duration> ping(PeerId peer, int count) {
        Connection c = host.dial(peer).join();
        return ping(c, count);
    }

    public List<Duration> ping(Connection connection, int count) {
        if (count < 1 || count > MAX_COUNT) throw new IllegalArgumentException("ping count must be 1.." + MAX_COUNT);
        Stream s;
        try {
            s = connection.newStream(List.of(PROTOCOL)).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new HostException("ping " + connection.remotePeer() + ": cannot open stream: " + e.getMessage(), e);
        }
        List<Duration> rtts = new ArrayList<>(count);
        try {
            byte[] payload = new byte[PAYLOAD];
            byte[] echo = new byte[PAYLOAD];
            for (int i = 0; i < count; i++) {
                random.nextBytes(payload);
                s.setDeadline(Instant.now().plus(timeout));
                long t0 = System.nanoTime();
                s.out().write(payload);
                s.out().flush();
                int n = s.in().readNBytes(echo, 0, PAYLOAD);
                long rtt = System.nanoTime() - t0;
                if (n < PAYLOAD) throw new HostException("ping: " + connection.remotePeer() + " closed the stream");
                if (!Arrays.equals(payload, echo)) throw new HostException("ping: " + connection.remotePeer() + " echoed different bytes");
                rtts.add(Duration.ofNanos(rtt));
            }
            s.close();
        } catch (IOException e) {
            s.reset();
            throw new HostException("ping " + connection.remotePeer() + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            s.reset();
            throw e;
        }
        host.peerStore().setLatency(connection.remotePeer(), rtts.stream().sorted().toList().get(rtts.size() / 2));
        return rtts;
    }
}
