package io.ggen.marketplace.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerStatsTest {
    @TempDir
    Path dir;

    @Test
    void thePeerTableIsTrimmedEveryFewNewPeersNotOnEveryUpdate() {
        int max = 5;
        int every = 4;
        try (Catalog c = Catalog.open(dir.resolve("c.db"), 2, max, every)) {
            for (int i = 0; i < max; i++) c.recordRetrieval("p" + i, true);
            // Updates of known peers never trim (nor count towards a trim).
            for (int round = 0; round < 10; round++) for (int i = 0; i < max; i++) c.recordRetrieval("p" + i, round % 2 == 0);
            c.addProvider("cid", "extra");
            assertThat(c.peerCount()).isEqualTo(max + 1);
            for (int i = 0; i < 40; i++) {
                c.addProvider("cid" + i, "new" + i);
                assertThat(c.peerCount()).isLessThanOrEqualTo(max + every);
            }
            c.trimPeers();
            assertThat(c.peerCount()).isEqualTo(max);
            // Providers of trimmed peers go with them.
            assertThat(c.providedCount("extra")).isZero();
        }
    }

    @Test
    void openingTrimsATableLeftOverTheBound() {
        try (Catalog c = Catalog.open(dir.resolve("c.db"), 2, 100, 1000)) {
            for (int i = 0; i < 30; i++) c.recordRetrieval("p" + i, true);
            assertThat(c.peerCount()).isEqualTo(30);
        }
        try (Catalog c = Catalog.open(dir.resolve("c.db"), 2, 10, 1000)) {
            assertThat(c.peerCount()).isEqualTo(10);
        }
    }
}
