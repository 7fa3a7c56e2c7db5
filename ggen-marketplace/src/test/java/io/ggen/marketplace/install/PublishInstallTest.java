package io.ggen.marketplace.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.content.ContentStore;
import io.ggen.marketplace.keys.Fingerprint;
import io.ggen.marketplace.manifest.ManifestException;
import io.ggen.marketplace.publish.Publisher;
import io.ggen.marketplace.testing.Packs;
import io.ggen.marketplace.version.Version;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

class PublishInstallTest {
    @TempDir
    Path tmp;
    MarketplaceHome home;
    Catalog catalog;
    ContentStore store;
    Publisher publisher;
    Installer installer;
    final Ed25519PrivateKey key = Ed25519PrivateKey.generate();

    @BeforeEach
    void setUp() {
        home = new MarketplaceHome(tmp.resolve("home"));
        catalog = home.openCatalog();
        store = home.store();
        publisher = new Publisher(store, catalog);
        installer = new Installer(store, catalog, ArchiveLimits.DEFAULT);
    }

    @AfterEach
    void tearDown() {
        catalog.close();
    }

    private Path pack(String id, String version, String deps) throws Exception {
        return Packs.write(tmp.resolve(id + "-" + version), Packs.manifest(id, version, deps));
    }

    @Test
    void installsWithDependenciesAndWritesGgensLockfile() throws Exception {
        publisher.publish(pack("io.ggen.macros.std", "0.1.0", ""), null, false, key, ArchiveLimits.DEFAULT);
        publisher.publish(pack("io.ggen.macros.std", "0.1.5", ""), null, false, key, ArchiveLimits.DEFAULT);
        publisher.publish(pack("io.ggen.macros.std", "0.2.0", ""), null, false, key, ArchiveLimits.DEFAULT);
        Path app = pack("io.ggen.app", "1.0.0", "[dependencies]\n\"io.ggen.macros.std\" = \"^0.1\"\n");
        publisher.publish(app, null, false, key, ArchiveLimits.DEFAULT);
        Path project = tmp.resolve("project");
        List<Installer.Installed> done = installer.install(InstallSpec.parse("io.ggen.app"), project);
        assertThat(done).extracting(i -> i.release().coordinates()).containsExactly("io.ggen.app@1.0.0", "io.ggen.macros.std@0.1.5");
        Path installed = project.resolve(".ggen/gpacks/io.ggen.app");
        assertThat(Files.readString(installed.resolve("templates/cli/main.tmpl"))).isEqualTo(Files.readString(app.resolve("templates/cli/main.tmpl")));
        assertThat(installed.resolve("notes.txt")).doesNotExist();
        assertThat(installed.resolve(".git")).doesNotExist();
        TomlParseResult lock = Toml.parse(Files.readString(project.resolve("ggen.lock")));
        assertThat(lock.errors()).isEmpty();
        assertThat(lock.getString("version")).isEqualTo("1.0");
        assertThat(lock.getArray("packs").getTable(0).getString("id")).isEqualTo("io.ggen.app");
        assertThat(lock.getArray("packs").getTable(0).getArray("dependencies").getString(0)).isEqualTo("io.ggen.macros.std@^0.1");
        assertThat(lock.getArray("packs").getTable(1).getString("version")).isEqualTo("0.1.5");
        assertThat(lock.getArray("packs").getTable(1).getString("source")).startsWith("cid:bafkrei");
        assertThat(Files.list(project.resolve(".ggen/gpacks"))).hasSize(2);
    }

    @Test
    void aTamperedObjectIsRefusedAndNothingIsWritten() throws Exception {
        Publisher.Published p = publisher.publish(pack("io.x", "1.0.0", ""), null, false, key, ArchiveLimits.DEFAULT);
        Path obj = store.pathOf(p.release().cid());
        byte[] bytes = Files.readAllBytes(obj);
        bytes[bytes.length / 2] ^= 1;
        Files.write(obj, bytes);
        Path project = tmp.resolve("project");
        assertThatThrownBy(() -> installer.install(InstallSpec.parse("io.x"), project)).hasMessageContaining("corrupt");
        assertThat(project.resolve("ggen.lock")).doesNotExist();
        assertThat(project.resolve(".ggen/gpacks/io.x")).doesNotExist();
        assertThat(Files.list(project.resolve(".ggen/gpacks"))).isEmpty();
    }

    @Test
    void aReleaseFromAKeyThatNoLongerOwnsTheIdIsRefused() throws Exception {
        publisher.publish(pack("io.x", "1.0.0", ""), null, false, key, ArchiveLimits.DEFAULT);
        Ed25519PrivateKey other = Ed25519PrivateKey.generate();
        assertThatThrownBy(() -> publisher.publish(pack("io.x", "1.1.0", ""), null, false, other, ArchiveLimits.DEFAULT)).hasMessageContaining("belongs to key");
        publisher.publish(pack("io.y", "1.0.0", ""), null, false, other, ArchiveLimits.DEFAULT);
        catalog.trust(Fingerprint.of(other.publicKey()), List.of("io.x"));
        assertThatThrownBy(() -> installer.install(InstallSpec.parse("io.x"), tmp.resolve("p"))).hasMessageContaining("refusing to install");
    }

    @Test
    void versionsAreImmutableOverrideAndYank() throws Exception {
        Path dir = pack("io.x", "1.0.0", "");
        assertThat(publisher.publish(dir, null, false, key, ArchiveLimits.DEFAULT).alreadyPresent()).isFalse();
        assertThat(publisher.publish(dir, null, false, key, ArchiveLimits.DEFAULT).alreadyPresent()).isTrue();
        Files.writeString(dir.resolve("templates/cli/main.tmpl"), "changed");
        assertThatThrownBy(() -> publisher.publish(dir, null, false, key, ArchiveLimits.DEFAULT)).hasMessageContaining("never changes");
        publisher.publish(dir, "1.1.0", false, key, ArchiveLimits.DEFAULT);
        publisher.yank("io.x", Version.parse("1.1.0"), "bad", key);
        assertThat(installer.resolve(InstallSpec.parse("io.x")).get("io.x").version()).isEqualTo("1.0.0");
        assertThat(installer.resolve(InstallSpec.parse("io.x@1.1.0")).get("io.x").version()).isEqualTo("1.1.0");
        assertThatThrownBy(() -> installer.resolve(InstallSpec.parse("io.x@^2"))).hasMessageContaining("cannot resolve io.x");
        assertThatThrownBy(() -> installer.resolve(InstallSpec.parse("io.nope"))).hasMessageContaining("no package io.nope");
    }

    @Test
    void skipVerifySkipsLintButNotStructure() throws Exception {
        Path dir = Packs.write(tmp.resolve("lint"), Packs.manifest("io.lint", "1.0.0", "homepage = \"ftp://x\"\n"));
        assertThatThrownBy(() -> publisher.publish(dir, null, false, key, ArchiveLimits.DEFAULT)).isInstanceOf(ManifestException.class);
        assertThat(publisher.publish(dir, null, true, key, ArchiveLimits.DEFAULT).release().id()).isEqualTo("io.lint");
        Path broken = Packs.write(tmp.resolve("broken"), Packs.manifest("io.broken", "1.0", ""));
        assertThatThrownBy(() -> publisher.publish(broken, null, true, key, ArchiveLimits.DEFAULT)).hasMessageContaining("gpack.toml:4:1: ").hasMessageContaining("[semver]");
    }
}
