package io.ggen.p2p.multiaddr;

/**
 * Multiaddr protocols, with codes and value sizes from the multicodec table and the multiaddr
 * protocols.csv. {@link #size()} is the value size in bits; {@link #VARIABLE} means the value is
 * length-prefixed with a varint.
 */
public enum Protocol {
    IP4(0x04, "ip4", 32, Kind.IP4),
    TCP(0x06, "tcp", 16, Kind.PORT),
    UDP(0x0111, "udp", 16, Kind.PORT),
    DCCP(0x21, "dccp", 16, Kind.PORT),
    IP6(0x29, "ip6", 128, Kind.IP6),
    IP6ZONE(0x2a, "ip6zone", Protocol.VARIABLE, Kind.NAME),
    IPCIDR(0x2b, "ipcidr", 8, Kind.BYTE),
    DNS(0x35, "dns", Protocol.VARIABLE, Kind.NAME),
    DNS4(0x36, "dns4", Protocol.VARIABLE, Kind.NAME),
    DNS6(0x37, "dns6", Protocol.VARIABLE, Kind.NAME),
    DNSADDR(0x38, "dnsaddr", Protocol.VARIABLE, Kind.NAME),
    SCTP(0x84, "sctp", 16, Kind.PORT),
    UDT(0x012d, "udt", 0, Kind.NONE),
    UTP(0x012e, "utp", 0, Kind.NONE),
    UNIX(0x0190, "unix", Protocol.VARIABLE, Kind.PERCENT_ENCODED),
    P2P(0x01a5, "p2p", Protocol.VARIABLE, Kind.PEER_ID),
    HTTPS(0x01bb, "https", 0, Kind.NONE),
    TLS(0x01c0, "tls", 0, Kind.NONE),
    SNI(0x01c1, "sni", Protocol.VARIABLE, Kind.NAME),
    NOISE(0x01c6, "noise", 0, Kind.NONE),
    QUIC(0x01cc, "quic", 0, Kind.NONE),
    QUIC_V1(0x01cd, "quic-v1", 0, Kind.NONE),
    WEBTRANSPORT(0x01d1, "webtransport", 0, Kind.NONE),
    CERTHASH(0x01d2, "certhash", Protocol.VARIABLE, Kind.MULTIBASE_MULTIHASH),
    WS(0x01dd, "ws", 0, Kind.NONE),
    WSS(0x01de, "wss", 0, Kind.NONE),
    P2P_WEBSOCKET_STAR(0x01df, "p2p-websocket-star", 0, Kind.NONE),
    HTTP(0x01e0, "http", 0, Kind.NONE),
    P2P_WEBRTC_STAR(0x0113, "p2p-webrtc-star", 0, Kind.NONE),
    P2P_WEBRTC_DIRECT(0x0114, "p2p-webrtc-direct", 0, Kind.NONE),
    P2P_STARDUST(0x0115, "p2p-stardust", 0, Kind.NONE),
    WEBRTC_DIRECT(0x0118, "webrtc-direct", 0, Kind.NONE),
    WEBRTC(0x0119, "webrtc", 0, Kind.NONE),
    P2P_CIRCUIT(0x0122, "p2p-circuit", 0, Kind.NONE);

    /** {@link #size()} of a length-prefixed value. */
    public static final int VARIABLE = -1;

    /** How a value is written as text and checked. */
    enum Kind {
        NONE, IP4, IP6, PORT, BYTE, NAME, PERCENT_ENCODED, PEER_ID, MULTIBASE_MULTIHASH
    }

    private final int code;
    private final String protocolName;
    private final int size;
    private final Kind kind;

    Protocol(int code, String protocolName, int size, Kind kind) {
        this.code = code;
        this.protocolName = protocolName;
        this.size = size;
        this.kind = kind;
    }

    public int code() {
        return code;
    }

    /** The name used in text multiaddrs ({@code ip4}, {@code quic-v1}, ...). */
    public String protocolName() {
        return protocolName;
    }

    /** Value size in bits: 0 for no value, {@link #VARIABLE} for length-prefixed. */
    public int size() {
        return size;
    }

    public boolean hasValue() {
        return size != 0;
    }

    Kind kind() {
        return kind;
    }

    /** The protocol with this code, or null. */
    public static Protocol forCode(long code) {
        for (Protocol p : values()) if (p.code == code) return p;
        return null;
    }

    /** The protocol with this text name ({@code ipfs} is the old name of {@code p2p}), or null. */
    public static Protocol forName(String name) {
        if (name.equals("ipfs")) return P2P;
        for (Protocol p : values()) if (p.protocolName.equals(name)) return p;
        return null;
    }

    @Override
    public String toString() {
        return protocolName;
    }
}
