/**
 * TCP transport on Netty NIO (ip4, ip6; dns names resolved at dial). Carries raw bytes; the
 * connection upgrade (multistream-select, Noise, Yamux) is assembled by {@code io.ggen.p2p.host}.
 */
package io.ggen.p2p.transport.tcp;
