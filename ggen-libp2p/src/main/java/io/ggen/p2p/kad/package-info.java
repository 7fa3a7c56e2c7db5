/**
 * Kademlia DHT per the libp2p kad-dht spec (records and providers as in IPFS's), protocol id
 * configurable ({@code /ggen/kad/1.0.0} by default). {@link io.ggen.p2p.kad.KadNode} is the logic
 * over two interfaces (transport, scheduler); {@link io.ggen.p2p.kad.KadDht} puts it on a core
 * {@link io.ggen.p2p.core.Host}: peers enter the routing table from the host's event bus
 * ({@code PeerIdentified}, {@code PeerProtocolsChanged}) when they serve the protocol. Every
 * request has one deadline (the request timeout) covering writing and the answer; past it the
 * stream is reset, which ends its reader. Inbound streams wait at most a minute for the next
 * request. See docs/internals.md for limits and choices.
 */
package io.ggen.p2p.kad;
