package io.ggen.marketplace.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catalog sync between real hosts: a sync, its cursor kept across restarts, the provider hints
 * of 1.1.0, and a peer that speaks only 1.0.0.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CatalogSyncTest {
    @TempDir
    Path tmp;

    MarketNet net;

    @AfterEach
    void close() {
        if (net != null) net.close();
    }

    static List<SignedRecord> releases(String prefix, int n) {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        List<SignedRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ReleaseRecord r = new ReleaseRecord("io.example." + prefix + "-" + i, "1.0.0", ContentId.of(("content " + i).getBytes()), 100 + i,
                    "Sync " + i, "Release " + i, "MIT", ">=0.1", new TreeMap<>(), List.of("Someone"), List.of(), List.of(), List.of(),
                    null, null, key.publicKey(), 1_700_000_000_000L + i);
            out.add(SignedRecord.sign(r, key));
        }
        return out;
    }

    @Test
    void aSyncResumesFromTheCursorKeptInTheCatalogAndAnOldCursorFileIsImportedOnce() throws Exception {
        net = new MarketNet(tmp.resolve("net"));
        MarketNet.Member old = net.add();
        old.catalog.addReleases(releases("first", 1200));
        // The joining node's sync, driven by hand (its MarketNet member would sync by itself).
        Path cursorFile = tmp.resolve("elsewhere").resolve("catalog-sync.txt");
        MarketNet.Member fresh = net.add();
        long cursor;
        try (Catalog mine = Catalog.open(tmp.resolve("mine.db"))) {
            CatalogSync sync = new CatalogSync(mine, new ReleaseIntake(mine), 100_000, cursorFile);
            fresh.connect(old);
            CatalogSync.Result r = sync.syncFrom(fresh.host, old.host.peerId());
            assertThat(r.complete()).isTrue();
            assertThat(r.accepted()).isEqualTo(1200);
            assertThat(mine.releaseCount()).isEqualTo(1200);
            cursor = sync.cursor(old.host.peerId());
            assertThat(cursor).isPositive();
        }
        old.catalog.addReleases(releases("later", 7));
        try (Catalog mine = Catalog.open(tmp.resolve("mine.db"))) {
            // A restart reads the cursor back: only what was published since comes over.
            CatalogSync restarted = new CatalogSync(mine, new ReleaseIntake(mine), 100_000, cursorFile);
            assertThat(restarted.cursor(old.host.peerId())).isEqualTo(cursor);
            CatalogSync.Result again = restarted.syncFrom(fresh.host, old.host.peerId());
            assertThat(again.received()).isEqualTo(7);
            assertThat(mine.releaseCount()).isEqualTo(1207);
            long after = restarted.cursor(old.host.peerId());

            // A cursor file of an older version is imported once (damaged lines skipped, no cursor
            // moved backwards) and renamed, never deleted.
            Files.createDirectories(cursorFile.getParent());
            PeerId other = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
            Files.writeString(cursorFile, "not a peer id 12\n" + old.host.peerId() + " 3\n" + other + " 42\n");
            CatalogSync imported = new CatalogSync(mine, new ReleaseIntake(mine), 100_000, cursorFile);
            assertThat(imported.cursor(old.host.peerId())).isEqualTo(after);
            assertThat(imported.cursor(other)).isEqualTo(42);
            assertThat(cursorFile).doesNotExist();
            assertThat(cursorFile.resolveSibling("catalog-sync.txt.migrated")).exists();

            // Without a place to keep them, cursors live in memory only.
            assertThat(new CatalogSync(mine, new ReleaseIntake(mine), 100_000).cursor(old.host.peerId())).isZero();
        }
    }

    @Test
    void aSyncOver110NamesTheServingPeerAsProviderOfTheArchivesItHoldsAndOnlyThose() throws Exception {
        net = new MarketNet(tmp.resolve("net"));
        MarketNet.Member old = net.add();
        old.catalog.addReleases(releases("bare", 30));
        io.ggen.marketplace.publish.Publisher.Published held = MarketNet.publish(old, tmp.resolve("src"), "io.example.held", "a pack whose archive is here", 0);
        MarketNet.Member fresh = net.add();
        try (Catalog mine = Catalog.open(tmp.resolve("mine.db"))) {
            CatalogSync sync = new CatalogSync(mine, new ReleaseIntake(mine), 100_000);
            fresh.connect(old);
            CatalogSync.Result r = sync.syncFrom(fresh.host, old.host.peerId());
            assertThat(r.protocol()).isEqualTo("/ggen/catalog/1.1.0");
            assertThat(r.complete()).isTrue();
            assertThat(mine.releaseCount()).isEqualTo(31);
            assertThat(mine.providers(held.release().cid().toString())).extracting(p -> p.peerId()).containsExactly(old.host.peerId().toString());
            for (SignedRecord bare : releases("bare", 1)) assertThat(mine.providers(bare.openRelease().cid().toString())).isEmpty();
            assertThat(mine.providedCount(old.host.peerId().toString())).isEqualTo(1);
        }
    }

    @Test
    void aPeerThatSpeaksOnly100IsSyncedFromWithoutHints() throws Exception {
        net = new MarketNet(tmp.resolve("net"));
        MarketNet.Member old = net.add();
        old.host.unhandle(CatalogSyncCodec.V1_1);
        old.catalog.addReleases(releases("old", 700));
        io.ggen.marketplace.publish.Publisher.Published held = MarketNet.publish(old, tmp.resolve("src"), "io.example.held", "held but not said", 0);
        MarketNet.Member fresh = net.add();
        try (Catalog mine = Catalog.open(tmp.resolve("mine.db"))) {
            CatalogSync sync = new CatalogSync(mine, new ReleaseIntake(mine), 100_000);
            fresh.connect(old);
            CatalogSync.Result r = sync.syncFrom(fresh.host, old.host.peerId());
            assertThat(r.protocol()).isEqualTo("/ggen/catalog/1.0.0");
            assertThat(r.complete()).isTrue();
            assertThat(r.accepted()).isEqualTo(701);
            assertThat(mine.providers(held.release().cid().toString())).isEmpty();
        }
    }

    @Test
    void aPageCutShortByItsSizeBoundResumesAtTheFirstRowNotSent() {
        try (Catalog theirs = Catalog.open(tmp.resolve("theirs.db"))) {
            // Releases of about 52 KiB each (12 long author names): 500 of them would pass the 4 MiB bound.
            List<String> authors = new ArrayList<>();
            for (int a = 0; a < 12; a++) authors.add(a + "x".repeat(4000));
            Ed25519PrivateKey key = Ed25519PrivateKey.generate();
            List<SignedRecord> big = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                ReleaseRecord r = new ReleaseRecord("io.example.big-" + i, "1.0.0", ContentId.of(("big " + i).getBytes()), 100, "Big " + i,
                        "A big one", "MIT", ">=0.1", new TreeMap<>(), authors, List.of(), List.of(), List.of(), null, null, key.publicKey(),
                        1_700_000_000_000L + i);
                big.add(SignedRecord.sign(r, key));
            }
            theirs.addReleases(big);
            CatalogSync server = new CatalogSync(theirs, new ReleaseIntake(theirs), 100_000);
            CatalogSyncCodec.Page first = server.page(new CatalogSyncCodec.Request(0, 500), true);
            assertThat(first.records().size()).isBetween(1, 119);
            assertThat(first.done()).isFalse();
            assertThat(CatalogSyncCodec.encodePage(first, true).length).isLessThanOrEqualTo(CatalogSyncCodec.MAX_ANSWER);
            CatalogSyncCodec.Page rest = server.page(new CatalogSyncCodec.Request(first.nextCursor(), 500), true);
            assertThat(first.records().size() + rest.records().size()).isEqualTo(120);
            assertThat(rest.done()).isTrue();
        }
    }

    @Test
    void aPageIsTakenUpToItsFirstBadRecordAndTheHintsOnlyForWhatWasKept() {
        try (Catalog mine = Catalog.open(tmp.resolve("mine.db"))) {
            List<SignedRecord> good = releases("page", 4);
            byte[] tampered = good.get(2).encode();
            tampered[tampered.length - 1] ^= 1; // the signature's last byte
            List<byte[]> page = List.of(good.get(0).encode(), good.get(1).encode(), tampered, good.get(3).encode());
            java.util.BitSet held = new java.util.BitSet();
            held.set(0, 4);
            String server = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey()).toString();
            ReleaseIntake intake = new ReleaseIntake(mine);
            List<ReleaseIntake.Result> results = intake.store(intake.check(page), held, new ProviderAdmission.Source(server, "10.1.2.3"));
            assertThat(results).extracting(ReleaseIntake.Result::outcome)
                    .containsExactly(ReleaseIntake.Outcome.ACCEPTED, ReleaseIntake.Outcome.ACCEPTED, ReleaseIntake.Outcome.REJECTED);
            assertThat(mine.releaseCount()).isEqualTo(2);
            assertThat(mine.providedCount(server)).isEqualTo(2);
        }
    }

    /**
     * A scripted catalog server: answers each request with the next of {@code pages} (cursor 1,
     * 2, ...), then, when {@code hangUpAfter} pages were sent, resets the stream instead.
     */
    static io.ggen.p2p.host.NettyHost scriptedServer(List<List<byte[]>> pages, int hangUpAfter) {
        io.ggen.p2p.host.NettyHost h = io.ggen.p2p.host.NettyHost.start(io.ggen.p2p.host.HostConfig.defaults(Ed25519PrivateKey.generate()).withIoThreads(1));
        h.handle(CatalogSync.ID, st -> {
            for (int i = 0; i < pages.size(); i++) {
                if (io.ggen.p2p.protocol.LengthPrefixed.read(st.in(), CatalogSyncCodec.MAX_REQUEST).isEmpty()) return;
                if (i == hangUpAfter) {
                    st.reset();
                    return;
                }
                boolean last = i == pages.size() - 1;
                CatalogSyncCodec.Page page = new CatalogSyncCodec.Page(pages.get(i), i + 1, last, new java.util.BitSet());
                io.ggen.p2p.protocol.LengthPrefixed.write(st.out(), CatalogSyncCodec.encodePage(page, true));
            }
            st.close();
        });
        return h;
    }

    static List<List<byte[]>> pagesOf(List<SignedRecord> records, int size) {
        List<List<byte[]>> pages = new ArrayList<>();
        for (int i = 0; i < records.size(); i += size) {
            pages.add(records.subList(i, Math.min(records.size(), i + size)).stream().map(SignedRecord::encode).toList());
        }
        return pages;
    }

    @Test
    void theNextPageIsCheckedWhileThisOneIsStoredAndABadRecordThereStopsTheSyncAfterIt() throws Exception {
        // Pages of 500; the third carries a forged record in the middle. Pages one and two are
        // stored (the third was already being checked as the second was stored), the third's
        // records before the forged one too, as a single page would be; then the peer is banned.
        List<SignedRecord> records = releases("piped", 1500);
        List<List<byte[]>> pages = new ArrayList<>(pagesOf(records, 500));
        List<byte[]> third = new ArrayList<>(pages.get(2));
        byte[] forged = third.get(250).clone();
        forged[forged.length - 1] ^= 1;
        third.set(250, forged);
        pages.set(2, third);
        net = new MarketNet(tmp.resolve("net"));
        MarketNet.Member fresh = net.add();
        io.ggen.p2p.host.NettyHost server = scriptedServer(pages, Integer.MAX_VALUE);
        try (Catalog mine = Catalog.open(tmp.resolve("mine.db"))) {
            HostilePeersTest.connect(fresh, server);
            CatalogSync sync = new CatalogSync(mine, new ReleaseIntake(mine), 100_000);
            CatalogSync.Result r = sync.syncFrom(fresh.host, server.peerId());
            assertThat(r.complete()).isFalse();
            assertThat(r.rejected()).isEqualTo(1);
            assertThat(r.accepted()).isEqualTo(1250);
            assertThat(mine.releaseCount()).isEqualTo(1250);
            assertThat(sync.cursor(server.peerId())).isEqualTo(2); // after the second page: the third was not taken whole
            assertThat(sync.syncFrom(fresh.host, server.peerId()).received()).as("banned").isZero();
        } finally {
            server.close();
        }
    }

    @Test
    void aPeerThatHangsUpWhileThisPageIsCheckedLeavesItStored() throws Exception {
        // The next page is read before this one is stored: the peer resetting the stream instead
        // of sending it must not cost the page already verified.
        List<SignedRecord> records = releases("cut", 1000);
        net = new MarketNet(tmp.resolve("net"));
        MarketNet.Member fresh = net.add();
        io.ggen.p2p.host.NettyHost server = scriptedServer(pagesOf(records, 500), 1);
        try (Catalog mine = Catalog.open(tmp.resolve("mine.db"))) {
            HostilePeersTest.connect(fresh, server);
            CatalogSync sync = new CatalogSync(mine, new ReleaseIntake(mine), 100_000);
            CatalogSync.Result r = sync.syncFrom(fresh.host, server.peerId());
            assertThat(r.complete()).isFalse();
            assertThat(r.accepted()).isEqualTo(500);
            assertThat(mine.releaseCount()).isEqualTo(500);
            assertThat(sync.cursor(server.peerId())).isEqualTo(1);
        } finally {
            server.close();
        }
    }
}
