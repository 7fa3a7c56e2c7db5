package io.ggen.marketplace.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.catalog.PeerReputation;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.marketplace.release.YankRecord;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What gossipsub's validator calls: {@link ReleaseIntake#announce}, its verdict at once, the release committed with the next batch. */
class AnnouncementIntakeTest {
    @TempDir
    Path dir;
    Catalog catalog;
    ReleaseIntake intake;
    final Ed25519PrivateKey alice = Ed25519PrivateKey.generate();
    final Ed25519PrivateKey mallory = Ed25519PrivateKey.generate();
    final ProviderAdmission.Source source = new ProviderAdmission.Source("12D3KooWForwarder", "192.0.2.1");

    @BeforeEach
    void open() {
        // An interval no test waits for: commits happen when a test asks.
        catalog = Catalog.open(dir.resolve("catalog.db"), new Catalog.Batching(Duration.ofSeconds(10), 1000, 1000, Duration.ZERO));
        intake = new ReleaseIntake(catalog);
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    SignedRecord release(Ed25519PrivateKey key, String id, String version, String content) {
        ReleaseRecord r = new ReleaseRecord(id, version, ContentId.of(content.getBytes()), 10, "Name", "announced words", "MIT", ">=0.1", new TreeMap<>(),
                List.of("A"), List.of(), List.of(), List.of(), null, null, key.publicKey(), 1);
        return SignedRecord.sign(r, key);
    }

    @Test
    void aValidReleaseIsAcceptedAtOnceAndCommittedWithItsProvider() {
        SignedRecord r = release(alice, "io.a", "1.0.0", "a");
        assertThat(intake.announce(r.encode(), "12D3KooWAuthor", source).outcome()).isEqualTo(ReleaseIntake.Outcome.ACCEPTED);
        assertThat(intake.announce(r.encode(), "12D3KooWAuthor", source).outcome()).isEqualTo(ReleaseIntake.Outcome.KNOWN);
        assertThat(catalog.releaseCount()).isZero();
        catalog.commitStaged();
        assertThat(catalog.releases("io.a")).hasSize(1);
        assertThat(catalog.providers(r.openRelease().cid().toString())).extracting(PeerReputation::peerId).containsExactly("12D3KooWAuthor");
        assertThat(intake.announce(r.encode(), null, source).outcome()).isEqualTo(ReleaseIntake.Outcome.KNOWN);
    }

    @Test
    void whatContradictsAStagedReleaseIsRejectedBeforeItIsCommitted() {
        assertThat(intake.announce(release(alice, "io.a", "1.0.0", "a").encode(), "p", source).outcome()).isEqualTo(ReleaseIntake.Outcome.ACCEPTED);
        ReleaseIntake.Result conflict = intake.announce(release(alice, "io.a", "1.0.0", "other").encode(), "p", source);
        assertThat(conflict.outcome()).isEqualTo(ReleaseIntake.Outcome.REJECTED);
        assertThat(conflict.reason()).contains("already released");
        ReleaseIntake.Result notOwner = intake.announce(release(mallory, "io.a", "2.0.0", "m").encode(), "p", source);
        assertThat(notOwner.outcome()).isEqualTo(ReleaseIntake.Outcome.REJECTED);
        assertThat(notOwner.reason()).contains("belongs to key");
        assertThat(intake.announce(new byte[] {1, 2, 3}, "p", source).outcome()).isEqualTo(ReleaseIntake.Outcome.REJECTED);
        catalog.commitStaged();
        assertThat(catalog.releaseCount()).isEqualTo(1);
        assertThat(catalog.refusedAtCommit()).isZero();
    }

    @Test
    void aYankIsWrittenAtOnceAfterTheStagedReleases() {
        SignedRecord r = release(alice, "io.a", "1.0.0", "a");
        intake.announce(r.encode(), "p", source);
        SignedRecord yank = SignedRecord.sign(new YankRecord("io.a", "1.0.0", r.openRelease().cid(), "broken", alice.publicKey(), 2), alice);
        assertThat(intake.announce(yank.encode(), "p", source).outcome()).isEqualTo(ReleaseIntake.Outcome.ACCEPTED);
        assertThat(catalog.releases("io.a")).singleElement().extracting(row -> row.yanked()).isEqualTo(true);
        assertThat(catalog.stagedCount()).isZero();
    }
}
