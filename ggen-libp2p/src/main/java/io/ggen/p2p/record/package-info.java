/**
 * Signed envelopes (libp2p RFC 0002) and peer records (RFC 0003).
 *
 * <p>{@link io.ggen.p2p.record.Envelope} seals and opens any payload for a domain;
 * {@link io.ggen.p2p.record.PeerRecord} is the record codec; {@link io.ggen.p2p.record.SignedPeerRecord}
 * ties them together with every check a receiver must make.
 *
 * <p>Deliberate choices: the peer record payload type is the two bytes {@code 03 01} (multicodec
 * 0x0301 big-endian), as js-libp2p and go-libp2p send, rather than its varint form; addresses a
 * record holds that do not parse are dropped, not fatal; sizes are bounded (16 KiB envelope, 64
 * addresses). {@link io.ggen.p2p.record.Multiaddr} stands in for the multiformats
 * {@code Multiaddr} type until the branches are merged.
 */
package io.ggen.p2p.record;

import io.ggen.p2p.multiaddr.Multiaddr;
