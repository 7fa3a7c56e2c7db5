package io.ggen.p2p.multiaddr;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides the {@link AddressScope} of an address: what a node advertises to whom, which of its
 * addresses AutoNAT may test, which addresses an AutoNAT server agrees to dial.
 *
 * <p>The built-in ranges follow the IANA special-purpose registries. Two lists change them, and
 * are checked first: {@code publicRanges} counts blocks as public (a lab on the documentation
 * ranges 198.51.100.0/24 and 203.0.113.0/24, or a test on 127.0.0.0/8), {@code privateRanges}
 * counts blocks as private (a large network that routes a public block internally). A range in
 * both lists is public.
 */
public record AddressClassifier(List<IpRange> publicRanges, List<IpRange> privateRanges) {
    /** Most configured ranges per list. */
    public static final int MAX_RANGES = 256;

    /** The built-in classification, with no configured ranges. */
    public static final AddressClassifier DEFAULT = new AddressClassifier(List.of(), List.of());

    private static final List<IpRange> UNROUTABLE_V4 = List.of(
            IpRange.parse("0.0.0.0/8"),
            IpRange.parse("192.0.0.0/24"),     // IETF protocol assignments
            IpRange.parse("192.0.2.0/24"),     // documentation (TEST-NET-1)
            IpRange.parse("198.18.0.0/15"),    // benchmarking
            IpRange.parse("198.51.100.0/24"),  // documentation (TEST-NET-2)
            IpRange.parse("203.0.113.0/24"),   // documentation (TEST-NET-3)
            IpRange.parse("224.0.0.0/4"),      // multicast
            IpRange.parse("240.0.0.0/4"));     // reserved, and broadcast
    private static final List<IpRange> UNROUTABLE_V6 = List.of(
            IpRange.parse("::/128"),
            IpRange.parse("100::/64"),         // discard-only
            IpRange.parse("2001:db8::/32"),    // documentation
            IpRange.parse("ff00::/8"));        // multicast

    public AddressClassifier {
        publicRanges = List.copyOf(publicRanges);
        privateRanges = List.copyOf(privateRanges);
        if (publicRanges.size() > MAX_RANGES || privateRanges.size() > MAX_RANGES) {
            throw new IllegalArgumentException("at most " + MAX_RANGES + " public and " + MAX_RANGES + " private ranges");
        }
    }

    /** A classifier that also counts {@code ranges} as public, e.g. {@code ["198.51.100.0/24"]}. */
    public static AddressClassifier withPublicRanges(List<String> ranges) {
        return new AddressClassifier(ranges.stream().map(IpRange::parse).toList(), List.of());
    }

    /** The scope of the host part of {@code addr} (its first IP or DNS component). */
    public AddressScope classify(Multiaddr addr) {
        Objects.requireNonNull(addr, "addr");
        for (Multiaddr.Component c : addr.components()) {
            switch (c.protocol()) {
                case IP6ZONE -> { continue; }
                case IP4, IP6 -> { return classifyIp(c.value()); }
                case DNS, DNS4, DNS6, DNSADDR -> { return classifyName(c.text()); }
                default -> { return AddressScope.UNROUTABLE; }
            }
        }
        return AddressScope.UNROUTABLE;
    }

    /** The scope of a raw IP address (4 or 16 bytes). */
    public AddressScope classifyIp(byte[] ip) {
        for (IpRange r : publicRanges) if (r.contains(ip)) return AddressScope.PUBLIC;
        for (IpRange r : privateRanges) if (r.contains(ip)) return AddressScope.PRIVATE;
        byte[] v = ip.length == 16 && IpRange.isMapped4(ip) ? java.util.Arrays.copyOfRange(ip, 12, 16) : ip;
        if (v.length == 4) {
            int a = v[0] & 0xff;
            int b = v[1] & 0xff;
            if (a == 127) return AddressScope.LOOPBACK;
            if (a == 10 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168) || (a == 100 && (b & 0xc0) == 64)
                    || (a == 169 && b == 254)) {
                return AddressScope.PRIVATE;
            }
            for (IpRange r : UNROUTABLE_V4) if (r.contains(v)) return AddressScope.UNROUTABLE;
            return AddressScope.PUBLIC;
        }
        if (v.length != 16) return AddressScope.UNROUTABLE;
        boolean loopback = true;
        for (int i = 0; i < 15; i++) loopback &= v[i] == 0;
        if (loopback && v[15] == 1) return AddressScope.LOOPBACK;
        int b0 = v[0] & 0xff;
        int b1 = v[1] & 0xff;
        if ((b0 & 0xfe) == 0xfc || (b0 == 0xfe && (b1 & 0xc0) == 0x80)) return AddressScope.PRIVATE;
        for (IpRange r : UNROUTABLE_V6) if (r.contains(v)) return AddressScope.UNROUTABLE;
        // Global unicast is 2000::/3; the rest is unassigned or special.
        return (b0 & 0xe0) == 0x20 ? AddressScope.PUBLIC : AddressScope.UNROUTABLE;
    }

    private static AddressScope classifyName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("localhost") || n.endsWith(".localhost")) return AddressScope.LOOPBACK;
        if (n.endsWith(".local")) return AddressScope.PRIVATE;
        return AddressScope.PUBLIC;
    }

    public boolean isPublic(Multiaddr addr) {
        return classify(addr) == AddressScope.PUBLIC;
    }

    /**
     * Whether {@code addr} may be told to a peer seen at {@code to}: public addresses to anyone;
     * private ones to peers on a private or loopback address (the same home network); loopback
     * ones to peers on loopback; unroutable ones never.
     */
    public boolean advertisableTo(Multiaddr addr, Multiaddr to) {
        AddressScope mine = classify(addr);
        AddressScope theirs = classify(to);
        return switch (mine) {
            case PUBLIC -> true;
            case PRIVATE -> theirs == AddressScope.PRIVATE || theirs == AddressScope.LOOPBACK;
            case LOOPBACK -> theirs == AddressScope.LOOPBACK;
            case UNROUTABLE -> false;
        };
    }
}
