package io.ggen.marketplace.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DocFrequenciesTest {
    final AtomicLong now = new AtomicLong();
    final DocFrequencies counts = new DocFrequencies(now::get);

    @Test
    void aCountIsReusedWhileThePackagesMoveByOnePercentAtMost() {
        counts.put("\"rust\"", 10_000, 300);
        assertThat(counts.get("\"rust\"", 10_000)).isEqualTo(300);
        assertThat(counts.get("\"rust\"", 10_100)).isEqualTo(300);
        assertThat(counts.get("\"rust\"", 9_900)).isEqualTo(300);
        assertThat(counts.get("\"rust\"", 10_101)).isEqualTo(-1);
        assertThat(counts.get("\"rust\"", 10_000)).as("forgotten once stale").isEqualTo(-1);
        assertThat(counts.get("\"other\"", 10_000)).isEqualTo(-1);
    }

    @Test
    void aCountIsRetakenAfterItsMaximumAge() {
        counts.put("\"rust\"", 50, 3);
        now.addAndGet(DocFrequencies.MAX_AGE_NANOS);
        assertThat(counts.get("\"rust\"", 50)).isEqualTo(3);
        now.incrementAndGet();
        assertThat(counts.get("\"rust\"", 50)).isEqualTo(-1);
    }

    @Test
    void theLeastRecentlyUsedAreForgottenPastTheCapacity() {
        for (int i = 0; i < DocFrequencies.CAPACITY; i++) counts.put("t" + i, 100, i);
        assertThat(counts.get("t0", 100)).isZero(); // used: now the most recent
        counts.put("one more", 100, 1);
        assertThat(counts.size()).isEqualTo(DocFrequencies.CAPACITY);
        assertThat(counts.get("t1", 100)).isEqualTo(-1);
        assertThat(counts.get("t0", 100)).isZero();
    }
}
