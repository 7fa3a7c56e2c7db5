package io.ggen.marketplace.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.marketplace.release.YankRecord;
import io.ggen.marketplace.version.Version;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
    @TempDir
    Path dir;
    Catalog catalog;
    final Ed25519PrivateKey alice = Ed25519PrivateKey.generate();
    final Ed25519PrivateKey mallory = Ed25519PrivateKey.generate();

    @BeforeEach
    void open() {
        catalog = Catalog.open(dir.resolve("catalog.db"));
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    static SignedRecord release(Ed25519PrivateKey key, String id, String version, String name, String desc, List<String> keywords, List<String> tags, String content) {
        ReleaseRecord r = new ReleaseRecord(id, version, ContentId.of(content.getBytes()), content.length() + 1, name, desc, "MIT", ">=0.1", new TreeMap<>(),
                List.of("Alice Example"), keywords, List.of("cli"), tags, null, null, key.publicKey(), System.currentTimeMillis());
        return SignedRecord.sign(r, key);
    }

    @Test
    void searchRanksWithBm25AndPutsTheExactIdFirst() {
        catalog.addRelease(release(alice, "io.ggen.rust.cli", "1.0.0", "Rust CLI", "Generate a command line tool in Rust", List.of("rust", "cli"), List.of("rust"), "a"));
        catalog.addRelease(release(alice, "io.ggen.python.cli", "1.0.0", "Python CLI", "Generate a command line tool; rust bindings optional", List.of("python"), List.of(), "b"));
        catalog.addRelease(release(alice, "rust", "0.1.0", "Misc", "Nothing relevant", List.of(), List.of(), "c"));
        List<SearchHit> hits = catalog.search(SearchQuery.text("rust"));
        assertThat(hits).extracting(SearchHit::id).containsExactly("rust", "io.ggen.rust.cli", "io.ggen.python.cli");
        assertThat(catalog.search(SearchQuery.text("comm"))).isEmpty();
        assertThat(catalog.search(SearchQuery.text("comm*"))).hasSize(2);
        assertThat(catalog.search(new SearchQuery("", null, List.of("rust"), null, null, null, 10, 0, SearchQuery.Sort.NAME)))
                .extracting(SearchHit::id).containsExactly("io.ggen.rust.cli");
        assertThat(catalog.search(new SearchQuery("cli", "CLI", List.of(), "python", "alice", "mit", 10, 0, SearchQuery.Sort.RELEVANCE)))
                .extracting(SearchHit::id).containsExactly("io.ggen.python.cli");
        assertThat(catalog.search(new SearchQuery("", null, List.of(), null, null, null, 1, 1, SearchQuery.Sort.NAME))).extracting(SearchHit::id).containsExactly("io.ggen.rust.cli");
        assertThat(catalog.search(SearchQuery.text("\"; DROP TABLE packages; --"))).isEmpty();
        assertThat(catalog.indexIntact()).isTrue();
    }

    @Test
    void ownershipIsTrustOnFirstUseAndPinsOverrideIt() {
        catalog.addRelease(release(alice, "io.x", "1.0.0", "X", "x", List.of(), List.of(), "1"));
        assertThatThrownBy(() -> catalog.addRelease(release(mallory, "io.x", "1.1.0", "X", "x", List.of(), List.of(), "2")))
                .hasMessageContaining("belongs to key").hasMessageContaining("ggen marketplace trust");
        assertThat(catalog.releases("io.x")).hasSize(1);
        catalog.addRelease(release(mallory, "io.other", "1.0.0", "O", "o", List.of(), List.of(), "3"));
        String malloryFp = io.ggen.marketplace.keys.Fingerprint.of(mallory.publicKey());
        assertThat(catalog.trust(malloryFp, List.of("io.x"))).containsExactly("io.x");
        assertThat(catalog.ownerOf("io.x").orElseThrow().how()).isEqualTo(Ownership.PINNED);
        catalog.addRelease(release(mallory, "io.x", "1.1.0", "X", "x", List.of(), List.of(), "2"));
        assertThatThrownBy(() -> catalog.trust("00000000000000000000000000000000", List.of())).hasMessageContaining("no publisher");
    }

    @Test
    void idAtVersionIsImmutable() {
        catalog.addRelease(release(alice, "io.x", "1.0.0", "X", "x", List.of(), List.of(), "1"));
        assertThat(catalog.addRelease(release(alice, "io.x", "1.0.0", "X", "x", List.of(), List.of(), "1"))).isEqualTo(Catalog.Added.ALREADY_PRESENT);
        assertThatThrownBy(() -> catalog.addRelease(release(alice, "io.x", "1.0.0", "X", "x", List.of(), List.of(), "different")))
                .hasMessageContaining("already released");
        assertThatThrownBy(() -> catalog.addRelease(release(alice, "io.x", "1.0.0+build", "X", "x", List.of(), List.of(), "different")))
                .hasMessageContaining("already released");
    }

    @Test
    void yankHidesAReleaseFromTheLatestVersionAndOnlyTheOwnerMayYank() {
        SignedRecord v1 = release(alice, "io.x", "1.0.0", "X", "x", List.of(), List.of(), "1");
        SignedRecord v2 = release(alice, "io.x", "1.1.0", "X", "x", List.of(), List.of(), "2");
        catalog.addReleases(List.of(v1, v2));
        assertThat(catalog.search(SearchQuery.text("io.x")).get(0).version()).isEqualTo("1.1.0");
        ReleaseRecord r2 = v2.openRelease();
        assertThatThrownBy(() -> catalog.yank(SignedRecord.sign(new YankRecord("io.x", "1.1.0", r2.cid(), "oops", mallory.publicKey(), 1), mallory)))
                .hasMessageContaining("belongs to key");
        catalog.yank(SignedRecord.sign(new YankRecord("io.x", "1.1.0", r2.cid(), "oops", alice.publicKey(), 1), alice));
        assertThat(catalog.search(SearchQuery.text("io.x")).get(0).version()).isEqualTo("1.0.0");
        assertThat(catalog.release("io.x", Version.parse("1.1.0")).orElseThrow().yanked()).isTrue();
    }

    @Test
    void aYankTakesItsReleaseBackIntoCatalogSyncBehindEveryCursor() {
        SignedRecord v1 = release(alice, "io.x", "1.0.0", "X", "x", List.of(), List.of(), "1");
        SignedRecord v2 = release(alice, "io.x", "1.1.0", "X", "x", List.of(), List.of(), "2");
        SignedRecord other = release(alice, "io.y", "1.0.0", "Y", "y", List.of(), List.of(), "3");
        catalog.addReleases(List.of(v1, v2, other));
        Catalog.Page all = catalog.signedRecords(0, 100);
        assertThat(all.records()).hasSize(3);
        long cursor = all.nextCursor();
        assertThat(catalog.signedRecords(cursor, 100).records()).isEmpty();

        SignedRecord yank = SignedRecord.sign(new YankRecord("io.x", "1.1.0", v2.openRelease().cid(), "broken", alice.publicKey(), 1), alice);
        assertThat(catalog.yank(yank)).isTrue();
        // A peer that synced everything before gets the release again, then its yank.
        Catalog.Page after = catalog.signedRecords(cursor, 100);
        assertThat(after.records()).hasSize(2);
        assertThat(after.records().get(0)).isEqualTo(v2.encode());
        assertThat(after.records().get(1)).isEqualTo(yank.encode());
        assertThat(after.nextCursor()).isGreaterThan(cursor);
        // The same yank again changes nothing and moves nothing.
        assertThat(catalog.yank(yank)).isFalse();
        assertThat(catalog.signedRecords(after.nextCursor(), 100).records()).isEmpty();
        assertThat(catalog.signedYank("io.x", Version.parse("1.1.0")).orElseThrow().encode()).isEqualTo(yank.encode());
        // Releases added later still follow.
        catalog.addRelease(release(alice, "io.z", "1.0.0", "Z", "z", List.of(), List.of(), "4"));
        assertThat(catalog.signedRecords(after.nextCursor(), 100).records()).hasSize(1);
    }

    @Test
    void aYankOfAnUnknownReleaseIsNotFoundAndOneNamingAnotherCidIsRefused() {
        SignedRecord v1 = release(alice, "io.x", "1.0.0", "X", "x", List.of(), List.of(), "1");
        catalog.addRelease(v1);
        assertThatThrownBy(() -> catalog.yank(SignedRecord.sign(new YankRecord("io.x", "2.0.0", v1.openRelease().cid(), "", alice.publicKey(), 1), alice)))
                .isInstanceOfSatisfying(io.ggen.marketplace.error.MarketplaceException.class,
                        e -> assertThat(e.kind()).isEqualTo(io.ggen.marketplace.error.MarketplaceException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> catalog.yank(SignedRecord.sign(new YankRecord("io.x", "1.0.0", ContentId.of("else".getBytes()), "", alice.publicKey(), 1), alice)))
                .isInstanceOf(io.ggen.marketplace.release.RecordException.class).hasMessageContaining("is released as");
        assertThat(catalog.release("io.x", Version.parse("1.0.0")).orElseThrow().yanked()).isFalse();
    }

    @Test
    void theOwnersSignedHeadYanksWhatItMarksAndALaterYankRecordIsStillKept() {
        SignedRecord v1 = release(alice, "io.x", "1.0.0", "X", "x", List.of(), List.of(), "1");
        SignedRecord v2 = release(alice, "io.x", "1.1.0", "X", "x", List.of(), List.of(), "2");
        catalog.addReleases(List.of(v1, v2));
        ContentId c1 = v1.openRelease().cid();
        ContentId c2 = v2.openRelease().cid();
        // A head by another key yanks nothing; neither does an entry with another CID.
        io.ggen.marketplace.release.PackageHead forged = new io.ggen.marketplace.release.PackageHead("io.x", mallory.publicKey(), 5,
                List.of(new io.ggen.marketplace.release.PackageHead.Entry("1.1.0", c2, true)), 5);
        assertThat(catalog.yankFromHead(forged)).isEmpty();
        io.ggen.marketplace.release.PackageHead wrongCid = new io.ggen.marketplace.release.PackageHead("io.x", alice.publicKey(), 6,
                List.of(new io.ggen.marketplace.release.PackageHead.Entry("1.0.0", c2, true)), 6);
        assertThat(catalog.yankFromHead(wrongCid)).isEmpty();
        io.ggen.marketplace.release.PackageHead head = new io.ggen.marketplace.release.PackageHead("io.x", alice.publicKey(), 7,
                List.of(new io.ggen.marketplace.release.PackageHead.Entry("1.0.0", c1, false), new io.ggen.marketplace.release.PackageHead.Entry("1.1.0", c2, true)), 7);
        assertThat(catalog.yankFromHead(head)).containsExactly("1.1.0");
        assertThat(catalog.yankFromHead(head)).isEmpty();
        assertThat(catalog.release("io.x", Version.parse("1.1.0")).orElseThrow().yanked()).isTrue();
        assertThat(catalog.release("io.x", Version.parse("1.0.0")).orElseThrow().yanked()).isFalse();
        assertThat(catalog.search(SearchQuery.text("io.x")).get(0).version()).isEqualTo("1.0.0");
        // The yank record itself, arriving later, is stored (and so spread by sync).
        SignedRecord yank = SignedRecord.sign(new YankRecord("io.x", "1.1.0", c2, "broken", alice.publicKey(), 1), alice);
        assertThat(catalog.yank(yank)).isTrue();
        assertThat(catalog.release("io.x", Version.parse("1.1.0")).orElseThrow().yankReason()).isEqualTo("broken");
    }

    @Test
    void aHitCarriesItsLatestReleasesCidAndSizeAndTheSignedRecordIsServedAsStored() {
        SignedRecord v1 = release(alice, "io.x", "1.0.0", "X", "x", List.of(), List.of(), "one");
        SignedRecord v2 = release(alice, "io.x", "1.1.0", "X", "x", List.of(), List.of(), "two!");
        catalog.addReleases(List.of(v1, v2));
        SearchHit hit = catalog.search(SearchQuery.text("io.x")).get(0);
        assertThat(hit.cid()).isEqualTo(v2.openRelease().cid().toString());
        assertThat(hit.size()).isEqualTo(5);
        catalog.yank(SignedRecord.sign(new YankRecord("io.x", "1.1.0", v2.openRelease().cid(), "oops", alice.publicKey(), 1), alice));
        hit = catalog.search(SearchQuery.text("io.x")).get(0);
        assertThat(hit.cid()).isEqualTo(v1.openRelease().cid().toString());
        assertThat(hit.size()).isEqualTo(4);
        assertThat(catalog.signedRelease("io.x", "1.0.0").orElseThrow().encode()).isEqualTo(v1.encode());
        assertThat(catalog.signedRelease("io.x", "9.9.9")).isEmpty();
        assertThat(catalog.release("io.x", Version.parse("1.0.0")).orElseThrow().signed().encode()).isEqualTo(v1.encode());
        assertThat(catalog.release("io.x", Version.parse("1.0.0+other")).orElseThrow().record().version()).isEqualTo("1.0.0");
    }

    @Test
    void reputationIsSuccessRateAndProvidersAreBounded() {
        assertThat(catalog.peer("p1").reputation()).isEqualTo(1.0);
        catalog.recordRetrieval("p1", true);
        catalog.recordRetrieval("p1", true);
        catalog.recordRetrieval("p1", false);
        catalog.recordRetrieval("p2", true);
        assertThat(catalog.peer("p1").reputation()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        for (int i = 0; i < Catalog.MAX_PROVIDERS_PER_CID + 5; i++) catalog.addProvider("cid", "peer" + i);
        catalog.addProvider("cid2", "p1");
        catalog.addProvider("cid2", "p2");
        assertThat(catalog.providers("cid")).hasSize(Catalog.MAX_PROVIDERS_PER_CID);
        assertThat(catalog.providers("cid2")).extracting(PeerReputation::peerId).containsExactly("p2", "p1");
    }

    @Test
    void uninformativeQueriesAreRankedAmongTheNewestMatchesOnly() {
        for (int i = 0; i < 6; i++) catalog.addRelease(release(alice, "io.common.p" + i, "1.0.0", "P", "zeta words", List.of(), List.of("t" + i), "c" + i));
        catalog.rankedCandidates(2);
        assertThat(catalog.search(SearchQuery.text("zeta"))).extracting(SearchHit::id).containsExactlyInAnyOrder("io.common.p4", "io.common.p5");
        assertThat(catalog.search(SearchQuery.text("zeta words"))).extracting(SearchHit::id).containsExactlyInAnyOrder("io.common.p4", "io.common.p5");
        assertThat(catalog.search(SearchQuery.text("io.common.p0")).get(0).id()).isEqualTo("io.common.p0");
        assertThat(catalog.search(new SearchQuery("zeta", null, List.of("t0"), null, null, null, 10, 0, SearchQuery.Sort.RELEVANCE)))
                .extracting(SearchHit::id).containsExactly("io.common.p0");
        assertThat(catalog.search(new SearchQuery("zeta", null, List.of(), null, null, null, 10, 0, SearchQuery.Sort.NAME))).hasSize(6);
    }

    @Test
    void survivesReopen() {
        catalog.addRelease(release(alice, "io.x", "1.0.0", "X", "x", List.of(), List.of(), "1"));
        catalog.close();
        catalog = Catalog.open(dir.resolve("catalog.db"));
        assertThat(catalog.releaseCount()).isEqualTo(1);
        assertThat(catalog.databaseIntact()).isTrue();
    }

    static Catalog.Verified verified(SignedRecord s, String provider) {
        return Catalog.Verified.release(s, s.openRelease(), provider);
    }

    @Test
    void aBatchKeepsTheRecordsBeforeARefusedOneAndNothingAfterIt() {
        catalog.addRelease(release(alice, "io.alice.owned", "1.0.0", "Owned", "Alice's", List.of(), List.of(), "owned"));
        SignedRecord first = release(alice, "io.alice.one", "1.0.0", "One", "first", List.of(), List.of(), "one");
        SignedRecord forged = release(mallory, "io.alice.owned", "2.0.0", "Owned", "not Alice's", List.of(), List.of(), "forged");
        SignedRecord after = release(alice, "io.alice.two", "1.0.0", "Two", "after the forgery", List.of(), List.of(), "two");
        SignedRecord yankOfUnknown = SignedRecord.sign(new YankRecord("io.alice.nowhere", "1.0.0", ContentId.of("x".getBytes()), "gone", alice.publicKey(),
                System.currentTimeMillis()), alice);
        Catalog.BatchResult r = catalog.addVerified(List.of(verified(first, "12D3KooWProvider"), Catalog.Verified.yank(yankOfUnknown, yankOfUnknown.openYank()),
                verified(forged, null), verified(after, null)));
        assertThat(r.applied()).containsExactly(Catalog.Added.NEW, Catalog.Added.ALREADY_PRESENT);
        assertThat(r.refusal()).contains("io.alice.owned");
        assertThat(catalog.release("io.alice.one", Version.parse("1.0.0"))).isPresent();
        assertThat(catalog.providers(first.openRelease().cid().toString())).extracting(PeerReputation::peerId).containsExactly("12D3KooWProvider");
        assertThat(catalog.release("io.alice.owned", Version.parse("2.0.0"))).isEmpty();
        assertThat(catalog.release("io.alice.two", Version.parse("1.0.0"))).isEmpty();
        // The package written before the refusal is searchable: its search row was refreshed with the batch.
        assertThat(catalog.search(SearchQuery.text("first"))).extracting(SearchHit::id).containsExactly("io.alice.one");
        assertThat(catalog.search(SearchQuery.text("forgery"))).isEmpty();
        // The same record again is known, not new.
        assertThat(catalog.addVerified(List.of(verified(first, null))).applied()).containsExactly(Catalog.Added.ALREADY_PRESENT);
    }

    @Test
    void aBatchLeavesTheSearchIndexAsTheSameRecordsOneByOneWould() {
        // Several versions of a package in one batch, out of order, one yanked in the same batch,
        // a pre-release above them: each package's search row is refreshed once, at the end.
        List<SignedRecord> releases = List.of(
                release(alice, "io.alice.multi", "1.1.0", "Multi", "middle version", List.of("mid"), List.of(), "m11"),
                release(alice, "io.alice.multi", "1.0.0", "Multi", "oldest version", List.of("old"), List.of(), "m10"),
                release(alice, "io.alice.single", "0.1.0", "Single", "only version", List.of("one"), List.of(), "s01"),
                release(alice, "io.alice.multi", "1.2.0", "Multi", "newest version", List.of("new"), List.of("top"), "m12"),
                release(alice, "io.alice.multi", "2.0.0-rc.1", "Multi", "candidate version", List.of("rc"), List.of(), "m20rc"));
        SignedRecord yank = SignedRecord.sign(new YankRecord("io.alice.multi", "1.2.0", releases.get(3).openRelease().cid(), "broken", alice.publicKey(),
                System.currentTimeMillis()), alice);
        List<Catalog.Verified> batch = new java.util.ArrayList<>();
        for (SignedRecord r : releases) batch.add(verified(r, null));
        batch.add(Catalog.Verified.yank(yank, yank.openYank()));
        assertThat(catalog.addVerified(batch).applied()).hasSize(6).containsOnly(Catalog.Added.NEW);
        try (Catalog oneByOne = Catalog.open(dir.resolve("one-by-one.db"))) {
            for (SignedRecord r : releases) oneByOne.addRelease(r);
            oneByOne.yank(yank);
            for (String q : List.of("multi", "middle", "oldest", "newest", "candidate", "version", "single", "top", "new", "mid")) {
                assertThat(catalog.search(SearchQuery.text(q))).as(q).isEqualTo(oneByOne.search(SearchQuery.text(q)));
            }
        }
        // The latest non-yanked, non-pre-release version describes the package.
        assertThat(catalog.search(SearchQuery.text("multi"))).extracting(SearchHit::version).containsExactly("1.1.0");
        assertThat(catalog.indexIntact()).isTrue();
    }

    @Test
    void aBatchWritesEachKeyAndProviderOnceAndLeavesWhatOneByOneWould() {
        // A sync page: several keys, most releases from one provider, one from another; the keys
        // and the provider's peer row are written once per batch, with the same result.
        List<Catalog.Verified> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Ed25519PrivateKey key = i % 2 == 0 ? alice : mallory;
            SignedRecord r = release(key, "io.batch.p" + i, "1.0." + i, "P" + i, "package " + i, List.of(), List.of(), "b" + i);
            batch.add(verified(r, i == 5 ? "12D3KooWOther" : "12D3KooWSource"));
        }
        assertThat(catalog.addVerified(batch).applied()).hasSize(6).containsOnly(Catalog.Added.NEW);
        try (Catalog oneByOne = Catalog.open(dir.resolve("one-by-one.db"))) {
            for (Catalog.Verified v : batch) oneByOne.addVerified(List.of(v));
            assertThat(catalog.publishers()).extracting(Catalog.Publisher::fingerprint, Catalog.Publisher::owns)
                    .isEqualTo(oneByOne.publishers().stream().map(p -> org.assertj.core.groups.Tuple.tuple(p.fingerprint(), p.owns())).toList())
                    .hasSize(2);
            for (Catalog.Verified v : batch) {
                String cid = v.release().cid().toString();
                assertThat(catalog.providers(cid)).extracting(PeerReputation::peerId)
                        .isEqualTo(oneByOne.providers(cid).stream().map(PeerReputation::peerId).toList()).hasSize(1);
            }
            assertThat(catalog.providedCount("12D3KooWSource")).isEqualTo(oneByOne.providedCount("12D3KooWSource")).isEqualTo(5);
        }
    }

    @Test
    void aBatchThatFailsMidwayLeavesNothingOfItself() throws Exception {
        // A write that fails inside the transaction (as a full disk would), after other records were written.
        catalog.database().write(tx -> {
            tx.execute("CREATE TEMP TRIGGER fail_third BEFORE INSERT ON releases WHEN NEW.package_id = 'io.alice.c' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
            return null;
        });
        List<Catalog.Verified> batch = new java.util.ArrayList<>();
        for (String id : List.of("a", "b", "c", "d")) batch.add(verified(release(alice, "io.alice." + id, "1.0.0", id, id, List.of(), List.of(), id), "12D3KooWP"));
        assertThatThrownBy(() -> catalog.addVerified(batch)).hasMessageContaining("disk on fire");
        assertThat(catalog.releaseCount()).isZero();
        assertThat(catalog.search(SearchQuery.text("a"))).isEmpty();
        assertThat(catalog.providedCount("12D3KooWP")).isZero();
        assertThat(catalog.ownerOf("io.alice.a")).isEmpty();
        // The catalog goes on: the next batch (the trigger gone) is whole.
        catalog.database().write(tx -> {
            tx.execute("DROP TRIGGER temp.fail_third");
            return null;
        });
        assertThat(catalog.addVerified(batch).applied()).hasSize(4).containsOnly(Catalog.Added.NEW);
        assertThat(catalog.indexIntact()).isTrue();
        assertThat(catalog.databaseIntact()).isTrue();
    }

    @Test
    void rankedSearchPagesAgreeWithOneBigPageAndAMergedIndexAnswersTheSame() {
        // "omega" is the id of the oldest package and a word in every description.
        catalog.addRelease(release(alice, "omega", "1.0.0", "Omega", "omega itself", List.of(), List.of(), "o"));
        for (int i = 0; i < 60; i++) {
            String words = "omega " + "pad ".repeat(i % 7) + (i % 3 == 0 ? "omega" : "");
            catalog.addRelease(release(alice, "io.many.p" + i, "1.0.0", "P " + i, words, List.of(), List.of(), "m" + i));
            if (i % 10 == 0) catalog.addRelease(release(alice, "io.many.p" + i, "1.1.0", "P " + i, words + " again", List.of(), List.of(), "n" + i));
        }
        catalog.rankedCandidates(25);
        List<String> all = catalog.search(new SearchQuery("omega", null, List.of(), null, null, null, 40, 0, SearchQuery.Sort.RELEVANCE)).stream()
                .map(SearchHit::id).toList();
        // The exact id comes first though it is older than the 25 newest candidates ranked.
        assertThat(all).hasSize(26).startsWith("omega").doesNotHaveDuplicates();
        List<String> paged = new java.util.ArrayList<>();
        for (int offset = 0; offset < 40; offset += 7) {
            paged.addAll(catalog.search(new SearchQuery("omega", null, List.of(), null, null, null, 7, offset, SearchQuery.Sort.RELEVANCE)).stream()
                    .map(SearchHit::id).toList());
        }
        assertThat(paged).containsExactlyElementsOf(all);
        List<SearchHit> before = catalog.search(SearchQuery.text("omega"));
        catalog.mergeIndex();
        assertThat(catalog.search(SearchQuery.text("omega"))).containsExactlyElementsOf(before);
        assertThat(catalog.indexIntact()).isTrue();
    }
}
