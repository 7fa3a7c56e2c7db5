package io.ggen.p2p.autonat;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.p2p.autonat.ReachabilityTracker.Verdict;
import io.ggen.p2p.core.Event.Reachability;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReachabilityTrackerTest {
    private static PeerId peer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aVerdictNeedsEnoughDistinctServers() {
        ReachabilityTracker t = new ReachabilityTracker(2, Duration.ofHours(1));
        PeerId a = peer();
        assertThat(t.recordNode(a, true, t0)).isEmpty();
        assertThat(t.recordNode(a, true, t0)).as("the same server twice counts once").isEmpty();
        assertThat(t.node()).isEqualTo(Verdict.UNKNOWN);
        assertThat(t.recordNode(peer(), true, t0)).contains(new Verdict(Reachability.PUBLIC, 2));
        assertThat(t.recordNode(peer(), true, t0)).contains(new Verdict(Reachability.PUBLIC, 3));
    }

    @Test
    void failuresMakeItPrivateAndAMixIsUnknown() {
        ReachabilityTracker t = new ReachabilityTracker(2, Duration.ofHours(1));
        PeerId a = peer();
        PeerId b = peer();
        t.recordNode(a, false, t0);
        assertThat(t.recordNode(b, false, t0)).contains(new Verdict(Reachability.PRIVATE, 2));
        t.recordNode(peer(), true, t0);
        assertThat(t.recordNode(peer(), true, t0)).as("two and two").contains(Verdict.UNKNOWN);
        assertThat(t.recordNode(a, true, t0)).as("a changed its mind").contains(new Verdict(Reachability.PUBLIC, 3));
    }

    @Test
    void oldAnswersExpire() {
        ReachabilityTracker t = new ReachabilityTracker(1, Duration.ofMinutes(10));
        t.recordNode(peer(), true, t0);
        assertThat(t.node().reachability()).isEqualTo(Reachability.PUBLIC);
        assertThat(t.expire(t0.plus(Duration.ofMinutes(11)))).contains(Verdict.UNKNOWN);
    }

    @Test
    void addressesAreTrackedApartAndBounded() {
        ReachabilityTracker t = new ReachabilityTracker(1, Duration.ofHours(1));
        Multiaddr x = Multiaddr.fromString("/ip4/1.2.3.4/tcp/1");
        assertThat(t.recordAddress(x, peer(), true, t0)).contains(new Verdict(Reachability.PUBLIC, 1));
        assertThat(t.address(Multiaddr.fromString("/ip4/1.2.3.4/tcp/2"))).isEqualTo(Verdict.UNKNOWN);
        for (int i = 0; i < 500; i++) t.recordAddress(Multiaddr.fromString("/ip4/1.2.3.4/tcp/" + (i + 10)), peer(), false, t0);
        assertThat(t.addresses()).hasSize(ReachabilityTracker.MAX_ADDRS);
        PeerId same = peer();
        for (int i = 0; i < 100; i++) t.recordNode(peer(), false, t0);
        assertThat(t.node()).isEqualTo(new Verdict(Reachability.PRIVATE, ReachabilityTracker.MAX_SERVERS));
        assertThat(Optional.of(same)).isPresent();
    }
}
