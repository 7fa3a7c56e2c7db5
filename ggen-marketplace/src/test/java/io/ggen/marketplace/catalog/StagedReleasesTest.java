package io.ggen.marketplace.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.keys.Fingerprint;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The staging of announcements alone: no database, no thread, times given in nanoseconds. */
class StagedReleasesTest {
    static final long MS = 1_000_000;
    static final Catalog.Batching BATCHING = new Catalog.Batching(Duration.ofMillis(50), 3, 5, Duration.ZERO);
    static final Ed25519PrivateKey ALICE = Ed25519PrivateKey.fromSeed(new byte[32]);
    static final Ed25519PrivateKey MALLORY = Ed25519PrivateKey.fromSeed(seed(1));

    static byte[] seed(int i) {
        byte[] s = new byte[32];
        s[0] = (byte) i;
        return s;
    }

    static Catalog.Verified release(Ed25519PrivateKey key, String id, String version, String content) {
        SignedRecord s = CatalogTest.release(key, id, version, "N", "d", List.of(), List.of(), content);
        return Catalog.Verified.release(s, s.openRelease(), null);
    }

    @Test
    void aReleaseThatContradictsAStagedOneIsRefusedAndTheSameOneIsKnown() {
        StagedReleases s = new StagedReleases(BATCHING, 0);
        Catalog.Verified first = release(ALICE, "io.x", "1.0.0", "a");
        assertThat(s.check(first.release())).isEqualTo(Catalog.Added.NEW);
        s.add(first, true);
        assertThat(s.check(release(ALICE, "io.x", "1.0.0", "a").release())).isEqualTo(Catalog.Added.ALREADY_PRESENT);
        assertThatThrownBy(() -> s.check(release(ALICE, "io.x", "1.0.0", "other").release()))
                .isInstanceOf(MarketplaceException.class).hasMessageContaining("already released")
                .extracting(e -> ((MarketplaceException) e).kind()).isEqualTo(MarketplaceException.Kind.CONFLICT);
        // Build metadata does not make another version.
        assertThatThrownBy(() -> s.check(release(ALICE, "io.x", "1.0.0+build.2", "a").release())).hasMessageContaining("already released");
        assertThat(s.check(release(ALICE, "io.x", "1.0.1", "b").release())).isEqualTo(Catalog.Added.NEW);
    }

    @Test
    void theFirstStagedReleaseOfAnUnownedIdClaimsItForItsKey() {
        StagedReleases s = new StagedReleases(BATCHING, 0);
        assertThat(s.claim("io.x")).isEmpty();
        Catalog.Verified first = release(ALICE, "io.x", "1.0.0", "a");
        s.add(first, true);
        assertThat(s.claim("io.x")).get().extracting(Ownership::fingerprint).isEqualTo(Fingerprint.of(ALICE.publicKey()));
        assertThatThrownBy(() -> TrustPolicy.release(s.claim("io.x"), Fingerprint.of(MALLORY.publicKey()), "io.x@2.0.0")).hasMessageContaining("belongs to key");
        // An id the database owns already is not claimed by staging.
        s.add(release(MALLORY, "io.m", "1.0.0", "m"), false);
        assertThat(s.claim("io.m")).isEmpty();
        s.committed(s.batch(), 0);
        assertThat(s.claim("io.x")).isEmpty();
        assertThat(s.isEmpty()).isTrue();
    }

    @Test
    void aCommitIsDueAnIntervalAfterTheLastOneOrAtAFullBatch() {
        StagedReleases s = new StagedReleases(BATCHING, 0);
        assertThat(s.nanosUntilDue(0)).isEqualTo(Long.MAX_VALUE);
        // Opening counts as a commit: a record staged 20 ms later waits 30 ms more.
        s.add(release(ALICE, "io.a", "1.0.0", "a"), true);
        assertThat(s.nanosUntilDue(20 * MS)).isEqualTo(30 * MS);
        assertThat(s.due(49 * MS)).isFalse();
        assertThat(s.due(50 * MS)).isTrue();
        s.committed(s.batch(), 55 * MS);
        assertThat(s.nanosUntilDue(56 * MS)).isEqualTo(Long.MAX_VALUE);
        // While records stream in, at most one commit per interval: each gathers what came since.
        s.add(release(ALICE, "io.b", "1.0.0", "b"), true);
        s.add(release(ALICE, "io.c", "1.0.0", "c"), true);
        assertThat(s.nanosUntilDue(60 * MS)).isEqualTo(45 * MS);
        assertThat(s.due(105 * MS)).isTrue();
        s.committed(s.batch(), 106 * MS);
        // A lone record after a quiet interval is due at once.
        s.add(release(ALICE, "io.d", "1.0.0", "d"), true);
        assertThat(s.nanosUntilDue(500 * MS)).isZero();

        StagedReleases bySize = new StagedReleases(BATCHING, 0);
        bySize.add(release(ALICE, "io.a", "1.0.0", "a"), true);
        bySize.add(release(ALICE, "io.b", "1.0.0", "b"), true);
        assertThat(bySize.due(0)).isFalse();
        bySize.add(release(ALICE, "io.c", "1.0.0", "c"), true);
        assertThat(bySize.due(0)).isTrue();
    }

    @Test
    void recordsStagedWhileABatchCommitsStayForTheNext() {
        StagedReleases s = new StagedReleases(BATCHING, 0);
        s.add(release(ALICE, "io.a", "1.0.0", "a"), true);
        List<StagedReleases.Entry> batch = s.batch();
        s.add(release(ALICE, "io.b", "1.0.0", "b"), true);
        s.committed(batch, 60 * MS);
        assertThat(s.size()).isEqualTo(1);
        assertThat(s.claim("io.a")).isEmpty();
        assertThat(s.claim("io.b")).isPresent();
        assertThat(s.nanosUntilDue(70 * MS)).isEqualTo(40 * MS);
    }

    @Test
    void stagingIsBounded() {
        StagedReleases s = new StagedReleases(BATCHING, 0);
        for (int i = 0; i < BATCHING.capacity(); i++) s.add(release(ALICE, "io.p" + i, "1.0.0", "c" + i), true);
        assertThat(s.full()).isTrue();
        assertThatThrownBy(() -> s.add(release(ALICE, "io.more", "1.0.0", "more"), true)).isInstanceOf(IllegalStateException.class);
        s.committed(s.batch().subList(0, 1), 0);
        assertThat(s.full()).isFalse();
    }

    @Test
    void aFailedCommitIsTriedAgainAnIntervalLaterWithTheSameRecords() {
        StagedReleases s = new StagedReleases(BATCHING, 0);
        for (int i = 0; i < 3; i++) s.add(release(ALICE, "io.p" + i, "1.0.0", "c" + i), true);
        assertThat(s.due(0)).isTrue();
        s.commitFailed(10 * MS);
        // A full batch too: a failing disk is not hammered.
        assertThat(s.nanosUntilDue(10 * MS)).isEqualTo(50 * MS);
        assertThat(s.due(60 * MS)).isTrue();
        assertThat(s.batch()).hasSize(3);
        s.committed(s.batch(), 65 * MS);
        for (int i = 3; i < 6; i++) s.add(release(ALICE, "io.p" + i, "1.0.0", "c" + i), true);
        assertThat(s.due(66 * MS)).isTrue();
    }

    @Test
    void theWaitNeverExceedsTheIntervalAndStagingNeverExceedsItsCapacity() {
        // Any sequence of stage (a staging time step), commit-some and commit-failed steps.
        qt().withExamples(200).forAll(lists().of(integers().between(0, 99)).ofSizeBetween(1, 60)).checkAssert(steps -> {
            StagedReleases s = new StagedReleases(BATCHING, 0);
            long now = 0;
            int n = 0;
            for (int step : steps) {
                now += step * MS;
                if (step < 70) {
                    if (!s.full()) s.add(release(ALICE, "io.q" + n, "1.0.0", "q" + n++), true);
                } else if (step < 90) {
                    List<StagedReleases.Entry> b = s.batch();
                    s.committed(b.subList(0, b.size() / 2), now);
                } else {
                    s.commitFailed(now);
                }
                assertThat(s.size()).isLessThanOrEqualTo(BATCHING.capacity());
                long wait = s.nanosUntilDue(now);
                if (s.isEmpty()) assertThat(wait).isEqualTo(Long.MAX_VALUE);
                else assertThat(wait).isBetween(0L, BATCHING.interval().toNanos());
            }
        });
    }

    @Test
    void batchingRefusesSettingsThatDoNotMakeSense() {
        assertThatThrownBy(() -> new Catalog.Batching(Duration.ZERO, 1, 1, Duration.ZERO)).hasMessageContaining("interval");
        assertThatThrownBy(() -> new Catalog.Batching(Duration.ofMillis(10), 10, 5, Duration.ZERO)).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new Catalog.Batching(Duration.ofMillis(10), 1, 5, Duration.ofMillis(-1))).hasMessageContaining("wait");
    }
}
