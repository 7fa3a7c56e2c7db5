/**
 * Ping, per the libp2p ping spec ({@code /ipfs/ping/1.0.0}): 32-byte payloads echoed on one
 * stream, as a service on the core {@link io.ggen.p2p.core.Host} interface. Deadlines: each of
 * our pings has its own (10 s by default); the responder waits at most 60 s for the next ping
 * (as go-libp2p). No deviation.
 */
package io.ggen.p2p.protocol.ping;
