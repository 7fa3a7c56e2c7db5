package io.ggen.marketplace.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import org.junit.jupiter.api.Test;

class PeerRequestRateTest {
    static PeerId peer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    @Test
    void eachPeerGetsItsOwnBudgetPerMinute() {
        PeerRequestRate rate = new PeerRequestRate(3, 100);
        PeerId a = peer();
        PeerId b = peer();
        assertThat(rate.admit(a)).isTrue();
        assertThat(rate.admit(a)).isTrue();
        assertThat(rate.admit(a)).isTrue();
        assertThat(rate.admit(a)).isFalse();
        assertThat(rate.admit(b)).isTrue();
    }

    @Test
    void manyPeersDoNotGrowIt_theOldestAreForgotten() {
        PeerRequestRate rate = new PeerRequestRate(1, 2);
        PeerId first = peer();
        assertThat(rate.admit(first)).isTrue();
        assertThat(rate.admit(first)).isFalse();
        rate.admit(peer());
        rate.admit(peer());
        // forgotten, so counted afresh
        assertThat(rate.admit(first)).isTrue();
    }
}
