package io.ggen.p2p.host;

/**
 * Hard limits of a host: whatever remote peers do, the node never holds more than this.
 *
 * <p>The per-address limits count inbound connections by the remote's IP address (an IPv6
 * address by its /64, the block one subscriber usually holds), as go-libp2p's resource manager
 * limits connections per IP, so that one address cannot take every handshake slot or connection.
 * Loopback addresses are exempt unless {@code limitLoopback} (as in go-libp2p, whose default
 * leaves 127.0.0.0/8 unlimited): tests and benchmarks run many peers on one machine.
 *
 * @param maxConnections open (upgraded) connections, inbound and outbound
 * @param maxConnectionsPerPeer connections to one peer id; more are closed after the handshake
 * @param maxPendingInbound inbound connections still in their handshake (TCP accepted, not yet
 *     upgraded); more are refused at accept, which blunts handshake floods
 * @param maxPendingOutbound dials in progress
 * @param maxStreamsPerConnection streams open at once on one connection (muxer limit)
 * @param maxNegotiatingStreams inbound streams still in protocol negotiation, per connection
 * @param maxBufferedBytes receive buffers of all streams of all connections together beyond
 *     their initial windows; stream windows stop growing when it is used up
 * @param maxPendingInboundPerIp inbound handshakes in progress from one address; more are
 *     refused at accept
 * @param maxInboundConnectionsPerIp upgraded inbound connections from one address; more are
 *     refused at accept (and closed after the handshake when they raced past that check)
 * @param limitLoopback whether the per-address limits apply to loopback addresses too
 */
public record ResourceLimits(
        int maxConnections,
        int maxConnectionsPerPeer,
        int maxPendingInbound,
        int maxPendingOutbound,
        int maxStreamsPerConnection,
        int maxNegotiatingStreams,
        long maxBufferedBytes,
        int maxPendingInboundPerIp,
        int maxInboundConnectionsPerIp,
        boolean limitLoopback) {

    /** Default inbound handshakes in progress from one address. */
    public static final int DEFAULT_PENDING_PER_IP = 8;
    /** Default upgraded inbound connections from one address. */
    public static final int DEFAULT_CONNECTIONS_PER_IP = 16;

    public ResourceLimits {
        positive("maxConnections", maxConnections);
        positive("maxConnectionsPerPeer", maxConnectionsPerPeer);
        positive("maxPendingInbound", maxPendingInbound);
        positive("maxPendingOutbound", maxPendingOutbound);
        positive("maxStreamsPerConnection", maxStreamsPerConnection);
        positive("maxNegotiatingStreams", maxNegotiatingStreams);
        if (maxBufferedBytes <= 0) throw new IllegalArgumentException("maxBufferedBytes must be positive");
        positive("maxPendingInboundPerIp", maxPendingInboundPerIp);
        positive("maxInboundConnectionsPerIp", maxInboundConnectionsPerIp);
    }

    /** The limits with the default per-address limits (loopback exempt). */
    public ResourceLimits(int maxConnections, int maxConnectionsPerPeer, int maxPendingInbound, int maxPendingOutbound,
                          int maxStreamsPerConnection, int maxNegotiatingStreams, long maxBufferedBytes) {
        this(maxConnections, maxConnectionsPerPeer, maxPendingInbound, maxPendingOutbound, maxStreamsPerConnection,
                maxNegotiatingStreams, maxBufferedBytes, DEFAULT_PENDING_PER_IP, DEFAULT_CONNECTIONS_PER_IP, false);
    }

    public static ResourceLimits defaults() {
        return new ResourceLimits(400, 3, 64, 128, 512, 64, 512L << 20);
    }

    /** These limits with other per-address limits. */
    public ResourceLimits withPerIp(int pendingPerIp, int connectionsPerIp, boolean loopbackToo) {
        return new ResourceLimits(maxConnections, maxConnectionsPerPeer, maxPendingInbound, maxPendingOutbound, maxStreamsPerConnection,
                maxNegotiatingStreams, maxBufferedBytes, pendingPerIp, connectionsPerIp, loopbackToo);
    }

    private static void positive(String name, int v) {
        if (v <= 0) throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
}
