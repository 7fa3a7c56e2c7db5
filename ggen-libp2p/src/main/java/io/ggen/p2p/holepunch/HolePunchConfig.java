package io.ggen.p2p.holepunch;

import io.ggen.p2p.multiaddr.AddressClassifier;
import java.time.Duration;

/**
 * @param attempts DCUtR rounds before giving up (the spec: 3)
 * @param dialsPerAttempt addresses of the peer dialed at once in one round, at most
 * @param streamTimeout deadline for the message exchange of one round
 * @param dialTimeout deadline for the simultaneous dials of one round
 * @param relayGrace how long the relayed connection stays open once a direct one exists
 * @param allowNonPublicAddrs exchange and dial loopback and private addresses (tests on one
 *     machine or one LAN); off, only public addresses, as the spec intends
 * @param classifier which addresses are public (the node's {@code nat.public_ranges} and
 *     {@code nat.private_ranges})
 */
public record HolePunchConfig(int attempts, int dialsPerAttempt, Duration streamTimeout, Duration dialTimeout, Duration relayGrace,
        boolean allowNonPublicAddrs, AddressClassifier classifier) {
    public HolePunchConfig {
        java.util.Objects.requireNonNull(classifier, "classifier");
        if (attempts < 1 || dialsPerAttempt < 1) throw new IllegalArgumentException("attempts and dialsPerAttempt must be positive");
    }

    public static HolePunchConfig defaults() {
        return new HolePunchConfig(3, 4, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5), false, AddressClassifier.DEFAULT);
    }

    public HolePunchConfig withAllowNonPublicAddrs(boolean on) {
        return new HolePunchConfig(attempts, dialsPerAttempt, streamTimeout, dialTimeout, relayGrace, on, classifier);
    }

    public HolePunchConfig withClassifier(AddressClassifier c) {
        return new HolePunchConfig(attempts, dialsPerAttempt, streamTimeout, dialTimeout, relayGrace, allowNonPublicAddrs, c);
    }
}
