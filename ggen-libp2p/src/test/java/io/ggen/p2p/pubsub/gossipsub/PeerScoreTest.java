package io.ggen.p2p.pubsub.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Peer scores P1-P7 with the defaults and with chosen parameters, worked by hand from the
 * gossipsub v1.1 formulas: each component alone, caps, decay, retention after a disconnect.
 */
class PeerScoreTest {
    static final String T = "t";
    static final long T0 = 1_000_000;
    final PeerId p = peer();

    static PeerId peer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    static PeerScore withDefaults() {
        return new PeerScore(PeerScoreParams.defaults());
    }

    /** The defaults with the P3/P3b weights switched on for topic T: threshold 4, activation 5 s, cap 10. */
    static PeerScoreParams withMeshDeliveries() {
        TopicScoreParams d = TopicScoreParams.defaults();
        TopicScoreParams t = new TopicScoreParams(d.topicWeight(), d.timeInMeshWeight(), d.timeInMeshQuantumSeconds(), d.timeInMeshCap(),
                d.firstMessageDeliveriesWeight(), d.firstMessageDeliveriesDecay(), d.firstMessageDeliveriesCap(),
                -1.0, 0.5, 4, 10, 5,
                -2.0, 0.5,
                d.invalidMessageDeliveriesWeight(), d.invalidMessageDeliveriesDecay());
        PeerScoreParams pd = PeerScoreParams.defaults();
        return new PeerScoreParams(Map.of(T, t), pd.defaultTopic(), pd.topicScoreCap(), pd.appSpecificWeight(), pd.ipColocationFactorWeight(),
                pd.ipColocationFactorThreshold(), pd.colocationWhitelistPrivate(), pd.behaviourPenaltyWeight(), pd.behaviourPenaltyThreshold(),
                pd.behaviourPenaltyDecay(), pd.decayToZero(), pd.retainScoreHeartbeats());
    }

    @Test
    void anUnknownOrFreshPeerScoresZero() {
        PeerScore s = withDefaults();
        assertThat(s.score(p, T0)).isZero();
        s.addPeer(p, null);
        assertThat(s.score(p, T0)).isZero();
    }

    @Test
    void p1TimeInMeshGrowsWithTheQuantumUpToItsCap() {
        PeerScore s = withDefaults();
        s.addPeer(p, null);
        s.graft(p, T, T0);
        assertThat(s.score(p, T0 + 100_000)).isCloseTo(1.0, within(1e-9)); // 0.01 per second
        assertThat(s.score(p, T0 + 10_000_000)).isCloseTo(36.0, within(1e-9)); // capped at 3600 quanta
        s.prune(p, T, T0 + 10_000_000);
        assertThat(s.score(p, T0 + 10_000_000)).isZero();
    }

    @Test
    void p2FirstDeliveriesAreCappedAndDecay() {
        PeerScore s = withDefaults();
        s.addPeer(p, null);
        for (int i = 0; i < 30; i++) s.firstDelivery(p, T);
        assertThat(s.score(p, T0)).isEqualTo(20.0); // cap 20
        s.decay();
        assertThat(s.score(p, T0)).isCloseTo(19.8, within(1e-9)); // 0.99 per heartbeat
        for (int i = 0; i < 1000; i++) s.decay();
        assertThat(s.score(p, T0)).isZero(); // below decayToZero it is zero, not a tiny remainder
    }

    @Test
    void topicTotalsAreCappedButPenaltiesAreNot() {
        PeerScore s = withDefaults();
        s.addPeer(p, null);
        s.graft(p, T, T0);
        for (int i = 0; i < 20; i++) s.firstDelivery(p, T);
        s.graft(p, "u", T0);
        for (int i = 0; i < 20; i++) s.firstDelivery(p, "u");
        assertThat(s.score(p, T0 + 3_600_000)).isEqualTo(50.0); // (36 + 20) * 2 capped at 50
        s.behaviourPenalty(p, 8);
        assertThat(s.score(p, T0 + 3_600_000)).isCloseTo(50.0 - 40, within(1e-9));
    }

    @Test
    void p3MeshDeliveryDeficitCountsOnlyAfterActivation() {
        PeerScore s = new PeerScore(withMeshDeliveries());
        s.addPeer(p, null);
        s.graft(p, T, T0);
        s.firstDelivery(p, T);
        // 4 s: not active yet. P1 0.04 + P2 1.
        assertThat(s.score(p, T0 + 4000)).isCloseTo(0.04 + 1, within(1e-9));
        // 6 s: a deficit of 3 against the threshold 4 costs -1 * 3^2.
        assertThat(s.score(p, T0 + 6000)).isCloseTo(0.06 + 1 - 9, within(1e-9));
        s.duplicateDelivery(p, T); // a duplicate from a mesh peer still counts as a mesh delivery
        s.firstDelivery(p, T);
        s.firstDelivery(p, T);
        assertThat(s.score(p, T0 + 6000)).isCloseTo(0.06 + 3, within(1e-9));
    }

    @Test
    void p3bAPeerLeavingTheMeshWithADeficitKeepsItAsAPenaltyOnlyAfterActivation() {
        PeerScore s = new PeerScore(withMeshDeliveries());
        PeerId early = peer();
        s.addPeer(p, null);
        s.addPeer(early, null);
        s.graft(p, T, T0);
        s.graft(early, T, T0);
        s.prune(early, T, T0 + 2000); // before activation: no penalty
        assertThat(s.score(early, T0 + 2000)).isZero();
        s.prune(p, T, T0 + 10_000); // deficit 4: penalty 16, weight -2
        assertThat(s.score(p, T0 + 10_000)).isCloseTo(-32, within(1e-9));
        s.decay();
        assertThat(s.score(p, T0 + 10_000)).isCloseTo(-16, within(1e-9)); // decay 0.5
    }

    @Test
    void p4InvalidMessagesCostTheSquareAndAreRememberedForLong() {
        PeerScore s = withDefaults();
        s.addPeer(p, null);
        s.invalidMessage(p, T);
        assertThat(s.score(p, T0)).isEqualTo(-100.0);
        s.invalidMessage(p, T);
        assertThat(s.score(p, T0)).isEqualTo(-400.0);
        for (int i = 0; i < 600; i++) s.decay(); // ten minutes
        assertThat(s.score(p, T0)).isLessThan(PeerScoreThresholds.defaults().graylist());
    }

    @Test
    void p5TheApplicationScoreIsWeightedAndABrokenHookCountsZero() {
        PeerScore s = withDefaults();
        s.setAppScore(x -> x.equals(p) ? 1.5 : Double.NaN);
        s.addPeer(p, null);
        PeerId other = peer();
        s.addPeer(other, null);
        assertThat(s.score(p, T0)).isEqualTo(15.0);
        assertThat(s.score(other, T0)).isZero();
        s.setAppScore(x -> {
            throw new IllegalStateException("reputation store unavailable");
        });
        assertThat(s.score(p, T0)).isZero();
    }

    @Test
    void p5TheApplicationIsAskedAgainAtEachHeartbeat() {
        PeerScore s = withDefaults();
        double[] reputation = {0};
        s.setAppScore(x -> reputation[0]);
        s.addPeer(p, null);
        reputation[0] = -3;
        assertThat(s.score(p, T0)).isZero(); // cached until the heartbeat
        s.decay();
        assertThat(s.score(p, T0)).isEqualTo(-30.0);
    }

    @Test
    void p6ManyPeersOnOnePublicAddressArePenalisedBeyondTheThreshold() throws Exception {
        PeerScore s = withDefaults();
        InetAddress shared = InetAddress.getByName("203.0.113.7");
        List<PeerId> crowd = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            PeerId x = peer();
            crowd.add(x);
            s.addPeer(x, s.colocationKey(shared));
        }
        // 12 on the address, threshold 10: -10 * 2^2 each.
        for (PeerId x : crowd) assertThat(s.score(x, T0)).isEqualTo(-40.0);
        s.removePeer(crowd.get(0), T0);
        assertThat(s.score(crowd.get(1), T0)).isEqualTo(-10.0);
        s.removePeer(crowd.get(1), T0);
        assertThat(s.score(crowd.get(2), T0)).isZero();
    }

    @Test
    void p6PrivateAndLoopbackAddressesAreExemptByDefault() throws Exception {
        PeerScore s = withDefaults();
        assertThat(s.colocationKey(InetAddress.getByName("127.0.0.1"))).isNull();
        assertThat(s.colocationKey(InetAddress.getByName("192.168.1.9"))).isNull();
        assertThat(s.colocationKey(InetAddress.getByName("::1"))).isNull();
        assertThat(s.colocationKey(InetAddress.getByName("198.51.100.1"))).isEqualTo("198.51.100.1");
    }

    @Test
    void p7BehaviourPenaltyCostsTheSquareOfTheExcessAndDecays() {
        PeerScore s = withDefaults();
        s.addPeer(p, null);
        s.behaviourPenalty(p, 6);
        assertThat(s.score(p, T0)).isZero(); // up to the threshold it is free
        s.behaviourPenalty(p, 4);
        assertThat(s.score(p, T0)).isCloseTo(-160.0, within(1e-9)); // -10 * (10 - 6)^2
        for (int i = 0; i < 60; i++) s.decay(); // 0.99 per heartbeat: 10 * 0.99^60 = 5.47
        assertThat(s.score(p, T0)).isZero();
    }

    @Test
    void aBadScoreSurvivesReconnectingUntilTheRetentionPeriodEnds() {
        PeerScoreParams d = PeerScoreParams.defaults();
        PeerScore s = new PeerScore(new PeerScoreParams(Map.of(), d.defaultTopic(), d.topicScoreCap(), d.appSpecificWeight(),
                d.ipColocationFactorWeight(), d.ipColocationFactorThreshold(), d.colocationWhitelistPrivate(), d.behaviourPenaltyWeight(),
                d.behaviourPenaltyThreshold(), 1.0, d.decayToZero(), 5));
        s.addPeer(p, null);
        s.behaviourPenalty(p, 10);
        double bad = s.score(p, T0);
        s.removePeer(p, T0);
        s.decay();
        s.addPeer(p, null); // back after one heartbeat: still bad
        assertThat(s.score(p, T0)).isEqualTo(bad);
        s.removePeer(p, T0);
        for (int i = 0; i < 6; i++) s.decay(); // past 5 heartbeats: forgotten
        s.addPeer(p, null);
        assertThat(s.score(p, T0)).isZero();
    }

    @Test
    void topicParametersApplyToTheirTopicOnly() {
        PeerScore s = new PeerScore(withMeshDeliveries());
        s.addPeer(p, null);
        s.graft(p, T, T0);
        s.graft(p, "other", T0);
        // After activation only T's P3 applies: other uses the defaults, where P3 is off.
        assertThat(s.score(p, T0 + 10_000)).isCloseTo(0.1 + 0.1 - 16, within(1e-9));
    }

    @Test
    void parametersThatWouldRewardMisbehaviourAreRefused() {
        PeerScoreParams d = PeerScoreParams.defaults();
        assertThatThrownBy(() -> new PeerScoreParams(Map.of(), d.defaultTopic(), 50, 10, 5, 10, true, -10, 6, 0.99, 0.01, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerScoreThresholds(-10, -5, -80, 10, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerScoreThresholds(-10, -50, -80, -1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anHonestPeerUnderTheDefaultsNeverGoesNegative() {
        // In the mesh for an hour on a quiet topic, delivering a message now and then, duplicates included.
        PeerScore s = withDefaults();
        s.addPeer(p, null);
        s.graft(p, T, T0);
        for (int sec = 1; sec <= 3600; sec++) {
            if (sec % 97 == 0) s.firstDelivery(p, T);
            if (sec % 31 == 0) s.duplicateDelivery(p, T);
            s.decay();
            assertThat(s.score(p, T0 + sec * 1000L)).isGreaterThanOrEqualTo(0);
        }
        assertThat(s.score(p, T0 + 3_600_000)).isGreaterThan(PeerScoreThresholds.defaults().acceptPx());
    }
}
