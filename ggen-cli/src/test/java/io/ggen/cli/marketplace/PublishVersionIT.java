package io.ggen.cli.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.cli.testing.Ggen;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** publish --version: what is installed says the version that ggen.lock says. */
class PublishVersionIT {
    @TempDir
    Path tmp;

    @Test
    void theVersionGivenIsWrittenIntoThePackedManifest() throws Exception {
        Ggen ggen = Ggen.in(tmp);
        assertThat(ggen.run("marketplace", "key", "generate").exit()).isZero();
        Path dir = Files.createDirectories(tmp.resolve("pack/templates"));
        Files.writeString(dir.resolve("main.tmpl"), "hello\n");
        Path pack = dir.getParent();
        Files.writeString(pack.resolve("gpack.toml"), """
                [gpack]
                id = "io.ggen.versioned"
                name = "Versioned"
                version = "1.0.0"  # the version in the directory
                description = "A pack published under another version"
                license = "MIT"
                ggen_compat = ">=0.1"
                """);
        Ggen.Result plain = ggen.run("marketplace", "publish", pack.toString(), "--format", "json");
        assertThat(plain.exit()).as(plain.toString()).isZero();
        Ggen.Result other = ggen.run("marketplace", "publish", pack.toString(), "--version", "2.0.0", "--format", "json");
        assertThat(other.exit()).as(other.toString()).isZero();
        assertThat(other.json().path("version").asText()).isEqualTo("2.0.0");
        assertThat(other.json().path("cid").asText()).isNotEqualTo(plain.json().path("cid").asText());

        Path project = tmp.resolve("project");
        Ggen.Result install = ggen.run("marketplace", "install", "io.ggen.versioned@2.0.0", "--target", project.toString());
        assertThat(install.exit()).as(install.toString()).isZero();
        assertThat(Files.readString(project.resolve(".ggen/gpacks/io.ggen.versioned/gpack.toml")))
                .contains("version = \"2.0.0\"  # the version in the directory").doesNotContain("1.0.0");
        assertThat(Files.readString(project.resolve("ggen.lock"))).contains("version = \"2.0.0\"");
        Ggen.Result validate = ggen.run("marketplace", "validate", project.resolve(".ggen/gpacks/io.ggen.versioned").toString());
        assertThat(validate.exit()).as(validate.toString()).isZero();
        assertThat(Files.readString(pack.resolve("gpack.toml"))).contains("version = \"1.0.0\"");
    }
}
