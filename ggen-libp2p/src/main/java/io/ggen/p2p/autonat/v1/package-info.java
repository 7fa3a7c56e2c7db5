/**
 * AutoNAT v1 (libp2p specs autonat/autonat-v1.md): {@code /libp2p/autonat/1.0.0}.
 * {@link io.ggen.p2p.autonat.v1.AutonatV1Codec} for the messages, and the server and client on
 * the core host interface. The server dials only addresses at the IP it sees the asker at, only
 * when that IP is public, at most 4 of them, from a separate dialer host; relayed askers are
 * refused. Addresses in a dial that do not parse are dropped, as go-libp2p does.
 */
package io.ggen.p2p.autonat.v1;
