package io.ggen.marketplace.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ranking from the packages' term vectors must give what FTS5's {@code bm25()} gives: the same
 * packages, in the same order, with the same scores. Each query runs both ways on one catalog.
 */
class VectorRankingTest {
    /** Words with case, diacritics and digits, so folding is exercised; some share prefixes. */
    static final String[] WORDS = {"rust", "Rust", "RUST", "rusty", "cli", "CLI", "café", "Cafe", "CAFÉ", "naïve", "naive", "générer",
            "Generer", "x86", "64", "tool", "tools", "toolkit", "web", "Web", "über", "uber", "straße", "template", "templates", "α", "Ωmega",
            "omega", "日本", "数据", "zeta", "z", "a1", "A1"};

    @TempDir
    Path dir;
    Catalog catalog;
    final Ed25519PrivateKey key = Ed25519PrivateKey.generate();
    final Random random = new Random(20261206);

    @BeforeEach
    void open() {
        catalog = Catalog.open(dir.resolve("catalog.db"));
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    String words(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(random.nextInt(5) == 0 ? ", " : " ");
            sb.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    List<String> wordList(int max) {
        List<String> out = new ArrayList<>();
        for (int i = random.nextInt(max + 1); i > 0; i--) out.add(WORDS[random.nextInt(WORDS.length)].toLowerCase(java.util.Locale.ROOT));
        return out;
    }

    SignedRecord release(int pkg, String version) {
        String id = "io.rank." + WORDS[pkg % 5].toLowerCase(java.util.Locale.ROOT) + "-p" + pkg;
        ReleaseRecord r = new ReleaseRecord(id, version, ContentId.of((id + version).getBytes()), 10, words(1 + random.nextInt(3)),
                words(2 + random.nextInt(14)), "MIT", ">=0.1", new TreeMap<>(), List.of("Someone"), wordList(3), List.of("cli"), wordList(2),
                null, null, key.publicKey(), System.currentTimeMillis());
        return SignedRecord.sign(r, key);
    }

    @Test
    void vectorsRankAsBm25DoesOnQueriesOfOneToThreeWordsAndPrefixes() {
        List<SignedRecord> batch = new ArrayList<>();
        for (int p = 0; p < 150; p++) batch.add(release(p, "1.0.0"));
        catalog.addReleases(batch);
        // updates rewrite the search rows of some packages (their vectors too)
        batch.clear();
        for (int p = 0; p < 150; p += 7) batch.add(release(p, "1.1.0"));
        catalog.addReleases(batch);
        catalog.addRelease(release(3, "2.0.0"));

        compareOn(200, 250);
        compareOn(100, 9); // few candidates: the newest 9 matches of each query
        catalog.mergeIndex();
        compareOn(50, 250);
        assertThat(catalog.vectorCount()).as("every package has a vector, whatever its text").isEqualTo(150);
        // a rebuild checks each vector's token counts against FTS5's; the ones written on the way agree
        java.util.Set<String> written = vectors();
        catalog.rebuildIndex();
        assertThat(vectors()).isEqualTo(written);
    }

    void compareOn(int queries, int candidates) {
        catalog.rankedCandidates(candidates);
        int nonEmpty = 0;
        int asciiQueries = 0;
        for (int i = 0; i < queries; i++) {
            String q = words(1 + random.nextInt(3));
            if (random.nextInt(4) == 0) q = q.substring(0, Math.max(1, q.length() - 2)) + "*";
            SearchQuery query = new SearchQuery(q, null, List.of(), null, null, null, 500, 0, SearchQuery.Sort.RELEVANCE);
            Catalog.RankedSearches before = catalog.rankedSearches();
            catalog.rankWithVectors(true);
            catalog.forgetTermCounts();
            List<SearchHit> byVectors = catalog.search(query);
            Catalog.RankedSearches after = catalog.rankedSearches();
            catalog.rankWithVectors(false);
            List<SearchHit> byBm25 = catalog.search(query);
            catalog.rankWithVectors(true);
            // words of ASCII alone are ranked from the vectors; any other word goes to bm25()
            boolean ascii = RankTerms.isAscii(q);
            assertThat(ascii ? after.byBm25() : after.byVectors()).as("query %s took the other path", q).isEqualTo(ascii ? before.byBm25() : before.byVectors());
            if (ascii) asciiQueries++;
            assertSameRanking(q, byVectors, byBm25);
            if (!byBm25.isEmpty()) nonEmpty++;
        }
        assertThat(nonEmpty).as("queries with hits").isGreaterThan(queries / 3);
        assertThat(asciiQueries).as("queries ranked from vectors").isGreaterThan(queries / 5);
    }

    java.util.Set<String> vectors() {
        java.util.Set<String> out = new java.util.HashSet<>();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"));
             var rs = c.createStatement().executeQuery("SELECT rowid || ' ' || terms FROM packages_rank")) {
            while (rs.next()) out.add(rs.getString(1));
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    static void assertSameRanking(String q, List<SearchHit> byVectors, List<SearchHit> byBm25) {
        assertThat(byVectors).as(q).hasSameSizeAs(byBm25);
        for (int i = 0; i < byBm25.size(); i++) {
            SearchHit v = byVectors.get(i);
            SearchHit b = byBm25.get(i);
            assertThat(v.score()).as("%s: score of hit %d", q, i).isCloseTo(b.score(), org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(b.score()))));
            assertThat(v).as(q).usingRecursiveComparison().ignoringFields("score").isEqualTo(b);
        }
    }

    @Test
    void textBeyondAsciiIsTokenizedByFts5ItselfAndRanksAsBm25Does() {
        // U+1E900 ADLAM CAPITAL LETTER ALIF and an "a" with two diacritics, which unicode61 folds
        // as no simple model of it would; "µ" becomes a Greek mu.
        catalog.addRelease(CatalogTest.release(key, "io.odd.adlam", "1.0.0", "Odd \uD83A\uDD00", "abc\uD83A\uDD00def \u01E1b µ plain words plain",
                List.of("naïve"), List.of(), "odd"));
        catalog.addRelease(CatalogTest.release(key, "io.odd.plain", "1.0.0", "Plain", "plain words only", List.of(), List.of(), "plain"));
        assertThat(catalog.vectorCount()).isEqualTo(2);
        for (String q : List.of("plain", "words", "plain words", "abc*", "naive", "odd", "b")) {
            SearchQuery query = SearchQuery.text(q);
            Catalog.RankedSearches before = catalog.rankedSearches();
            List<SearchHit> byVectors = catalog.search(query);
            assertThat(catalog.rankedSearches().byVectors() - before.byVectors()).as(q).isEqualTo(1);
            catalog.rankWithVectors(false);
            List<SearchHit> byBm25 = catalog.search(query);
            catalog.rankWithVectors(true);
            assertSameRanking(q, byVectors, byBm25);
        }
        // "Plain" is also the name of the second, a column of weight 5
        assertThat(catalog.search(SearchQuery.text("plain"))).extracting(SearchHit::id).containsExactly("io.odd.plain", "io.odd.adlam");
        // a word beyond ASCII is ranked by bm25(), which folds it as FTS5 does
        Catalog.RankedSearches before = catalog.rankedSearches();
        assertThat(catalog.search(SearchQuery.text("naïve"))).extracting(SearchHit::id).containsExactly("io.odd.adlam");
        assertThat(catalog.search(SearchQuery.text("µ"))).extracting(SearchHit::id).containsExactly("io.odd.adlam");
        assertThat(catalog.rankedSearches().byBm25() - before.byBm25()).isEqualTo(2);
    }

    @Test
    void aCandidateWithoutAVectorSendsTheQueryToBm25() throws Exception {
        catalog.addRelease(CatalogTest.release(key, "io.v.one", "1.0.0", "One", "shared words", List.of(), List.of(), "1"));
        catalog.addRelease(CatalogTest.release(key, "io.v.two", "1.0.0", "Two", "shared words", List.of(), List.of(), "2"));
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"));
             var s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            s.executeUpdate("DELETE FROM packages_rank WHERE terms LIKE 'io.v.two %'");
        }
        Catalog.RankedSearches before = catalog.rankedSearches();
        assertThat(catalog.search(SearchQuery.text("shared"))).extracting(SearchHit::id).containsExactlyInAnyOrder("io.v.one", "io.v.two");
        assertThat(catalog.rankedSearches().byBm25() - before.byBm25()).isEqualTo(1);
        assertThat(catalog.search(SearchQuery.text("one"))).extracting(SearchHit::id).containsExactly("io.v.one");
        assertThat(catalog.rankedSearches().byVectors() - before.byVectors()).isEqualTo(1);
    }

    /** Letters of many kinds, marks, digits, separators: what the random texts below are made of. */
    static final int[][] RANGES = {{'a', 'z'}, {'A', 'Z'}, {'0', '9'}, {' ', '/'}, {':', '@'}, {'_', '_'}, {0xA0, 0xFF}, {0x100, 0x24F},
            {0x300, 0x36F}, {0x370, 0x3FF}, {0x400, 0x4FF}, {0x1E00, 0x1EFF}, {0x2000, 0x206F}, {0x3040, 0x30FF}, {0x4E00, 0x4E40},
            {0xFF01, 0xFF5E}, {0x1E900, 0x1E95F}, {0x1F600, 0x1F64F}};

    static String randomText(Random r, int words) {
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < words; w++) {
            if (w > 0) sb.append(r.nextInt(6) == 0 ? "-" : " ");
            int len = 1 + r.nextInt(6);
            for (int i = 0; i < len; i++) {
                // mostly ASCII letters, as package metadata mostly is; the rest from every range
                int[] range = r.nextInt(3) > 0 ? RANGES[r.nextInt(3)] : RANGES[r.nextInt(RANGES.length)];
                sb.appendCodePoint(range[0] + r.nextInt(range[1] - range[0] + 1));
            }
        }
        return sb.toString();
    }

    @Test
    void onRandomTextInAnyScriptVectorsRankAsBm25Does() {
        java.util.concurrent.atomic.AtomicInteger withHits = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger beyondAscii = new java.util.concurrent.atomic.AtomicInteger();
        org.quicktheories.QuickTheory.qt().withFixedSeed(20261206L).withExamples(25).forAll(org.quicktheories.generators.SourceDSL.longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            Path file = dir.resolve("random-" + Long.toHexString(seed) + ".db");
            try (Catalog c = Catalog.open(file)) {
                List<String> texts = new ArrayList<>();
                for (int p = 0; p < 12; p++) {
                    String name = randomText(r, 1 + r.nextInt(2));
                    String desc = randomText(r, 3 + r.nextInt(10));
                    texts.add(name + " " + desc);
                    if (!RankTerms.isAscii(name + desc)) beyondAscii.incrementAndGet();
                    ReleaseRecord rec = new ReleaseRecord("io.random.p" + p, "1.0.0", ContentId.of((seed + "/" + p).getBytes()), 10, name, desc, "MIT",
                            ">=0.1", new TreeMap<>(), List.of("Someone"), List.of(), List.of("cli"), List.of(), null, null, key.publicKey(),
                            System.currentTimeMillis());
                    c.addRelease(SignedRecord.sign(rec, key));
                }
                assertThat(c.vectorCount()).as("seed %d: every package has a vector", seed).isEqualTo(12);
                // queries: ASCII words taken from the texts (so they match), some as prefixes
                List<String> words = new ArrayList<>();
                for (String t : texts) RankTerms.asciiTokens(t.replaceAll("[^\\x00-\\x7f]", " "), words::add);
                for (int q = 0; q < 12 && !words.isEmpty(); q++) {
                    String text = words.get(r.nextInt(words.size()));
                    if (r.nextBoolean()) text += " " + words.get(r.nextInt(words.size()));
                    if (r.nextInt(4) == 0) text = text.substring(0, Math.max(1, text.length() - 1)) + "*";
                    SearchQuery query = new SearchQuery(text, null, List.of(), null, null, null, 100, 0, SearchQuery.Sort.RELEVANCE);
                    Catalog.RankedSearches before = c.rankedSearches();
                    List<SearchHit> byVectors = c.search(query);
                    assertThat(c.rankedSearches().byBm25()).as("seed %d, query %s fell back to bm25()", seed, text).isEqualTo(before.byBm25());
                    c.rankWithVectors(false);
                    List<SearchHit> byBm25 = c.search(query);
                    c.rankWithVectors(true);
                    assertSameRanking("seed " + seed + ": " + text, byVectors, byBm25);
                    if (!byBm25.isEmpty()) withHits.incrementAndGet();
                }
            }
        });
        assertThat(withHits.get()).as("queries with hits, of 300").isGreaterThan(100);
        assertThat(beyondAscii.get()).as("packages tokenized by FTS5 itself, of 300").isGreaterThan(150);
    }

    @Test
    void rebuildingTheIndexRebuildsTheVectors() {
        // more packages than one chunk of the rebuild (1,000 rows)
        List<SignedRecord> batch = new ArrayList<>();
        for (int p = 0; p < 2_100; p++) batch.add(release(p, "1.0.0"));
        catalog.addReleases(batch);
        List<SearchHit> before = catalog.search(SearchQuery.text("rust"));
        java.util.Set<String> written = vectors();
        catalog.rebuildIndex();
        assertThat(vectors()).hasSize(2_100).isEqualTo(written);
        catalog.forgetTermCounts();
        Catalog.RankedSearches by = catalog.rankedSearches();
        assertThat(catalog.search(SearchQuery.text("rust"))).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(before);
        assertThat(catalog.rankedSearches().byVectors() - by.byVectors()).isEqualTo(1);
    }

    @Test
    void yankingTheOnlyReleaseRemovesThePackageAndItsVector() {
        catalog.addRelease(CatalogTest.release(key, "io.gone", "1.0.0", "Gone", "vanishing words", List.of(), List.of(), "g"));
        assertThat(catalog.search(SearchQuery.text("vanishing"))).hasSize(1);
        catalog.yank(SignedRecord.sign(new io.ggen.marketplace.release.YankRecord("io.gone", "1.0.0", ContentId.of("g".getBytes()), "test",
                key.publicKey(), 1), key));
        assertThat(catalog.search(SearchQuery.text("vanishing"))).isEmpty();
        assertThat(catalog.vectorCount()).isZero();
    }
}
