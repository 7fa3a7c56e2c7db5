package io.ggen.p2p.multiaddr;

import java.util.Arrays;
import java.util.Objects;

/**
 * A block of IP addresses in CIDR notation ({@code 198.51.100.0/24}, {@code 2001:db8::/32}).
 * IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) fall in the IPv4 block of their address.
 */
public record IpRange(byte[] network, int prefixLength) {
    public IpRange {
        Objects.requireNonNull(network, "network");
        if (network.length != 4 && network.length != 16) throw new IllegalArgumentException("an IP range needs a 4- or 16-byte network");
        if (prefixLength < 0 || prefixLength > network.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of 0.." + network.length * 8);
        }
        network = masked(network, prefixLength);
    }

    /**
     * Parses {@code <ip>/<prefix>}, or a bare IP (a block of one). Only literal addresses are
     * accepted: nothing is resolved.
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static IpRange parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        int slash = t.indexOf('/');
        String ip = slash < 0 ? t : t.substring(0, slash);
        byte[] addr = literal(ip).orElseThrow(() -> new IllegalArgumentException(
                "'" + text + "' is not an IP range: write an address and a prefix length, e.g. 198.51.100.0/24 or 2001:db8::/32"));
        int prefix = addr.length * 8;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("'" + text + "' is not an IP range: the prefix length after '/' must be a number");
            }
            prefix = Integer.parseInt(p);
            if (prefix > addr.length * 8) {
                throw new IllegalArgumentException("'" + text + "' is not an IP range: the prefix length is at most " + addr.length * 8);
            }
        }
        return new IpRange(addr, prefix);
    }

    /** True when {@code ip} (4 or 16 bytes) lies in this block. */
    public boolean contains(byte[] ip) {
        byte[] a = ip;
        if (a.length == 16 && network.length == 4 && isMapped4(a)) a = Arrays.copyOfRange(a, 12, 16);
        if (a.length != network.length) return false;
        return Arrays.equals(masked(a, prefixLength), network);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange r && r.prefixLength == prefixLength && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return java.net.InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes, checked in the constructor
        }
    }

    static boolean isMapped4(byte[] v) {
        if (v.length != 16) return false;
        for (int i = 0; i < 10; i++) if (v[i] != 0) return false;
        return v[10] == (byte) 0xff && v[11] == (byte) 0xff;
    }

    private static byte[] masked(byte[] addr, int prefix) {
        byte[] out = addr.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - keep)));
        }
        return out;
    }

    /** The bytes of an IP literal, without any name resolution. */
    private static java.util.Optional<byte[]> literal(String ip) {
        if (ip.isEmpty() || ip.length() > 45) return java.util.Optional.empty();
        try {
            Multiaddr m = Multiaddr.fromString((ip.indexOf(':') >= 0 ? "/ip6/" : "/ip4/") + ip);
            return java.util.Optional.of(m.components().get(0).value());
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
