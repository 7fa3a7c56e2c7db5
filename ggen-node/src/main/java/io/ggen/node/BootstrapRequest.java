package io.ggen.node;

import io.ggen.marketplace.error.InvalidRequestException;
import io.ggen.node.config.ConfigKey;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Dial these peers (each address ending in {@code /p2p/<peer id>}), then bootstrap the DHT, all within {@code timeoutMs}. */
public record BootstrapRequest(List<String> addrs, long timeoutMs) {
    public static final int MAX_ADDRS = 64;
    public static final long DEFAULT_TIMEOUT_MS = 30_000;
    public static final long MAX_TIMEOUT_MS = 600_000;

    public BootstrapRequest {
        addrs = addrs == null ? List.of() : List.copyOf(addrs);
        if (timeoutMs == 0) timeoutMs = DEFAULT_TIMEOUT_MS;
        if (addrs.isEmpty()) throw new InvalidRequestException("addrs", "must name at least one multiaddr");
        if (addrs.size() > MAX_ADDRS) throw new InvalidRequestException("addrs", "names " + addrs.size() + " addresses; at most " + MAX_ADDRS + " at once");
        if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) throw new InvalidRequestException("timeout_ms", "must be between 1 and " + MAX_TIMEOUT_MS + ", got " + timeoutMs);
        multiaddrs(addrs);
    }

    /** The addresses, parsed. */
    public List<Multiaddr> multiaddrs() {
        return multiaddrs(addrs);
    }

    public Duration timeout() {
        return Duration.ofMillis(timeoutMs);
    }

    /** Each address by the rules of {@code bootstrap_nodes}: a TCP multiaddr ending in {@code /p2p/<peer id>}. */
    private static List<Multiaddr> multiaddrs(List<String> addrs) {
        List<Multiaddr> out = new ArrayList<>(addrs.size());
        for (String a : addrs) {
            try {
                out.add(ConfigKey.bootstrapAddr(String.valueOf(a)));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("addrs", "has " + e.getMessage());
            }
        }
        return out;
    }
}
