/**
 * Identify and identify push per the libp2p identify spec ({@code /ipfs/id/1.0.0},
 * {@code /ipfs/id/push/1.0.0}): codec with size limits and the host service. The public key
 * sent by a peer must match the peer id authenticated by Noise, or the connection is closed.
 */
package io.ggen.p2p.protocol.identify;
