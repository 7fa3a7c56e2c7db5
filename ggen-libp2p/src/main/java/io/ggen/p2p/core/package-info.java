/**
 * The libp2p core: the interfaces protocols and applications are written against, apart from
 * any implementation (go-libp2p's {@code core/}): {@link io.ggen.p2p.core.Host},
 * {@link io.ggen.p2p.core.Connection}, {@link io.ggen.p2p.core.Stream} (blocking I/O with read
 * and write deadlines, {@link io.ggen.p2p.core.StreamTimeoutException}),
 * {@link io.ggen.p2p.core.StreamHandler}, {@link io.ggen.p2p.core.Direction}, the
 * {@link io.ggen.p2p.core.PeerStore}, what identify says of a peer
 * ({@link io.ggen.p2p.core.IdentifyInfo}), and the event bus ({@link io.ggen.p2p.core.EventBus},
 * whose events are the records of the sealed {@link io.ggen.p2p.core.Event}, as go-libp2p's
 * {@code core/event}). The bus lives here, not in a sub-package, so that no package cycle
 * forms between the host interface and its events.
 *
 * <p>This package depends only on keys, multiformats, multiaddresses and records; the Netty
 * implementation is {@code io.ggen.p2p.host.NettyHost}.
 */
package io.ggen.p2p.core;
