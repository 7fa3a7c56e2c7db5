package io.ggen.marketplace.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ggen.marketplace.MarketplaceHome;
import io.ggen.marketplace.archive.ArchiveLimits;
import io.ggen.marketplace.catalog.Catalog;
import io.ggen.marketplace.error.MarketplaceException;
import io.ggen.marketplace.install.InstallSpec;
import io.ggen.marketplace.install.Installer;
import io.ggen.marketplace.manifest.ManifestParser;
import io.ggen.marketplace.manifest.ManifestVersion;
import io.ggen.marketplace.testing.Packs;
import io.ggen.marketplace.version.Version;
import io.ggen.p2p.crypto.Ed25519PrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;

/** publish with a version of its own: the archive's manifest carries that version. */
class PublishVersionTest {
    @TempDir
    Path tmp;
    Catalog catalog;
    Publisher publisher;
    MarketplaceHome home;
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

    @Test
    void theInstalledManifestSaysTheVersionThatWasReleased() throws Exception {
        Path dir = Packs.pack(tmp.resolve("pack"), "io.ggen.v", "1.0.0");
        String before = Files.readString(dir.resolve("gpack.toml"));
        Publisher.Published asIs = publisher.publish(dir, null, false, key, ArchiveLimits.DEFAULT);
        Publisher.Published other = publisher.publish(dir, "2.0.0-rc.1", false, key, ArchiveLimits.DEFAULT);
        assertThat(other.release().version()).isEqualTo("2.0.0-rc.1");
        assertThat(other.release().cid()).isNotEqualTo(asIs.release().cid());
        assertThat(Files.readString(dir.resolve("gpack.toml"))).as("the directory is left as it is").isEqualTo(before);

        Path project = tmp.resolve("project");
        new Installer(home.store(), catalog, ArchiveLimits.DEFAULT).install(InstallSpec.parse("io.ggen.v@2.0.0-rc.1"), project);
        String installed = Files.readString(project.resolve(".ggen/gpacks/io.ggen.v/gpack.toml"));
        assertThat(installed).isEqualTo(before.replace("version = \"1.0.0\"", "version = \"2.0.0-rc.1\""));
        assertThat(Toml.parse(Files.readString(project.resolve("ggen.lock"))).getArray("packs").getTable(0).getString("version")).isEqualTo("2.0.0-rc.1");

        // The same version as the manifest's changes nothing: the same archive, already published.
        assertThat(publisher.publish(dir, "1.0.0", false, key, ArchiveLimits.DEFAULT).alreadyPresent()).isTrue();
    }

    @Test
    void aVersionThatCannotBeRewrittenIsRefusedWithNothingStored() throws Exception {
        Path dir = Packs.write(tmp.resolve("ml"), Packs.manifest("io.ggen.ml", "1.0.0", "").replace("version = \"1.0.0\"", "version = \"\"\"1.0.0\"\"\""));
        assertThatThrownBy(() -> publisher.publish(dir, "1.1.0", false, key, ArchiveLimits.DEFAULT))
                .isInstanceOf(MarketplaceException.class)
                .hasMessageContaining("the version to publish (1.1.0) differs from the manifest's (1.0.0)")
                .hasMessageContaining("write version = \"1.1.0\"");
        assertThat(home.store().list()).isEmpty();
        assertThat(catalog.releases("io.ggen.ml")).isEmpty();
    }

    @Test
    void rewritingKeepsEveryOtherCharacter() {
        String text = """
                # the pack
                [gpack]
                id = "io.ggen.x"   # reverse DNS
                name = "X"
                version   =   '0.1.0' # bumped by hand
                description = "version = \\"9.9.9\\" is not the version"
                license = "MIT"
                ggen_compat = ">=0.1"
                [dependencies]
                "io.ggen.y" = "^0.1.0"
                """;
        assertThat(ManifestVersion.rewrite(text, Version.parse("0.2.0+build.7")))
                .contains(text.replace("'0.1.0'", "'0.2.0+build.7'"));
        String dotted = "gpack.id = \"io.ggen.x\"\ngpack.name = \"X\"\ngpack.version = \"1.0.0\"\ngpack.description = \"d\"\ngpack.license = \"MIT\"\ngpack.ggen_compat = \">=0.1\"\n";
        assertThat(ManifestVersion.rewrite(dotted, Version.parse("1.0.1"))).contains(dotted.replace("\"1.0.0\"", "\"1.0.1\""));
        String inline = "gpack = { id = \"io.ggen.x\", name = \"X\", version = \"1.0.0\", description = \"d\", license = \"MIT\", ggen_compat = \">=0.1\" }\n";
        assertThat(ManifestVersion.rewrite(inline, Version.parse("3.0.0"))).contains(inline.replace("\"1.0.0\"", "\"3.0.0\""));
        assertThat(ManifestVersion.rewrite(text.replace("'0.1.0'", "\"0.1\\u002E0\""), Version.parse("0.2.0"))).isEmpty();
        assertThat(ManifestParser.parseText(ManifestVersion.rewrite(text, Version.parse("5.0.0")).orElseThrow(), Path.of("gpack.toml")).manifest().version())
                .hasToString("5.0.0");
    }
}
