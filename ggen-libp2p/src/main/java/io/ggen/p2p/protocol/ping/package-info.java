/**
 * Ping, per the libp2p ping spec ({@code /ipfs/ping/1.0.0}): 32-byte payloads echoed on one
 * stream. No deviation.
 */
package io.ggen.p2p.protocol.ping;
