package io.ggen.p2p.protocol.ping;

import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.host.Connection;
import io.ggen.p2p.host.Host;
import io.ggen.p2p.host.HostException;
import io.ggen.p2p.host.Stream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The libp2p ping protocol ({@code /ipfs/ping/1.0.0}): the dialer sends 32 random bytes, the
 * listener echoes them, repeated on one stream. The responder echoes as long as the stream is
 * open; the number of pings per stream is not limited by the spec, and costs us nothing but
 * the echo.
 */
public final class PingService {
    public static final String PROTOCOL = "/ipfs/ping/1.0.0";
    public static final int PAYLOAD = 32;
    /** Bound on pings in one call. */
    public static final int MAX_COUNT = 1000;

    private final Host host;
    private final SecureRandom random = new SecureRandom();

    public PingService(Host host) {
        this.host = host;
    }

    public void register() {
        host.handle(PROTOCOL, PingService::serve);
    }

    static void serve(Stream stream) throws IOException {
        InputStream in = stream.in();
        OutputStream out = stream.out();
        byte[] buf = new byte[PAYLOAD];
        while (true) {
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
        Stream s = connection.newStream(List.of(PROTOCOL)).join();
        List<Duration> rtts = new ArrayList<>(count);
        try {
            byte[] payload = new byte[PAYLOAD];
            byte[] echo = new byte[PAYLOAD];
            for (int i = 0; i < count; i++) {
                random.nextBytes(payload);
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
