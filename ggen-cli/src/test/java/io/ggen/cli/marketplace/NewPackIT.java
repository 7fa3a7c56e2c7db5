package io.ggen.cli.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.cli.testing.Ggen;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ggen marketplace new} through the real command: the pack it makes validates, packs and publishes as made. */
class NewPackIT {
    @TempDir
    Path tmp;
    Ggen ggen;

    @BeforeEach
    void setUp() throws Exception {
        ggen = Ggen.in(tmp);
    }

    @Test
    void aNewPackValidatesWithoutWarningsAndPublishes() throws Exception {
        Path dir = tmp.resolve("work/hello-rust");
        Ggen.Result made = ggen.run("marketplace", "new", dir.toString());
        assertThat(made.exit()).as(made.toString()).isZero();
        assertThat(made.out()).contains("Created io.example.hello-rust in");
        assertThat(dir.resolve("gpack.toml")).exists();
        assertThat(dir.resolve("README.md")).exists();
        assertThat(dir.resolve("templates/hello/hello.tmpl")).exists();
        String manifest = Files.readString(dir.resolve("gpack.toml"));
        for (String field : new String[] {"id", "name", "version", "description", "license", "ggen_compat", "authors", "keywords", "categories",
                "tags", "homepage", "repository", "readme", "[dependencies]", "[templates]", "patterns", "includes", "[macros]", "[rdf]",
                "[queries]", "[shapes]", "[preset]"}) {
            assertThat(manifest).as(field).contains(field);
        }
        assertThat(manifest).contains("# Required. ggen_compat: the versions of ggen");
        // No leftovers of the staging directory beside it.
        try (var siblings = Files.list(dir.getParent())) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("hello-rust");
        }

        Ggen.Result valid = ggen.run("marketplace", "validate", dir.toString(), "--format", "json");
        assertThat(valid.exit()).as(valid.toString()).isZero();
        assertThat(valid.json().path("valid").asBoolean()).isTrue();
        assertThat(valid.json().path("problems")).as("no warnings either").isEmpty();
        assertThat(valid.json().path("package").asText()).isEqualTo("io.example.hello-rust");
        assertThat(valid.json().path("files").toString()).contains("templates/hello/hello.tmpl", "README.md", "gpack.toml");

        assertThat(ggen.run("marketplace", "key", "generate").exit()).isZero();
        Ggen.Result published = ggen.run("marketplace", "publish", dir.toString());
        assertThat(published.exit()).as(published.toString()).isZero();
    }

    @Test
    void idAndNameCanBeGivenAnEmptyDirectoryIsUsed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        Ggen.Result made = ggen.run("marketplace", "new", dir.toString(), "--id", "org.acme.tools", "--name", "Acme tools", "--format", "json");
        assertThat(made.exit()).as(made.toString()).isZero();
        assertThat(made.json().path("package").asText()).isEqualTo("org.acme.tools");
        assertThat(Files.readString(dir.resolve("gpack.toml"))).contains("id = \"org.acme.tools\"", "name = \"Acme tools\"");
        assertThat(ggen.run("marketplace", "validate", dir.toString()).exit()).isZero();
    }

    @Test
    void aNonEmptyDirectoryOrABadIdIsAUsageErrorOnOneLine() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(dir.resolve("notes.txt"), "mine\n");
        Ggen.Result r = ggen.run("marketplace", "new", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("error: ").contains("is not empty").doesNotContain("\n");
        assertThat(dir.resolve("gpack.toml")).doesNotExist();
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine\n");

        Ggen.Result file = ggen.run("marketplace", "new", dir.resolve("notes.txt").toString());
        assertThat(file.exit()).isEqualTo(2);
        assertThat(file.err().strip()).contains("is not a directory").doesNotContain("\n");

        Ggen.Result badId = ggen.run("marketplace", "new", tmp.resolve("x").toString(), "--id", "Not An Id");
        assertThat(badId.exit()).isEqualTo(2);
        assertThat(badId.err().strip()).contains("--id Not An Id: expected a reverse-DNS id").doesNotContain("\n");
        assertThat(tmp.resolve("x")).doesNotExist();
    }
}
