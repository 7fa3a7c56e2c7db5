package io.ggen.p2p.autonat.v1;

import io.ggen.p2p.autonat.v1.AutonatV1Message.Dial;
import io.ggen.p2p.autonat.v1.AutonatV1Message.DialResponse;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The client side of AutoNAT v1: asks a server to dial us at our addresses. v1 cannot prove the
 * server really dialed (the spec says as much), so its answers only count together with
 * others'; {@code io.ggen.p2p.autonat} asks v2 servers first.
 */
public final class AutonatV1Client {
    public enum Outcome { REACHABLE, UNREACHABLE, INCONCLUSIVE }

    public record Result(Outcome outcome, Optional<Multiaddr> addr, String detail) {
        public Result {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(addr, "addr");
            Objects.requireNonNull(detail, "detail");
        }
    }

    private final Host host;
    private final Duration timeout;

    /** @param timeout the whole exchange: servers may try several addresses, 15 s each (go waits 60 s) */
    public AutonatV1Client(Host host, Duration timeout) {
        this.host = Objects.requireNonNull(host, "host");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public Result check(Connection server, List<Multiaddr> addrs) {
        if (addrs.isEmpty()) return new Result(Outcome.INCONCLUSIVE, Optional.empty(), "no address to check");
        List<Multiaddr> asked = addrs.size() > AutonatV1Codec.MAX_ADDRS ? addrs.subList(0, AutonatV1Codec.MAX_ADDRS) : addrs;
        Stream s = null;
        try {
            s = server.newStream(List.of(AutonatV1Server.PROTOCOL)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            s.setDeadline(Instant.now().plus(timeout));
            AutonatV1Codec.write(s.out(), new Dial(host.peerId(), asked));
            AutonatV1Message m = AutonatV1Codec.read(s.in());
            s.close();
            if (!(m instanceof DialResponse r)) return new Result(Outcome.INCONCLUSIVE, Optional.empty(), "server sent a dial, not a response");
            return switch (r.status()) {
                case OK -> new Result(Outcome.REACHABLE, r.addr(), "dialed back");
                case DIAL_ERROR -> new Result(Outcome.UNREACHABLE, Optional.empty(), "server could not connect: " + r.statusText());
                default -> new Result(Outcome.INCONCLUSIVE, Optional.empty(), "server answered " + r.status() + ": " + r.statusText());
            };
        } catch (AutonatV1Exception e) {
            if (s != null) s.reset();
            return new Result(Outcome.INCONCLUSIVE, Optional.empty(), "server sent a bad message: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (s != null) s.reset();
            return new Result(Outcome.INCONCLUSIVE, Optional.empty(), "interrupted");
        } catch (Exception e) {
            if (s != null) s.reset();
            return new Result(Outcome.INCONCLUSIVE, Optional.empty(), "request failed: " + e.getMessage());
        }
    }
}
