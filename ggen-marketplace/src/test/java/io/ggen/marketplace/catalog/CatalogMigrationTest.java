package io.ggen.marketplace.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.marketplace.version.Version;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a data directory written by the catalog of commit 26e4863 (schema 1, state in text files;
 * src/test/resources/catalog/schema1) and checks that migrating it loses nothing.
 */
class CatalogMigrationTest {
    @TempDir
    Path dir;
    final Properties fixture = new Properties();

    @BeforeEach
    void copyFixture() throws Exception {
        for (String name : List.of("catalog.db", "announced.txt", "catalog-sync.txt", "fixture.properties")) {
            try (InputStream in = getClass().getResourceAsStream("/catalog/schema1/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        try (InputStream in = Files.newInputStream(dir.resolve("fixture.properties"))) {
            fixture.load(in);
        }
    }

    @Test
    void aSchema1CatalogMigratesWithoutLoss() {
        try (Catalog c = Catalog.open(dir.resolve("catalog.db"))) {
            assertThat(c.schemaVersion()).isEqualTo(Migrations.latest());
            assertThat(c.databaseIntact()).isTrue();
            assertThat(c.indexIntact()).isTrue();
            // every release, with its yank
            assertThat(c.releaseCount()).isEqualTo(9);
            assertThat(c.releases("io.ggen.rust.cli")).extracting(r -> r.record().version()).containsExactly("1.0.0", "1.1.0", "2.0.0-beta.1");
            assertThat(c.releases("io.ggen.python.cli")).extracting(r -> r.record().version()).containsExactly("0.3.0+build.7");
            assertThat(c.releases("io.bob.moved")).extracting(r -> r.record().version()).containsExactly("1.0.0", "1.1.0");
            ReleaseRow yanked = c.release("io.bob.web", Version.parse("1.0.2")).orElseThrow();
            assertThat(yanked.yanked()).isTrue();
            assertThat(yanked.yankReason()).isEqualTo("broken build");
            assertThat(c.signedRecords(0, 100).records()).hasSize(10);
            // owners: first use and the pin
            assertThat(c.ownerOf("io.ggen.rust.cli").orElseThrow()).extracting(Ownership::fingerprint, Ownership::how)
                    .containsExactly(fixture.getProperty("alice"), Ownership.TOFU);
            assertThat(c.ownerOf("io.bob.moved").orElseThrow()).extracting(Ownership::fingerprint, Ownership::how)
                    .containsExactly(fixture.getProperty("carol"), Ownership.PINNED);
            assertThat(c.publishers()).hasSize(3).filteredOn(Catalog.Publisher::trusted).extracting(Catalog.Publisher::fingerprint)
                    .containsExactly(fixture.getProperty("carol"));
            // searchable, with the latest version's CID and size filled in by the migration
            List<SearchHit> hits = c.search(SearchQuery.text("rust"));
            assertThat(hits).extracting(SearchHit::id, SearchHit::version).containsExactly(org.assertj.core.groups.Tuple.tuple("io.ggen.rust.cli", "1.1.0"));
            assertThat(hits.get(0).cid()).isEqualTo(fixture.getProperty("cidRust"));
            assertThat(hits.get(0).size()).isEqualTo(103);
            assertThat(c.search(SearchQuery.text("web"))).extracting(SearchHit::version, SearchHit::cid)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("1.0.1", fixture.getProperty("cidWeb")));
            assertThat(c.search(SearchQuery.text("generer"))).extracting(SearchHit::id).containsExactly("io.ggen.python.cli");
            // schema 4: every package has its term vector, and these searches were ranked from them
            assertThat(c.vectorCount()).isEqualTo(c.search(new SearchQuery("", null, List.of(), null, null, null, 100, 0, SearchQuery.Sort.NAME)).size());
            assertThat(c.rankedSearches()).isEqualTo(new Catalog.RankedSearches(3, 0));
            // providers and reputation
            assertThat(c.providers(fixture.getProperty("cidRust"))).extracting(PeerReputation::peerId)
                    .containsExactly(fixture.getProperty("peer0"), fixture.getProperty("peer1"));
            assertThat(c.peer(fixture.getProperty("peer0"))).extracting(PeerReputation::successful, PeerReputation::failed).containsExactly(2L, 1L);
            assertThat(c.peer(fixture.getProperty("peer1")).reputation()).isZero();
            assertThat(c.providedCount(fixture.getProperty("peer2"))).isEqualTo(1);
            assertThat(c.peerCount()).isEqualTo(3);
            // the state files, now tables
            assertThat(c.isAnnounced("io.ggen.rust.cli@1.0.0")).isTrue();
            assertThat(c.isAnnounced("io.ggen.rust.cli@1.1.0")).isTrue();
            assertThat(c.isAnnounced("io.bob.web@1.0.0")).isFalse();
            assertThat(c.syncCursor(fixture.getProperty("peer0"))).contains(7L);
            assertThat(c.syncCursor(fixture.getProperty("peer2"))).contains(3L);
        }
        assertThat(dir.resolve("announced.txt")).doesNotExist();
        assertThat(dir.resolve("announced.txt.migrated")).exists();
        assertThat(dir.resolve("catalog-sync.txt.migrated")).exists();
    }

    @Test
    void aMigratedCatalogKeepsWorkingAndReopensAtTheSameVersion() {
        try (Catalog c = Catalog.open(dir.resolve("catalog.db"))) {
            c.markAnnounced("io.bob.web@1.0.1");
            c.setSyncCursor(fixture.getProperty("peer0"), 9);
        }
        try (Catalog c = Catalog.open(dir.resolve("catalog.db"))) {
            assertThat(c.schemaVersion()).isEqualTo(Migrations.latest());
            assertThat(c.isAnnounced("io.bob.web@1.0.1")).isTrue();
            assertThat(c.syncCursor(fixture.getProperty("peer0"))).contains(9L);
            assertThat(c.releaseCount()).isEqualTo(9);
        }
    }
}
