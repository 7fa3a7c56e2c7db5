/**
 * AutoNAT v2 (libp2p specs autonat/autonat-v2.md): {@code /libp2p/autonat/2/dial-request} and
 * {@code /libp2p/autonat/2/dial-back}. {@link io.ggen.p2p.autonat.v2.AutonatV2Codec} turns the
 * messages ({@link io.ggen.p2p.autonat.v2.AutonatV2Message}) into length-prefixed protobuf and
 * back; {@link io.ggen.p2p.autonat.v2.AutonatV2Server} and
 * {@link io.ggen.p2p.autonat.v2.AutonatV2Client} are the two sides on the core host interface.
 *
 * <p>Deviations and choices: a dial request whose addresses do not all parse is refused as a
 * whole (the index in the answer must mean what the client meant); the server dials TCP
 * addresses only, public ones only, from a dialer host that does not listen; it asks
 * 30,000-100,000 bytes of dial data (the spec's range) for an address at another IP than the
 * client's, and refuses a client that pays in more than {@code need/256 + 16} parts.
 */
package io.ggen.p2p.autonat.v2;
