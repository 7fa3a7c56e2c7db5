package io.ggen.p2p.portmap;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The IPv4 default gateway and our address on its network: where NAT-PMP, PCP and SSDP go, and
 * which answers count (only the gateway's subnet). Read from Linux's {@code /proc/net/route};
 * elsewhere there is none and port mapping stays off.
 */
public record Gateway(Inet4Address address, Inet4Address localAddress, int prefixLength, String interfaceName) {
    private static final Path ROUTES = Path.of("/proc/net/route");
    private static final int RTF_UP = 0x1;
    private static final int RTF_GATEWAY = 0x2;
    /** More than any host has; the rest of the file is not read. */
    private static final int MAX_ROUTES = 4096;

    /** A default route from {@code /proc/net/route}: its interface and gateway. */
    record DefaultRoute(String interfaceName, Inet4Address gateway) {}

    public static Optional<Gateway> find() {
        String routes;
        try {
            if (!Files.isReadable(ROUTES)) return Optional.empty();
            routes = Files.readString(ROUTES);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        Optional<DefaultRoute> route = defaultRoute(routes);
        if (route.isEmpty()) return Optional.empty();
        try {
            NetworkInterface nif = NetworkInterface.getByName(route.get().interfaceName());
            if (nif == null) return Optional.empty();
            for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
                if (ia.getAddress() instanceof Inet4Address local) {
                    return Optional.of(new Gateway(route.get().gateway(), local, ia.getNetworkPrefixLength(), route.get().interfaceName()));
                }
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The default route with the lowest metric, from the text of {@code /proc/net/route}. */
    static Optional<DefaultRoute> defaultRoute(String text) {
        DefaultRoute best = null;
        long bestMetric = Long.MAX_VALUE;
        String[] lines = text.split("\n", MAX_ROUTES + 1);
        for (int i = 1; i < lines.length && i <= MAX_ROUTES; i++) {
            String[] f = lines[i].trim().split("\\s+");
            if (f.length < 8) continue;
            try {
                long dest = Long.parseLong(f[1], 16);
                long gw = Long.parseLong(f[2], 16);
                int flags = Integer.parseInt(f[3], 16);
                long metric = Long.parseLong(f[6]);
                long mask = Long.parseLong(f[7], 16);
                if (dest != 0 || mask != 0 || gw == 0 || (flags & (RTF_UP | RTF_GATEWAY)) != (RTF_UP | RTF_GATEWAY)) continue;
                if (metric < bestMetric) {
                    // the kernel prints the address in host (little-endian) order
                    byte[] ip = {(byte) gw, (byte) (gw >> 8), (byte) (gw >> 16), (byte) (gw >> 24)};
                    best = new DefaultRoute(f[0], NatPmpCodec.ipv4(ip));
                    bestMetric = metric;
                }
            } catch (NumberFormatException e) {
                // not a route line
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether {@code a} is on the gateway's network (our address and prefix). */
    public boolean onLink(InetAddress a) {
        if (!(a instanceof Inet4Address)) return false;
        int bits = Math.max(0, Math.min(32, prefixLength));
        int mask = bits == 0 ? 0 : -1 << (32 - bits);
        return (toInt(a) & mask) == (toInt(localAddress) & mask);
    }

    private static int toInt(InetAddress a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
