package io.ggen.p2p.multiaddr;


import io.ggen.p2p.multiformats.MultiformatException;
import io.ggen.p2p.multiformats.Varint;
import io.ggen.p2p.crypto.PeerId;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A multiaddr (multiformats/multiaddr): a sequence of (protocol, value) components, in binary
 * {@code (<varint code><value>)+} and text {@code (/<name>/<value>)+}. Immutable; equality is on
 * the binary form.
 *
 * <p>Both parsers are hostile-input safe: at most {@link #MAX_BYTES} bytes,
 * {@link #MAX_COMPONENTS} components and {@link #MAX_TEXT_LENGTH} characters, checked before
 * allocation; every value is validated (ports, addresses, UTF-8 names, peer ids, multihashes),
 * and anything wrong raises {@link MultiformatException}.
 */
public final class Multiaddr {
    public static final int MAX_BYTES = 1024;
    public static final int MAX_COMPONENTS = 32;
    /** Text limit: percent-encoding can triple a value's length. */
    public static final int MAX_TEXT_LENGTH = 4 * MAX_BYTES;

    /** One component: its protocol, its binary value (empty when it has none) and its text value. */
    public record Component(Protocol protocol, byte[] value, String text) {
        public Component {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        /** {@code /name} or {@code /name/value}. */
        @Override
        public String toString() {
            return protocol.hasValue() ? "/" + protocol.protocolName() + "/" + text : "/" + protocol.protocolName();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Component c && c.protocol == protocol && Arrays.equals(c.value, value);
        }

        @Override
        public int hashCode() {
            return protocol.hashCode() * 31 + Arrays.hashCode(value);
        }
    }

    private final byte[] bytes;
    private final List<Component> components;

    private Multiaddr(byte[] bytes, List<Component> components) {
        this.bytes = bytes;
        this.components = List.copyOf(components);
    }

    // ---- parsing ----

    public static Multiaddr fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length == 0) throw new MultiformatException("multiaddr: empty");
        if (bytes.length > MAX_BYTES) throw new MultiformatException("multiaddr: longer than " + MAX_BYTES + " bytes");
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        List<Component> out = new ArrayList<>();
        while (buf.hasRemaining()) {
            if (out.size() == MAX_COMPONENTS) throw new MultiformatException("multiaddr: more than " + MAX_COMPONENTS + " components");
            long code = Varint.read(buf);
            Protocol p = Protocol.forCode(code);
            if (p == null) throw new MultiformatException("multiaddr: unknown protocol code 0x" + Long.toHexString(code));
            int length;
            if (p.size() == Protocol.VARIABLE) {
                long l = Varint.read(buf);
                if (l > buf.remaining()) throw new MultiformatException("multiaddr: /" + p.protocolName() + " value truncated");
                length = (int) l;
            } else {
                length = p.size() / 8;
                if (length > buf.remaining()) throw new MultiformatException("multiaddr: /" + p.protocolName() + " value truncated");
            }
            byte[] value = new byte[length];
            buf.get(value);
            String text = MultiaddrValues.bytesToText(p, value);
            out.add(new Component(p, value, text));
        }
        return new Multiaddr(bytes.clone(), out);
    }

    /**
     * Parses the binary form, or empty when it is not a valid multiaddr: for lists received from
     * peers, where one bad address is skipped rather than failing the whole message.
     */
    public static Optional<Multiaddr> tryFromBytes(byte[] bytes) {
        try {
            return Optional.of(fromBytes(bytes));
        } catch (MultiformatException e) {
            return Optional.empty();
        }
    }

    public static Multiaddr fromString(String text) {
        if (text == null || text.isEmpty()) throw new MultiformatException("multiaddr: empty");
        if (text.length() > MAX_TEXT_LENGTH) throw new MultiformatException("multiaddr: text longer than " + MAX_TEXT_LENGTH + " characters");
        if (text.charAt(0) != '/') throw new MultiformatException("multiaddr: must begin with '/'");
        // One trailing '/' is tolerated, as go and js do.
        String body = text.length() > 1 && text.endsWith("/") ? text.substring(1, text.length() - 1) : text.substring(1);
        if (body.isEmpty()) throw new MultiformatException("multiaddr: no components");
        String[] parts = body.split("/", -1);
        if (parts.length > 2 * MAX_COMPONENTS) throw new MultiformatException("multiaddr: more than " + MAX_COMPONENTS + " components");
        List<Component> out = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            if (out.size() == MAX_COMPONENTS) throw new MultiformatException("multiaddr: more than " + MAX_COMPONENTS + " components");
            String name = parts[i];
            if (name.isEmpty()) throw new MultiformatException("multiaddr: empty protocol name");
            Protocol p = Protocol.forName(name);
            if (p == null) throw new MultiformatException("multiaddr: unknown protocol '" + MultiaddrValues.clip(name) + "'");
            if (!p.hasValue()) {
                out.add(new Component(p, new byte[0], ""));
                continue;
            }
            if (++i >= parts.length) throw new MultiformatException("multiaddr: /" + p.protocolName() + " needs a value");
            byte[] value = MultiaddrValues.textToBytes(p, parts[i]);
            out.add(new Component(p, value, MultiaddrValues.bytesToText(p, value)));
        }
        return fromComponents(out);
    }

    /** Builds a multiaddr from components (their binary values are checked again). */
    public static Multiaddr fromComponents(List<Component> components) {
        if (components.isEmpty()) throw new MultiformatException("multiaddr: no components");
        if (components.size() > MAX_COMPONENTS) throw new MultiformatException("multiaddr: more than " + MAX_COMPONENTS + " components");
        int size = 0;
        for (Component c : components) {
            byte[] v = c.value;
            size += Varint.encodedLength(c.protocol.code()) + v.length
                    + (c.protocol.size() == Protocol.VARIABLE ? Varint.encodedLength(v.length) : 0);
        }
        if (size > MAX_BYTES) throw new MultiformatException("multiaddr: longer than " + MAX_BYTES + " bytes");
        ByteBuffer buf = ByteBuffer.allocate(size);
        List<Component> checked = new ArrayList<>(components.size());
        for (Component c : components) {
            String text = MultiaddrValues.bytesToText(c.protocol, c.value);
            checked.add(new Component(c.protocol, c.value, text));
            Varint.write(c.protocol.code(), buf);
            if (c.protocol.size() == Protocol.VARIABLE) Varint.write(c.value.length, buf);
            buf.put(c.value);
        }
        return new Multiaddr(buf.array(), checked);
    }

    /** {@code /ip4/<a>/tcp/<port>} or {@code /ip6/<a>/tcp/<port>}. */
    public static Multiaddr tcp(InetAddress address, int port) {
        return ipAnd(address, Protocol.TCP, port);
    }

    /** {@code /ip4/<a>/udp/<port>} or {@code /ip6/<a>/udp/<port>}. */
    public static Multiaddr udp(InetAddress address, int port) {
        return ipAnd(address, Protocol.UDP, port);
    }

    private static Multiaddr ipAnd(InetAddress address, Protocol transport, int port) {
        if (port < 0 || port > 65535) throw new MultiformatException("multiaddr: port " + port + " out of range 0..65535");
        byte[] a = address.getAddress();
        Protocol ip = a.length == 4 ? Protocol.IP4 : Protocol.IP6;
        List<Component> cs = new ArrayList<>(3);
        cs.add(new Component(ip, a, ""));
        if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
            // A scoped (link-local) address keeps its zone: /ip6zone comes first, as the spec orders it.
            cs.add(0, new Component(Protocol.IP6ZONE, Integer.toString(v6.getScopeId()).getBytes(java.nio.charset.StandardCharsets.UTF_8), ""));
        }
        cs.add(new Component(transport, new byte[] {(byte) (port >> 8), (byte) port}, ""));
        return fromComponents(cs);
    }

    // ---- access ----

    public byte[] toBytes() {
        return bytes.clone();
    }

    public List<Component> components() {
        return components;
    }

    /** This multiaddr followed by {@code other}. */
    public Multiaddr encapsulate(Multiaddr other) {
        List<Component> cs = new ArrayList<>(components);
        cs.addAll(other.components);
        return fromComponents(cs);
    }

    /** The peer id of the last component, when it is {@code /p2p}. */
    public Optional<PeerId> peerId() {
        if (components.isEmpty()) return Optional.empty();
        Component last = components.get(components.size() - 1);
        if (last.protocol != Protocol.P2P) return Optional.empty();
        // The value was checked to be a peer id when this multiaddr was parsed.
        return Optional.of(PeerId.fromBytes(last.value));
    }

    /** This multiaddr without a trailing {@code /p2p/<id>}; itself when there is none. */
    public Multiaddr withoutPeerId() {
        if (components.get(components.size() - 1).protocol != Protocol.P2P) return this;
        if (components.size() == 1) throw new MultiformatException("multiaddr: nothing left without the /p2p component");
        return fromComponents(components.subList(0, components.size() - 1));
    }

    /** This multiaddr ending in {@code /p2p/<id>}, replacing a trailing one if present. */
    public Multiaddr withPeerId(PeerId id) {
        List<Component> cs = new ArrayList<>(components);
        if (cs.get(cs.size() - 1).protocol == Protocol.P2P) cs.remove(cs.size() - 1);
        cs.add(new Component(Protocol.P2P, id.toBytes(), id.toBase58()));
        return fromComponents(cs);
    }

    /**
     * The address to dial when this is {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>} (anything
     * may follow, such as {@code /p2p/<id>}). Names are left unresolved; no I/O happens here.
     */
    public Optional<InetSocketAddress> toTcpSocketAddress() {
        int i = 0;
        String zone = null;
        if (components.size() > 1 && components.get(0).protocol == Protocol.IP6ZONE) {
            zone = components.get(0).text;
            i = 1;
        }
        if (components.size() < i + 2) return Optional.empty();
        Component host = components.get(i);
        Component transport = components.get(i + 1);
        if (transport.protocol != Protocol.TCP) return Optional.empty();
        int port = ((transport.value[0] & 0xff) << 8) | (transport.value[1] & 0xff);
        try {
            return switch (host.protocol) {
                case IP4 -> Optional.of(new InetSocketAddress(InetAddress.getByAddress(host.value), port));
                case IP6 -> Optional.of(new InetSocketAddress(zone == null
                        ? InetAddress.getByAddress(host.value)
                        : Inet6Address.getByAddress(null, host.value, zoneIndex(zone)), port));
                case DNS, DNS4, DNS6 -> zone == null ? Optional.of(InetSocketAddress.createUnresolved(host.text, port)) : Optional.empty();
                default -> Optional.empty();
            };
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static int zoneIndex(String zone) {
        try {
            return Integer.parseInt(zone);
        } catch (NumberFormatException e) {
            return 0; // named zones (eth0) need a NetworkInterface look-up, which is I/O: left to the caller
        }
    }

    /** True when the first address component is loopback: 127/8, ::1, or the name localhost. */
    public boolean isLoopback() {
        Component c = hostComponent();
        if (c == null) return false;
        return switch (c.protocol) {
            case IP4 -> (c.value[0] & 0xff) == 127;
            case IP6 -> Arrays.equals(c.value, LOOPBACK6) || isMapped4(c.value) && (c.value[12] & 0xff) == 127;
            case DNS, DNS4, DNS6 -> c.text.equalsIgnoreCase("localhost") || c.text.toLowerCase(java.util.Locale.ROOT).endsWith(".localhost");
            default -> false;
        };
    }

    /**
     * True when the first address component is a private (non-routable, non-loopback) IP address:
     * RFC 1918, shared address space 100.64/10, link-local 169.254/16 and fe80::/10, unique local
     * fc00::/7. Names and public addresses are not private.
     */
    public boolean isPrivate() {
        Component c = hostComponent();
        if (c == null) return false;
        byte[] v = c.value;
        if (c.protocol == Protocol.IP6 && isMapped4(v)) v = Arrays.copyOfRange(v, 12, 16);
        else if (c.protocol == Protocol.IP6) {
            int b0 = v[0] & 0xff;
            int b1 = v[1] & 0xff;
            return (b0 & 0xfe) == 0xfc || (b0 == 0xfe && (b1 & 0xc0) == 0x80);
        }
        if (v.length != 4 || (c.protocol != Protocol.IP4 && c.protocol != Protocol.IP6)) return false;
        int a = v[0] & 0xff;
        int b = v[1] & 0xff;
        return a == 10 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168) || (a == 100 && (b & 0xc0) == 64) || (a == 169 && b == 254);
    }

    /**
     * True when the address is worth announcing to the internet: a name that is not localhost, or
     * an IP that is not loopback, private, unspecified or multicast.
     */
    public boolean isPublic() {
        Component c = hostComponent();
        if (c == null || isLoopback() || isPrivate()) return false;
        return switch (c.protocol) {
            case DNS, DNS4, DNS6, DNSADDR -> true;
            case IP4 -> {
                int a = c.value[0] & 0xff;
                yield a != 0 && a < 224;
            }
            case IP6 -> {
                if (isMapped4(c.value)) {
                    int a = c.value[12] & 0xff;
                    yield a != 0 && a < 224;
                }
                yield !Arrays.equals(c.value, new byte[16]) && (c.value[0] & 0xff) != 0xff;
            }
            default -> false;
        };
    }

    private static final byte[] LOOPBACK6 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    private static boolean isMapped4(byte[] v) {
        if (v.length != 16) return false;
        for (int i = 0; i < 10; i++) if (v[i] != 0) return false;
        return v[10] == (byte) 0xff && v[11] == (byte) 0xff;
    }

    private Component hostComponent() {
        for (Component c : components) {
            if (c.protocol == Protocol.IP6ZONE) continue;
            return switch (c.protocol) {
                case IP4, IP6, DNS, DNS4, DNS6, DNSADDR -> c;
                default -> null;
            };
        }
        return null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Component c : components) sb.append(c);
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multiaddr other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
