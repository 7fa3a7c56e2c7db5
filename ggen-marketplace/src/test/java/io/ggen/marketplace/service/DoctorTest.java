package io.ggen.marketplace.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.publish.Publisher;
import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;
import io.ggen.marketplace.testing.Packs;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doctor: clean on a healthy networked node, never touching live work, leftovers cleaned by age. */
class DoctorTest {
    @TempDir
    Path tmp;
    MarketplaceHome home;
    Catalog catalog;
    MarketplaceService service;

    @BeforeEach
    void setUp() {
        home = new MarketplaceHome(tmp.resolve("home"));
        catalog = home.openCatalog();
        service = new MarketplaceService(home, catalog, Optional.empty());
    }

    @AfterEach
    void tearDown() {
        catalog.close();
    }

    private static void age(Path file) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(MarketplaceService.LEFTOVER_AGE).minus(Duration.ofMinutes(5))));
    }

    /** A release as catalog sync or gossip brings it: signed by someone else, its archive not fetched. */
    private void learnFromTheNetwork(String id) {
        Ed25519PrivateKey other = Ed25519PrivateKey.generate();
        ContentId cid = ContentId.of(("archive of " + id).getBytes());
        catalog.addRelease(SignedRecord.sign(new ReleaseRecord(id, "1.0.0", cid, 100, "Remote", "Learned from a peer", "MIT", ">=0.1", new TreeMap<>(),
                List.of(), List.of(), List.of(), List.of(), null, null, other.publicKey(), System.currentTimeMillis()), other));
    }

    @Test
    void releasesLearnedFromTheNetworkButNeverFetchedAreNotMissing() throws Exception {
        home.keys().generate("default");
        new Publisher(home.store(), catalog).publish(Packs.pack(tmp.resolve("mine"), "io.ggen.mine", "1.0.0"), null, false, home.keys().load("default"),
                ArchiveLimits.DEFAULT);
        learnFromTheNetwork("io.remote.a");
        learnFromTheNetwork("io.remote.b");
        DoctorReport r = service.doctor(false);
        assertThat(r.problems()).isEmpty();
        assertThat(r.notes()).isEmpty();
        assertThat(r.ok()).isTrue();
        assertThat(r.releases()).isEqualTo(3);

        // The archive of a release published with the user's key is expected here.
        home.store().delete(home.store().list().get(0));
        DoctorReport missing = service.doctor(false);
        assertThat(missing.ok()).isFalse();
        assertThat(missing.problems()).singleElement().asString().contains("published with your key is missing");
    }

    @Test
    void liveWorkIsLeftAloneAndLeftoversAreCleanedByAge() throws Exception {
        Path tmpDir = Files.createDirectories(home.store().root().resolve("tmp"));
        Path live = Files.write(tmpDir.resolve("put-live.tmp"), new byte[4096]);       // a download being written
        Path partial = Files.write(tmpDir.resolve("put-old.tmp"), new byte[3 << 20]);  // left by a killed node
        age(partial);
        ContentId young = home.store().put("a publish under way: committed, not yet cataloged".getBytes());
        ContentId orphan = home.store().put("left by a publish killed before its commit".getBytes());
        age(home.store().pathOf(orphan));

        DoctorReport look = service.doctor(false);
        assertThat(look.ok()).isTrue();
        assertThat(look.notes()).anyMatch(n -> n.startsWith("1 leftover temp file (3.0 MiB")).anyMatch(n -> n.contains("unreferenced object " + orphan))
                .noneMatch(n -> n.contains(young.toString()));
        assertThat(live).exists();
        assertThat(partial).exists();

        DoctorReport fixed = service.doctor(true);
        assertThat(fixed.notes()).anyMatch(n -> n.startsWith("removed 1 leftover temp file")).anyMatch(n -> n.equals("removed unreferenced object " + orphan));
        assertThat(live).exists();
        assertThat(partial).doesNotExist();
        assertThat(home.store().contains(young)).isTrue();
        assertThat(home.store().contains(orphan)).isFalse();
        assertThat(service.doctor(false).notes()).isEmpty();
    }
}
