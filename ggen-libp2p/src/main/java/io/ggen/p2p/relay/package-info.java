/**
 * Circuit Relay v2, per the libp2p spec relay/circuit-v2.md: the hop protocol
 * ({@code /libp2p/circuit/relay/0.2.0/hop}, {@link io.ggen.p2p.relay.RelayService}: reservations
 * with signed vouchers, per-peer and per-IP reservation limits, per-peer circuit limits, and the
 * duration and data limits of each relayed connection) and the client
 * ({@link io.ggen.p2p.relay.RelayClient}: {@code /p2p-circuit} dialing, reservations, the stop
 * protocol {@code /libp2p/circuit/relay/0.2.0/stop}); {@link io.ggen.p2p.relay.AutoRelay} keeps
 * reservations for a node that cannot be dialed.
 *
 * <p>Split: {@link io.ggen.p2p.relay.RelayCodec} (bytes to {@link io.ggen.p2p.relay.RelayMessage}
 * records, hostile-input limits: 4 KiB per message, 16 addresses per field),
 * {@link io.ggen.p2p.relay.ReservationTable} (the relay's bookkeeping, no I/O), the services on
 * the core {@code Host}; the host turns a circuit into a connection through
 * {@link io.ggen.p2p.relay.CircuitUpgrader}.
 *
 * <p>Deliberate choices: no active relay (the relay never dials the target; the spec deprecates
 * it); no relaying over relayed connections; the stop protocol is answered only for relays we hold
 * a reservation with; a reservation whose voucher is not the relay's signature for us with the
 * announced expiry is refused (vouchers are advisory in the spec, but a relay that lies in one is
 * not one to rely on).
 */
package io.ggen.p2p.relay;
