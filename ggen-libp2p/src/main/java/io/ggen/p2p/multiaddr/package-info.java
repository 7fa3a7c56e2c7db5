/**
 * Multiaddresses per the multiformats multiaddr spec (protocols.csv): parsing and printing of the
 * binary and text forms, with {@code /p2p} values as {@link io.ggen.p2p.crypto.PeerId}s. Split from
 * {@code io.ggen.p2p.multiformats} so that the dependencies run one way: multiformats <- crypto
 * (peer ids) <- multiaddr. The choices and limits are listed in the multiformats package.
 */
package io.ggen.p2p.multiaddr;
