package io.ggen.p2p.autonat.v2;

import io.ggen.p2p.autonat.v2.AutonatV2Message.DialBackResponse;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialDataRequest;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialDataResponse;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialRequest;
import io.ggen.p2p.autonat.v2.AutonatV2Message.DialResponse;
import io.ggen.p2p.core.Connection;
import io.ggen.p2p.core.Host;
import io.ggen.p2p.core.Stream;
import io.ggen.p2p.multiaddr.Multiaddr;
import io.ggen.p2p.multiaddr.Protocol;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The client side of AutoNAT v2: asks a server to dial one of our addresses, pays the dial data
 * it asks for (up to {@code maxDialData}), and believes a reported success only when the
 * server's dial-back reached us with our nonce, on a TCP connection. Serves
 * {@code /libp2p/autonat/2/dial-back}; at most {@link #MAX_PENDING} checks are in flight.
 */
public final class AutonatV2Client {
    /** Checks in flight at once, each waiting for its nonce. */
    public static final int MAX_PENDING = 64;

    /** What one check taught us. */
    public enum Outcome {
        /** The server dialed {@code addr} and our nonce came back on that connection. */
        REACHABLE,
        /** The server tried {@code addr} and could not connect. */
        UNREACHABLE,
        /** Nothing about reachability: refused, rejected, an error, or a claim we could not verify. */
        INCONCLUSIVE
    }

    /** The answer of one server: the address it tried (when it tried one), and a reason for logs. */
    public record Result(Outcome outcome, Optional<Multiaddr> addr, String detail) {
        public Result {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(addr, "addr");
            Objects.requireNonNull(detail, "detail");
        }

        static Result inconclusive(String why) {
            return new Result(Outcome.INCONCLUSIVE, Optional.empty(), why);
        }
    }

    private static final class Pending {
        volatile Multiaddr receivedOn;
    }

    private final Host host;
    private final Duration timeout;
    private final long maxDialData;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    /**
     * @param timeout the whole check, the server's dial-back included
     * @param maxDialData most bytes we send a server that asks for dial data
     */
    public AutonatV2Client(Host host, Duration timeout, long maxDialData) {
        this.host = Objects.requireNonNull(host, "host");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.maxDialData = maxDialData;
    }

    public void register() {
        host.handle(AutonatV2Server.DIAL_BACK, this::onDialBack);
    }

    public void unregister() {
        host.unhandle(AutonatV2Server.DIAL_BACK);
    }

    void onDialBack(Stream s) throws IOException {
        s.setDeadline(Instant.now().plus(Duration.ofSeconds(10)));
        long nonce;
        try {
            nonce = AutonatV2Codec.decodeDialBack(AutonatV2Codec.readFrame(s.in())).nonce();
        } catch (AutonatV2Exception e) {
            s.reset();
            return;
        }
        Pending p = pending.get(nonce);
        if (p == null) {
            s.reset();
            return;
        }
        p.receivedOn = s.connection().localAddr();
        AutonatV2Codec.write(s.out(), AutonatV2Codec.encode(new DialBackResponse()));
        s.close();
    }

    /** Asks the server at the other end of {@code server} to check {@code addrs}, best first. */
    public Result check(Connection server, List<Multiaddr> addrs) {
        if (addrs.isEmpty()) return Result.inconclusive("no address to check");
        List<Multiaddr> asked = addrs.size() > AutonatV2Codec.MAX_ADDRS ? addrs.subList(0, AutonatV2Codec.MAX_ADDRS) : addrs;
        if (pending.size() >= MAX_PENDING) return Result.inconclusive("too many checks in flight");
        long nonce = random.nextLong();
        Pending mine = new Pending();
        if (pending.putIfAbsent(nonce, mine) != null) return Result.inconclusive("nonce collision");
        Stream s = null;
        try {
            s = server.newStream(List.of(AutonatV2Server.DIAL_REQUEST)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            s.setDeadline(Instant.now().plus(timeout));
            AutonatV2Codec.write(s.out(), AutonatV2Codec.encode(new DialRequest(asked, nonce)));
            boolean paid = false;
            while (true) {
                AutonatV2Message m = AutonatV2Codec.read(s.in());
                if (m instanceof DialDataRequest d) {
                    if (paid || d.addrIdx() >= asked.size() || d.numBytes() > maxDialData) {
                        s.reset();
                        return Result.inconclusive(paid ? "server asked for dial data twice" : d.addrIdx() >= asked.size()
                                ? "server asked for dial data for an address we did not send" : "server asked for " + d.numBytes() + " bytes of dial data, more than " + maxDialData);
                    }
                    sendDialData(s, d.numBytes());
                    paid = true;
                } else if (m instanceof DialResponse r) {
                    s.close();
                    return interpret(r, asked, mine);
                } else {
                    s.reset();
                    return Result.inconclusive("server sent a message out of place");
                }
            }
        } catch (AutonatV2Exception e) {
            if (s != null) s.reset();
            return Result.inconclusive("server sent a bad message: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (s != null) s.reset();
            return Result.inconclusive("interrupted");
        } catch (Exception e) {
            if (s != null) s.reset();
            return Result.inconclusive("request failed: " + e.getMessage());
        } finally {
            pending.remove(nonce, mine);
        }
    }

    private static void sendDialData(Stream s, long numBytes) throws IOException {
        byte[] part = AutonatV2Codec.encode(new DialDataResponse(new byte[AutonatV2Codec.MAX_DIAL_DATA_CHUNK]));
        byte[] framed = io.ggen.p2p.protocol.LengthPrefixed.frame(part);
        for (long sent = 0; sent < numBytes; sent += AutonatV2Codec.MAX_DIAL_DATA_CHUNK) s.out().write(framed);
        s.out().flush();
    }

    private static Result interpret(DialResponse r, List<Multiaddr> asked, Pending mine) {
        if (r.status() != AutonatV2Message.ResponseStatus.OK) return Result.inconclusive("server answered " + r.status());
        if (r.addrIdx() >= asked.size()) return Result.inconclusive("server reported an address we did not send");
        Multiaddr addr = asked.get(r.addrIdx());
        return switch (r.dialStatus()) {
            case OK -> {
                Multiaddr on = mine.receivedOn;
                if (on == null) yield Result.inconclusive("server reported a dial-back we never received");
                if (on.components().stream().noneMatch(c -> c.protocol() == Protocol.TCP)) {
                    yield Result.inconclusive("the dial-back came over another transport than " + addr);
                }
                yield new Result(Outcome.REACHABLE, Optional.of(addr), "dialed back");
            }
            case DIAL_ERROR -> new Result(Outcome.UNREACHABLE, Optional.of(addr), "server could not connect");
            case DIAL_BACK_ERROR -> Result.inconclusive("server connected but the dial-back stream failed");
            case UNUSED -> Result.inconclusive("server sent no dial status");
        };
    }
}
