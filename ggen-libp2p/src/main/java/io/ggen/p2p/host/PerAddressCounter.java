package io.ggen.p2p.host;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts something (handshakes in progress, connections) per remote address, and refuses past a
 * limit. An IPv4 address counts as itself; an IPv6 address by its /64 (one subscriber's block);
 * an IPv4-mapped IPv6 address as the IPv4 address. Pure bookkeeping, safe from any thread; an
 * address whose count drops to zero leaves the map, so it holds only addresses in use.
 */
final class PerAddressCounter {
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    /** Counts one more for {@code ip} unless it already has {@code max}; true when counted. */
    boolean tryAcquire(InetAddress ip, int max) {
        boolean[] ok = {false};
        counts.compute(key(ip), (k, n) -> {
            int c = n == null ? 0 : n;
            if (c >= max) return n;
            ok[0] = true;
            return c + 1;
        });
        return ok[0];
    }

    /** Counts one less for {@code ip} (after a successful {@link #tryAcquire}). */
    void release(InetAddress ip) {
        counts.computeIfPresent(key(ip), (k, n) -> n <= 1 ? null : n - 1);
    }

    int count(InetAddress ip) {
        return counts.getOrDefault(key(ip), 0);
    }

    /** Addresses with a non-zero count. */
    int addresses() {
        return counts.size();
    }

    /** The unit an address is counted in: the IPv4 address, or the /64 of an IPv6 one. */
    static String key(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (ip instanceof Inet6Address && isV4Mapped(b)) return "4:" + HexFormat.of().formatHex(b, 12, 16);
        if (ip instanceof Inet4Address) return "4:" + HexFormat.of().formatHex(b);
        return "6:" + HexFormat.of().formatHex(b, 0, 8);
    }

    private static boolean isV4Mapped(byte[] b) {
        if (b.length != 16) return false;
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** Whether the per-address limits apply to {@code ip}. */
    static boolean limited(InetAddress ip, boolean limitLoopback) {
        if (limitLoopback) return true;
        if (ip.isLoopbackAddress()) return false;
        byte[] b = ip.getAddress();
        return !(isV4Mapped(b) && (b[12] & 0xff) == 127);
    }

    @Override
    public String toString() {
        return "PerAddressCounter" + Arrays.toString(counts.entrySet().toArray());
    }
}
