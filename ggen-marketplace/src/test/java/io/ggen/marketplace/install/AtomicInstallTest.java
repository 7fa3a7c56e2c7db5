package io.ggen.marketplace.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.publish.Publisher;
import io.ggen.marketplace.testing.Packs;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installs are all or nothing, and one at a time per target. */
class AtomicInstallTest {
    @TempDir
    Path tmp;
    Catalog catalog;
    MarketplaceHome home;
    Publisher publisher;
    final Ed25519PrivateKey key = Ed25519PrivateKey.generate();

    @BeforeEach
    void setUp() {
        home = new MarketplaceHome(tmp.resolve("home"));
        catalog = home.openCatalog();
        publisher = new Publisher(home.store(), catalog);
    }

    @AfterEach
    void tearDown() {
        catalog.close();
    }

    private void publish(String id, String version) throws IOException {
        publisher.publish(Packs.pack(tmp.resolve("src").resolve(id + "-" + version), id, version), null, false, key, ArchiveLimits.DEFAULT);
    }

    private Installer installer() {
        return new Installer(home.store(), catalog, ArchiveLimits.DEFAULT);
    }

    private static List<String> lockIds(Path project) {
        return Lockfile.read(project.resolve(Lockfile.FILE_NAME)).entries().stream().map(e -> e.id() + "@" + e.version()).toList();
    }

    private static List<String> staging(Path project) throws IOException {
        try (Stream<Path> s = Files.list(project.resolve(Installer.PACKS_DIR))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }

    @Test
    void parallelInstallsIntoOneTargetKeepEveryLockEntry() throws Exception {
        int n = 8;
        for (int i = 0; i < n; i++) publish("io.ggen.p" + i, "1.0.0");
        Path project = tmp.resolve("project");
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = "io.ggen.p" + i;
                all.add(pool.submit(() -> {
                    go.await();
                    return installer().install(InstallSpec.parse(id), project);
                }));
            }
            go.countDown();
            for (Future<?> f : all) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(lockIds(project)).hasSize(n);
        for (int i = 0; i < n; i++) assertThat(project.resolve(Installer.PACKS_DIR).resolve("io.ggen.p" + i + "/gpack.toml")).exists();
        assertThat(staging(project)).isEmpty();
    }

    @Test
    void aLockfileThatCannotBeCommittedLeavesThePacksAsTheyWere() throws Exception {
        publish("io.ggen.x", "1.0.0");
        publish("io.ggen.x", "2.0.0");
        Path project = tmp.resolve("project");
        installer().install(InstallSpec.parse("io.ggen.x@1.0.0"), project);
        String lockBefore = Files.readString(project.resolve(Lockfile.FILE_NAME));
        Path manifest = project.resolve(Installer.PACKS_DIR).resolve("io.ggen.x/gpack.toml");

        Installer failing = installer();
        failing.beforeCommit = () -> {
            throw new UncheckedIOException(new IOException("No space left on device"));
        };
        assertThatThrownBy(() -> failing.install(InstallSpec.parse("io.ggen.x@2.0.0"), project)).hasMessageContaining("No space left on device");
        assertThat(Files.readString(manifest)).contains("version = \"1.0.0\"");
        assertThat(Files.readString(project.resolve(Lockfile.FILE_NAME))).isEqualTo(lockBefore);
        assertThat(staging(project)).isEmpty();

        // A lockfile that cannot even be read (a directory in its place) stops before anything changes.
        Files.delete(project.resolve(Lockfile.FILE_NAME));
        Files.createDirectories(project.resolve(Lockfile.FILE_NAME).resolve("inside"));
        assertThatThrownBy(() -> installer().install(InstallSpec.parse("io.ggen.x@2.0.0"), project)).hasMessageContaining("ggen.lock");
        assertThat(Files.readString(manifest)).contains("version = \"1.0.0\"");
        assertThat(staging(project)).isEmpty();
    }

    @Test
    void anInstallThatCrashedBeforeItsCommitIsRolledBackByTheNext() throws Exception {
        publish("io.ggen.x", "1.0.0");
        publish("io.ggen.y", "1.0.0");
        Path project = tmp.resolve("project");
        installer().install(InstallSpec.parse("io.ggen.x@1.0.0"), project);
        Path packs = project.resolve(Installer.PACKS_DIR);
        String lockBefore = Files.readString(project.resolve(Lockfile.FILE_NAME));
        // What a kill -9 between the swap and the commit leaves: x's new directory in place, the
        // old one and the pending lockfile in the staging directory, z new (no old one).
        Path crashed = Files.createDirectories(packs.resolve(Installer.STAGING_PREFIX + "crashed"));
        Files.move(packs.resolve("io.ggen.x"), crashed.resolve(Installer.OLD_PREFIX + "io.ggen.x"));
        Files.createDirectories(packs.resolve("io.ggen.x"));
        Files.writeString(packs.resolve("io.ggen.x/gpack.toml"), "half-installed");
        Files.createDirectories(packs.resolve("io.ggen.z"));
        Files.writeString(crashed.resolve(Installer.IDS_FILE), "io.ggen.x\nio.ggen.z\n");
        Files.writeString(crashed.resolve(Installer.PENDING_LOCK), "uncommitted");
        Path committed = Files.createDirectories(packs.resolve(Installer.STAGING_PREFIX + "committed").resolve(Installer.OLD_PREFIX + "io.ggen.w"));

        installer().install(InstallSpec.parse("io.ggen.y"), project);
        assertThat(Files.readString(packs.resolve("io.ggen.x/gpack.toml"))).contains("version = \"1.0.0\"");
        assertThat(packs.resolve("io.ggen.z")).doesNotExist();
        assertThat(committed).doesNotExist();
        assertThat(staging(project)).isEmpty();
        assertThat(lockIds(project)).containsExactly("io.ggen.x@1.0.0", "io.ggen.y@1.0.0");
        assertThat(lockBefore).contains("io.ggen.x");
    }

    @Test
    void readingTheInstalledPacksRollsBackAnInstallKilledBeforeItsCommitFirst() throws Exception {
        publish("io.ggen.x", "1.0.0");
        Path project = tmp.resolve("project");
        installer().install(InstallSpec.parse("io.ggen.x@1.0.0"), project);
        Path packs = project.resolve(Installer.PACKS_DIR);
        // A kill -9 between the swap and the commit: the new x in place, the lockfile still old.
        Path crashed = Files.createDirectories(packs.resolve(Installer.STAGING_PREFIX + "crashed"));
        Files.move(packs.resolve("io.ggen.x"), crashed.resolve(Installer.OLD_PREFIX + "io.ggen.x"));
        Files.createDirectories(packs.resolve("io.ggen.x"));
        Files.writeString(packs.resolve("io.ggen.x/gpack.toml"), "the uncommitted version");
        Files.createDirectories(packs.resolve("io.ggen.z"));
        Files.writeString(crashed.resolve(Installer.IDS_FILE), "io.ggen.x\nio.ggen.z\n");
        Files.writeString(crashed.resolve(Installer.PENDING_LOCK), "uncommitted");

        List<Lockfile.Entry> read = Installer.installed(project);
        assertThat(read).extracting(Lockfile.Entry::id).containsExactly("io.ggen.x");
        assertThat(Files.readString(packs.resolve("io.ggen.x/gpack.toml"))).contains("version = \"1.0.0\"");
        assertThat(packs.resolve("io.ggen.z")).doesNotExist();
        assertThat(staging(project)).isEmpty();
    }
}
