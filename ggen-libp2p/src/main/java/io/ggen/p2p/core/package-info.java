/**
 * The libp2p core: the interfaces protocols and applications are written against, apart from
 * any implementation (go-libp2p's {@code core/}): {@link io.ggen.p2p.core.Host},
 * {@link io.ggen.p2p.core.Connection}, {@link io.ggen.p2p.core.Stream} (blocking I/O with read
 * and write deadlines, {@link io.ggen.p2p.core.StreamTimeoutException}),
 * {@link io.ggen.p2p.core.StreamHandler}, {@link io.ggen.p2p.core.Direction}, the
 * {@link io.ggen.p2p.core.PeerStore}, what identify says of a peer
 * ({@link io.ggen.p2p.core.IdentifyInfo}), and the event bus ({@code core.event}).
 *
 * <p>This package depends only on keys, multiformats, multiaddresses and records; the Netty
 * implementation is {@code io.ggen.p2p.host.NettyHost}.
 */
package io.ggen.p2p.core;
