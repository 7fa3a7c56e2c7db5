package io.ggen.marketplace.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Announcements staged in the catalog and committed in groups by its committer thread. */
class CatalogStagingTest {
    @TempDir
    Path dir;
    Catalog catalog;
    final Ed25519PrivateKey alice = Ed25519PrivateKey.generate();
    final Ed25519PrivateKey mallory = Ed25519PrivateKey.generate();

    @AfterEach
    void close() {
        if (catalog != null) catalog.close();
    }

    Catalog open(Duration interval, int batchSize, int capacity, Duration stageWait) {
        catalog = Catalog.open(dir.resolve("catalog.db"), new Catalog.Batching(interval, batchSize, capacity, stageWait));
        return catalog;
    }

    Catalog.Verified release(Ed25519PrivateKey key, String id, String version, String content, String provider) {
        SignedRecord s = CatalogTest.release(key, id, version, "Name " + id, "staged words", List.of(), List.of(), content);
        return Catalog.Verified.release(s, s.openRelease(), provider);
    }

    /** Holds the catalog's writer in a transaction from {@code inWrite} until {@code finish}. */
    CompletableFuture<Void> holdWriter(CountDownLatch inWrite, CountDownLatch finish) {
        return CompletableFuture.runAsync(() -> catalog.database().write(tx -> {
            inWrite.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
    }

    @Test
    void aReleaseContradictingAStagedOneIsRefusedBeforeAnythingIsCommitted() {
        open(Duration.ofSeconds(10), 1000, 1000, Duration.ZERO);
        assertThat(catalog.stageRelease(release(alice, "io.x", "1.0.0", "a", null))).isEqualTo(Catalog.Staged.STAGED);
        assertThat(catalog.releaseCount()).isZero();
        assertThat(catalog.stageRelease(release(alice, "io.x", "1.0.0", "a", null))).isEqualTo(Catalog.Staged.KNOWN);
        assertThatThrownBy(() -> catalog.stageRelease(release(alice, "io.x", "1.0.0", "b", null)))
                .isInstanceOf(MarketplaceException.class).hasMessageContaining("already released");
        // The staged release claims the new id for alice's key.
        assertThatThrownBy(() -> catalog.stageRelease(release(mallory, "io.x", "2.0.0", "c", null)))
                .extracting(e -> ((MarketplaceException) e).kind()).isEqualTo(MarketplaceException.Kind.VERIFICATION);
        assertThat(catalog.stageRelease(release(alice, "io.x", "2.0.0", "c", null))).isEqualTo(Catalog.Staged.STAGED);
        // The same checks for a write of the node's own and for publish's check.
        assertThatThrownBy(() -> catalog.check(release(mallory, "io.x", "3.0.0", "d", null).release())).hasMessageContaining("belongs to key");
        assertThatThrownBy(() -> catalog.addRelease(release(alice, "io.x", "1.0.0", "e", null).signed())).hasMessageContaining("already released");
        assertThat(catalog.stagedCount()).isEqualTo(2);
        assertThat(catalog.refusedAtCommit()).isZero();
    }

    @Test
    void aFullBatchIsCommittedWithoutWaitingForTheInterval() {
        open(Duration.ofSeconds(10), 3, 10, Duration.ZERO);
        for (int i = 0; i < 3; i++) catalog.stageRelease(release(alice, "io.p" + i, "1.0.0", "c" + i, null));
        await().atMost(5, TimeUnit.SECONDS).until(() -> catalog.releaseCount() == 3);
        assertThat(catalog.batchesCommitted()).isEqualTo(1);
        assertThat(catalog.stagedCount()).isZero();
    }

    @Test
    void aLoneRecordIsCommittedWithinAnIntervalAndIsThenSearchable() {
        open(Duration.ofMillis(50), 1000, 1000, Duration.ZERO);
        catalog.stageRelease(release(alice, "io.lone", "1.0.0", "l", "12D3KooWProvider"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> !catalog.search(SearchQuery.text("staged")).isEmpty());
        assertThat(catalog.search(SearchQuery.text("staged"))).extracting(SearchHit::id).containsExactly("io.lone");
        String cid = catalog.releases("io.lone").get(0).record().cid().toString();
        assertThat(catalog.providers(cid)).extracting(PeerReputation::peerId).containsExactly("12D3KooWProvider");
        assertThat(catalog.ownerOf("io.lone")).isPresent();
    }

    @Test
    void aKnownReleaseWithAProviderIsStagedForTheProviderAlone() {
        open(Duration.ofSeconds(10), 1000, 1000, Duration.ZERO);
        Catalog.Verified r = release(alice, "io.k", "1.0.0", "k", null);
        catalog.addRelease(r.signed());
        assertThat(catalog.stageRelease(r)).isEqualTo(Catalog.Staged.KNOWN);
        assertThat(catalog.stagedCount()).isZero();
        assertThat(catalog.stageRelease(Catalog.Verified.release(r.signed(), r.release(), "12D3KooWOther"))).isEqualTo(Catalog.Staged.KNOWN);
        catalog.commitStaged();
        assertThat(catalog.providers(r.release().cid().toString())).extracting(PeerReputation::peerId).containsExactly("12D3KooWOther");
        assertThat(catalog.releaseCount()).isEqualTo(1);
    }

    @Test
    void stagingIsBoundedAndARecordWaitsForRoomOrIsTurnedAway() throws Exception {
        open(Duration.ofSeconds(10), 2, 2, Duration.ZERO);
        // The writer is held, so the committer cannot commit what it takes.
        CountDownLatch inWrite = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<Void> held = holdWriter(inWrite, finish);
        inWrite.await();
        assertThat(catalog.stageRelease(release(alice, "io.a", "1.0.0", "a", null))).isEqualTo(Catalog.Staged.STAGED);
        assertThat(catalog.stageRelease(release(alice, "io.b", "1.0.0", "b", null))).isEqualTo(Catalog.Staged.STAGED);
        assertThat(catalog.stageRelease(release(alice, "io.c", "1.0.0", "c", null))).isEqualTo(Catalog.Staged.FULL);
        assertThat(catalog.stagedCount()).isEqualTo(2);
        finish.countDown();
        held.get(10, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> catalog.stagedCount() == 0);
        assertThat(catalog.stageRelease(release(alice, "io.c", "1.0.0", "c", null))).isEqualTo(Catalog.Staged.STAGED);
    }

    @Test
    void aRecordThatFindsStagingFullWaitsForTheNextCommit() throws Exception {
        open(Duration.ofSeconds(10), 1, 1, Duration.ofSeconds(30));
        CountDownLatch inWrite = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<Void> held = holdWriter(inWrite, finish);
        inWrite.await();
        assertThat(catalog.stageRelease(release(alice, "io.a", "1.0.0", "a", null))).isEqualTo(Catalog.Staged.STAGED);
        CompletableFuture<Catalog.Staged> waiting = CompletableFuture.supplyAsync(() -> catalog.stageRelease(release(alice, "io.b", "1.0.0", "b", null)));
        assertThat(waiting).isNotDone();
        finish.countDown();
        held.get(10, TimeUnit.SECONDS);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(Catalog.Staged.STAGED);
        await().atMost(5, TimeUnit.SECONDS).until(() -> catalog.releaseCount() == 2);
    }

    @Test
    void closingCommitsWhatIsStaged() {
        open(Duration.ofSeconds(10), 1000, 1000, Duration.ZERO);
        for (int i = 0; i < 5; i++) catalog.stageRelease(release(alice, "io.s" + i, "1.0.0", "s" + i, null));
        assertThat(catalog.releaseCount()).isZero();
        catalog.close();
        catalog = Catalog.open(dir.resolve("catalog.db"));
        assertThat(catalog.releaseCount()).isEqualTo(5);
        assertThat(catalog.search(SearchQuery.text("staged"))).hasSize(5);
    }

    @Test
    void aWriteOfTheNodesOwnCommitsTheStagedRecordsFirstInItsTransaction() {
        open(Duration.ofSeconds(10), 1000, 1000, Duration.ZERO);
        catalog.stageRelease(release(alice, "io.x", "1.0.0", "a", null));
        // Staged first, so alice owns io.x: mallory's own publish of the id is refused...
        assertThatThrownBy(() -> catalog.addRelease(release(mallory, "io.x", "1.1.0", "m", null).signed())).hasMessageContaining("belongs to key");
        assertThat(catalog.releaseCount()).isZero();
        // ...and a write that is accepted carries the staged record in with it.
        catalog.addRelease(release(mallory, "io.m", "1.0.0", "m", null).signed());
        assertThat(catalog.stagedCount()).isZero();
        assertThat(catalog.releases("io.x")).hasSize(1);
        assertThat(catalog.releaseCount()).isEqualTo(2);
    }
}
