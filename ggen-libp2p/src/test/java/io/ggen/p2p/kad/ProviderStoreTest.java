package io.ggen.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderStoreTest {
    static PeerId peer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    @Test
    void oneOriginAnnouncingUnderManyIdsCannotPushOutTheOtherProviders() {
        ProviderStore store = new ProviderStore(100, 64);
        byte[] key = "cid".getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.parse("2026-12-04T22:00:00Z");
        Instant expires = now.plusSeconds(3600);
        List<PeerId> honest = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            PeerId p = peer();
            honest.add(p);
            assertThat(store.add(key, p, expires, "198.51.100." + i)).isTrue();
        }
        List<PeerId> sybils = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 70; i++) {
            PeerId p = peer();
            sybils.add(p);
            if (!store.add(key, p, expires, "203.0.113.9")) refused++;
        }
        assertThat(refused).isEqualTo(70 - ProviderStore.MAX_PER_ORIGIN);
        assertThat(store.get(key, now)).containsAll(honest).hasSize(40 + ProviderStore.MAX_PER_ORIGIN);
        // an origin's own providers refresh freely; without an origin nothing is limited
        assertThat(store.add(key, sybils.get(0), expires, "203.0.113.9")).isTrue();
        assertThat(store.add(key, peer(), expires, null)).isTrue();
    }
}
