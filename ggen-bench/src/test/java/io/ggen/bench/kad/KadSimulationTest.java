package io.ggen.bench.kad;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The DHT's lookup code on simulated networks: small enough for the suite, large enough to need several hops. */
class KadSimulationTest {
    @Test
    void withoutChurnEveryLookupAndEveryGetSucceeds() {
        KadSimulation.Stats s = KadSimulation.simulate(400, 0, 200, 7);
        assertThat(s.successRate()).isEqualTo(1.0);
        assertThat(s.getSuccessRate()).isEqualTo(1.0);
        // log2(400)/log2(20)+1 = 3.0, rounded up: 3
        assertThat(s.hopsP50()).isLessThanOrEqualTo(3);
    }

    @Test
    void withTenPercentChurnLookupsStillFindTheirTargets() {
        KadSimulation.Stats s = KadSimulation.simulate(400, 10, 200, 11);
        assertThat(s.successRate()).isGreaterThanOrEqualTo(0.97);
        assertThat(s.getSuccessRate()).isGreaterThanOrEqualTo(0.9);
    }
}
