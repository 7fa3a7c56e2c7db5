/**
 * The Netty implementation of the core {@link io.ggen.p2p.core.Host} interface
 * ({@link io.ggen.p2p.host.NettyHost}; "swarm" in other implementations): TCP connections upgraded with
 * multistream-select, Noise and Yamux per the libp2p connections spec, protocol handlers on
 * inbound streams, outbound streams with multistream-select, a bounded peer store, resource
 * limits and a connection manager with water marks. Stream I/O is blocking on virtual threads;
 * stream deadlines are timed waits of the blocked thread in the muxer (no timer thread), and
 * protocol negotiation on a new stream runs under one. Exceptions, for the set-up's sake: a new
 * connection's identify is started by the host on the event loop and needs no thread, and an
 * inbound stream proposing a protocol whose handler is an
 * {@link io.ggen.p2p.core.AnsweringHandler} (identify) is answered on the event loop.
 * Connection events go to the host's event bus; identify and ping are services started on it.
 *
 * <p>Deviations: Noise's early muxer negotiation (stream_muxers extension) is not offered, so
 * the muxer is always agreed with multistream-select, which every libp2p implementation accepts.
 */
package io.ggen.p2p.host;
