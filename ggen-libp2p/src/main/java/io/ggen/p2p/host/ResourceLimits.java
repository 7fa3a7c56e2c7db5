package io.ggen.p2p.host;

/**
 * Hard limits of a host: whatever remote peers do, the node never holds more than this.
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
 */
public record ResourceLimits(
        int maxConnections,
        int maxConnectionsPerPeer,
        int maxPendingInbound,
        int maxPendingOutbound,
        int maxStreamsPerConnection,
        int maxNegotiatingStreams,
        long maxBufferedBytes) {

    public ResourceLimits {
        positive("maxConnections", maxConnections);
        positive("maxConnectionsPerPeer", maxConnectionsPerPeer);
        positive("maxPendingInbound", maxPendingInbound);
        positive("maxPendingOutbound", maxPendingOutbound);
        positive("maxStreamsPerConnection", maxStreamsPerConnection);
        positive("maxNegotiatingStreams", maxNegotiatingStreams);
        if (maxBufferedBytes <= 0) throw new IllegalArgumentException("maxBufferedBytes must be positive");
    }

    public static ResourceLimits defaults() {
        return new ResourceLimits(400, 3, 64, 128, 512, 64, 512L << 20);
    }

    private static void positive(String name, int v) {
        if (v <= 0) throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
}
