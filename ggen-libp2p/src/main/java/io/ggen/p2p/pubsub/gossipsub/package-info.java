/**
 * Gossipsub v1.1 with v1.2's IDONTWANT ({@code /meshsub/1.2.0}, {@code /meshsub/1.1.0},
 * {@code /meshsub/1.0.0}) on a core {@link io.ggen.p2p.core.Host}: peers join from the host's
 * event bus ({@code PeerIdentified}, {@code PeerProtocolsChanged}) and leave on
 * {@code ConnectionClosed}. Inbound RPCs are read inline (never waiting); outbound, setting up a
 * peer's stream and each queued write have a 20 s deadline, so a peer that stops reading loses
 * its stream. See docs/internals.md for the router, scoring and limits.
 */
package io.ggen.p2p.pubsub.gossipsub;
