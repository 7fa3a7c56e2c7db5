/**
 * DCUtR, per the libp2p spec relay/DCUtR.md ({@code /libp2p/dcutr}): direct connection upgrade
 * through a relayed connection, for TCP. {@link io.ggen.p2p.holepunch.HolePunchCodec} (bytes to
 * {@link io.ggen.p2p.holepunch.HolePunchMessage}, 4 KiB and 16 addresses at most),
 * {@link io.ggen.p2p.holepunch.HolePunchService} (both roles, connection reversal, up to three
 * rounds), dials through {@link io.ggen.p2p.holepunch.HolePunchDialer}.
 *
 * <p>Deliberate choices: only public addresses are exchanged and dialed unless configured (tests);
 * the addresses we offer add our listening port to each observed host, a prediction that holds
 * for NATs that keep source ports; QUIC is not spoken, so only TCP addresses matter.
 */
package io.ggen.p2p.holepunch;
