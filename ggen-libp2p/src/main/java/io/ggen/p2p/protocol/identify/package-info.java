/**
 * Identify ({@code /ipfs/id/1.0.0}) and identify-push ({@code /ipfs/id/push/1.0.0}) (spec: libp2p
 * specs identify/README.md): the codec, and {@link io.ggen.p2p.protocol.identify.IdentifyService},
 * a service on the core {@link io.ggen.p2p.core.Host} interface (identifies each connection when
 * the host calls it as the upgrade completes, proposing lazily and reading the answer on the
 * connection's I/O thread under a timer; pushes on {@code LocalProtocolsChanged} and
 * {@code LocalAddressesChanged} from the bus; publishes {@code PeerIdentified},
 * {@code PeerProtocolsChanged} and {@code PeerIdentificationFailed}). Every exchange has a
 * deadline.
 *
 * <p>{@link io.ggen.p2p.core.IdentifyInfo} is the message as a record,
 * {@link io.ggen.p2p.protocol.identify.IdentifyCodec} its length-prefixed protobuf encoding.
 *
 * <p>Choices, mostly following js-libp2p 3.x: messages are at most 8 KiB; up to 10 messages on one
 * stream are read and merged; listen and observed addresses that do not parse are dropped, not
 * fatal; a public key is required except in push messages. Deviations: a signed peer record that
 * does not verify, or is of another peer, is dropped (js fails the whole identify; go, like us,
 * falls back to the unsigned addresses); lists are capped (128 addresses, 256 protocols) and
 * version strings limited to 256 characters. Checking the key against the connection's remote
 * peer id is the service's job.
 */
package io.ggen.p2p.protocol.identify;
