package io.ggen.cli.marketplace;

import static io.ggen.cli.testing.CraftedArchives.file;
import static io.ggen.cli.testing.CraftedArchives.plantRelease;
import static io.ggen.cli.testing.CraftedArchives.tarGz;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ggen.cli.testing.Ggen;
import io.ggen.marketplace.content.ContentId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end through the real ggen command: publish, search, install, and every refusal. */
class MarketplaceIT {
    @TempDir
    Path tmp;
    Ggen ggen;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void setUp() throws Exception {
        ggen = Ggen.in(tmp);
        Ggen.Result r = ggen.run("marketplace", "key", "generate");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("fingerprint:");
    }

    private Path pack(String id, String version, String extra) throws IOException {
        Path dir = tmp.resolve("src").resolve(id + "-" + version);
        Files.createDirectories(dir.resolve("templates/cli/queries"));
        Files.writeString(dir.resolve("gpack.toml"), """
                [gpack]
                id = "%s"
                name = "Pack %s"
                version = "%s"
                description = "Generates a command line tool for %s"
                license = "MIT"
                ggen_compat = ">=0.1"
                keywords = ["cli", "generator"]
                tags = ["rust"]
                categories = ["cli"]
                authors = ["Ada Lovelace"]
                %s
                """.formatted(id, id, version, id, extra));
        Files.writeString(dir.resolve("templates/cli/main.tmpl"), "fn main() { /* " + id + " */ }\n");
        Files.writeString(dir.resolve("templates/cli/queries/all.rq"), "SELECT * WHERE { ?s ?p ?o }\n");
        Files.writeString(dir.resolve("README.md"), "# " + id + "\n");
        Files.writeString(dir.resolve("scratch.txt"), "not covered by the manifest\n");
        Files.createDirectories(dir.resolve(".git"));
        Files.writeString(dir.resolve(".git/config"), "[core]\n");
        return dir;
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private List<Path> objects() throws IOException {
        Path objects = ggen.home.resolve("store/objects");
        if (!Files.exists(objects)) return List.of();
        try (Stream<Path> s = Files.walk(objects)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void publishSearchInstallGivesTheSourceFiles() throws Exception {
        Path dep = pack("io.ggen.macros.std", "0.1.3", "");
        Path app = pack("io.ggen.rust.cli", "1.2.0", "[dependencies]\n\"io.ggen.macros.std\" = \"^0.1\"\n");
        Ggen.Result p1 = ggen.run("marketplace", "publish", dep.toString());
        assertThat(p1.exit()).as(p1.toString()).isZero();
        Ggen.Result p2 = ggen.run("marketplace", "publish", app.toString(), "--format", "json");
        assertThat(p2.exit()).as(p2.toString()).isZero();
        JsonNode published = json.readTree(p2.out());
        assertThat(published.get("cid").asText()).startsWith("bafkrei");

        Ggen.Result search = ggen.run("marketplace", "search", "rust", "--tags", "rust", "--format", "json");
        assertThat(search.exit()).as(search.toString()).isZero();
        JsonNode hits = json.readTree(search.out()).get("packages");
        assertThat(hits).hasSize(2);
        assertThat(hits.get(0).get("id").asText()).isEqualTo("io.ggen.rust.cli");

        Path project = tmp.resolve("project");
        Ggen.Result install = ggen.run("marketplace", "install", "io.ggen.rust.cli@^1", "--target", project.toString());
        assertThat(install.exit()).as(install.toString()).isZero();
        for (Path src : List.of(app, dep)) {
            String id = src.getFileName().toString().replaceFirst("-[0-9.]+$", "");
            Path installed = project.resolve(".ggen/gpacks").resolve(id);
            assertThat(files(installed)).containsExactly("README.md", "gpack.toml", "templates/cli/main.tmpl", "templates/cli/queries/all.rq");
            for (String f : files(installed)) assertThat(Files.readAllBytes(installed.resolve(f))).isEqualTo(Files.readAllBytes(src.resolve(f)));
        }
        String lock = Files.readString(project.resolve("ggen.lock"));
        assertThat(lock).startsWith("version = \"1.0\"\ngenerated = ");
        assertThat(lock.indexOf("id = \"io.ggen.macros.std\"")).isLessThan(lock.indexOf("id = \"io.ggen.rust.cli\""));
        assertThat(lock).contains("dependencies = [\"io.ggen.macros.std@^0.1\"]").contains("sha256 = \"" + ContentId.parse(published.get("cid").asText()).hex() + "\"");

        Ggen.Result list = ggen.run("marketplace", "list", "--target", project.toString(), "--format", "yaml");
        assertThat(list.out()).contains("id: io.ggen.rust.cli").contains("version: 1.2.0").contains("present: true");

        Ggen.Result usage = ggen.run("marketplace", "search", "x", "--limit", "0");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).startsWith("error: --limit must be between 1 and 1000").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aTamperedObjectAndANonOwnerAreRefused() throws Exception {
        Path app = pack("io.ggen.app", "1.0.0", "");
        assertThat(ggen.run("marketplace", "publish", app.toString()).exit()).isZero();
        assertThat(ggen.run("marketplace", "key", "generate", "--name", "mallory").exit()).isZero();
        Path next = pack("io.ggen.app", "1.1.0", "");
        Ggen.Result stolen = ggen.run("marketplace", "publish", next.toString(), "--key", "mallory");
        assertThat(stolen.exit()).as(stolen.toString()).isEqualTo(1);
        assertThat(stolen.err()).contains("belongs to key").contains("ggen marketplace trust").doesNotContain("\tat ");
        assertThat(objects()).hasSize(1);

        Path object = objects().get(0);
        byte[] bytes = Files.readAllBytes(object);
        bytes[bytes.length / 3] ^= 0x20;
        Files.write(object, bytes);
        Path project = tmp.resolve("project");
        Ggen.Result install = ggen.run("marketplace", "install", "io.ggen.app", "--target", project.toString());
        assertThat(install.exit()).as(install.toString()).isEqualTo(1);
        assertThat(install.err()).contains("corrupt").doesNotContain("\tat ");
        assertThat(project.resolve("ggen.lock")).doesNotExist();
        assertThat(project.resolve(".ggen/gpacks/io.ggen.app")).doesNotExist();
    }

    @Test
    void zipSlipAndArchiveBombsAreRefusedWithNothingWritten() throws Exception {
        plantRelease(ggen.home, "io.evil.slip", tarGz(t -> {
            file(t, "templates/ok.tmpl", "ok".getBytes());
            file(t, "../../escaped.txt", "pwned".getBytes());
        }));
        plantRelease(ggen.home, "io.evil.bomb", tarGz(t -> file(t, "templates/zeros.tmpl", new byte[64 << 20])));
        Path project = tmp.resolve("project");
        Ggen.Result slip = ggen.run("marketplace", "install", "io.evil.slip", "--target", project.toString());
        assertThat(slip.exit()).as(slip.toString()).isEqualTo(1);
        assertThat(slip.err()).contains("path traversal").doesNotContain("\tat ");
        Ggen.Result bomb = ggen.run("marketplace", "install", "io.evil.bomb", "--target", project.toString());
        assertThat(bomb.exit()).as(bomb.toString()).isEqualTo(1);
        assertThat(bomb.err()).contains("archive bomb");
        assertThat(tmp.resolve("escaped.txt")).doesNotExist();
        assertThat(project.resolve("escaped.txt")).doesNotExist();
        assertThat(project.resolve("ggen.lock")).doesNotExist();
        try (Stream<Path> s = Files.walk(project)) {
            // Nothing but the (empty) install lock of the project.
            assertThat(s.filter(Files::isRegularFile).filter(f -> !f.endsWith(".ggen/install.lock")).toList()).isEmpty();
        }
    }

    @Test
    void aMalformedManifestIsRefusedWithEveryProblemLocated() throws Exception {
        Path bad = pack("io.ggen.bad", "1.0", "homepage = \"not a url\"\n[dependencies]\n\"io.ggen.x\" = \">=1.x.2\"\n");
        Ggen.Result validate = ggen.run("marketplace", "validate", bad.toString());
        assertThat(validate.exit()).isEqualTo(1);
        assertThat(validate.out()).contains("gpack.toml:4:1: error[semver]").contains("error[url]").contains("gpack.toml:14:1: error[range]")
                .contains("3 errors");
        Ggen.Result publish = ggen.run("marketplace", "publish", bad.toString());
        assertThat(publish.exit()).isEqualTo(1);
        assertThat(publish.err()).startsWith("error: ").contains("gpack.toml:4:1: ").contains("[semver]").doesNotContain("\tat ");
        // every line says "error:" once, at its start
        assertThat(publish.err().lines()).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("error: ").doesNotContain(": error"));
        assertThat(objects()).isEmpty();
        assertThat(ggen.run("marketplace", "search", "--format", "json").out()).contains("\"count\" : 0");
    }

    @Test
    void killMinus9DuringPublishLeavesStoreAndCatalogConsistent() throws Exception {
        Path app = pack("io.ggen.crash", "1.0.0", "");
        for (String point : List.of("store-object-partly-written", "catalog-before-commit")) {
            ProcessBuilder pb = ggen.builder(Map.of("GGEN_CRASH_POINT", point), "marketplace", "publish", app.toString());
            Path err = ggen.lastErr();
            Process p = pb.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(err) && Files.readString(err).contains("crash-point reached: " + point));
            p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            p.waitFor();
            Ggen.Result info = ggen.run("marketplace", "info", "io.ggen.crash");
            assertThat(info.exit()).as(point + ": " + info).isEqualTo(1);
            assertThat(info.err()).contains("no package io.ggen.crash");
            // doctor leaves files younger than an hour alone (they may be live work): an hour passes.
            try (Stream<Path> s = Files.walk(ggen.home.resolve("store"))) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(Duration.ofHours(2))));
                }
            }
            Ggen.Result doctor = ggen.run("marketplace", "doctor", "--fix");
            assertThat(doctor.exit()).as(point + ": " + doctor).isZero();
            assertThat(objects()).isEmpty();
            assertThat(ggen.home.resolve("store/tmp")).isEmptyDirectory();
        }
        Ggen.Result again = ggen.run("marketplace", "publish", app.toString());
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(ggen.run("marketplace", "info", "io.ggen.crash").out()).contains("io.ggen.crash 1.0.0");
    }
}
