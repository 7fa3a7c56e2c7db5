/**
 * multistream-select 1.0 ({@code /multistream/1.0.0}, spec: github.com/multiformats/multistream-select,
 * and the libp2p connections spec for its use during connection upgrade).
 *
 * <p>Split as every protocol package here: {@link io.ggen.p2p.multistream.MultistreamCodec} (the
 * message format), {@link io.ggen.p2p.multistream.MultistreamNegotiator} (the state machine, no
 * I/O), {@link io.ggen.p2p.multistream.MultistreamHandler} (Netty, connection-level negotiation)
 * and {@link io.ggen.p2p.multistream.Multistream} (blocking, for muxed streams).
 *
 * <p>Choices where the spec leaves room, matching js-libp2p:
 * <ul>
 *   <li>The initiator sends the header and its first proposal in one write; later proposals
 *       follow each {@code na}. Streams wait for the answer; a connection's dialer, proposing only
 *       {@code /noise}, does not ({@link io.ggen.p2p.multistream.MultistreamHandler#optimisticInitiator}:
 *       the handshake's first message follows the proposal, and the answer is checked before
 *       any byte behind it reaches Noise); nor does a stream opened with
 *       {@code Connection.newStreamLazy} (identify: one proposal, the answer checked by the
 *       stream's first read, {@link io.ggen.p2p.multistream.Multistream#awaitAnswer}).
 *   <li>The responder sends its header when the peer's arrives (not eagerly), together with the
 *       answer to a proposal pipelined behind it. A repeated header is answered with the header.
 *   <li>{@code ls} is answered with the advertised protocols as one message holding one message
 *       per protocol and a final newline; {@link io.ggen.p2p.multistream.Multistream#list} reads it.
 *   <li>Messages are at most 1024 bytes including the newline, as in js; the length is checked
 *       before allocation. Received text must be UTF-8 without control characters. An initiator
 *       makes, and a responder answers, at most 64 proposals by default.
 * </ul>
 */
package io.ggen.p2p.multistream;
