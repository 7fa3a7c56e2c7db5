/**
 * The marketplace on the network, written against the core libp2p interfaces
 * ({@link io.ggen.p2p.core.Host}, streams, the event bus) and never Netty types:
 * {@code /ggen/fetch/1.0.0}, {@code /ggen/catalog/1.1.0} (and 1.0.0 for older nodes), {@code /ggen/search/1.0.0}, the
 * {@code /ggen/} DHT namespace and the announcement topic. New peers come from the host's bus
 * ({@code PeerIdentified}, {@code PeerProtocolsChanged}); every read and write on a stream has a
 * deadline from {@link io.ggen.marketplace.p2p.P2pTimeouts}, so a peer that accepts a protocol and
 * never answers, or answers a byte at a time, is given up at a known time.
 */
package io.ggen.marketplace.p2p;
