/**
 * AutoNAT (libp2p specs autonat/autonat-v2.md and autonat/autonat-v1.md) for a node:
 * {@link io.ggen.p2p.autonat.AutonatService} serves both versions and asks connected peers
 * about our reachability, {@link io.ggen.p2p.autonat.ReachabilityTracker} adds the answers up
 * (pure, no I/O), and the verdicts go on the bus as {@code ReachabilityChanged} and
 * {@code AddressReachabilityChanged}. The protocols themselves are in {@code .v2} and {@code .v1}.
 *
 * <p>Choices: a verdict needs {@code confirmations} servers (2 by default, where the spec
 * suggests more than 3 on a large network; a home node may know only a few public peers);
 * v2 is asked first, and a v2 success counts only when the dial-back carried our nonce; the
 * latest answer of each server counts once. Dial-backs, v1 and v2, come from a separate host
 * with its own throwaway identity that does not listen (a fresh connection from another port;
 * the v2 spec allows a separate peer id, and our client relies on the nonce only).
 * Reachability can be forced by configuration, in which case no question is asked.
 */
package io.ggen.p2p.autonat;
