package io.ggen.cli.marketplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ggen.cli.testing.Ggen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installs into one project are all or nothing and one at a time, across processes. */
class InstallAtomicIT {
    @TempDir
    Path tmp;
    Ggen ggen;

    @BeforeEach
    void setUp() throws Exception {
        ggen = Ggen.in(tmp);
        assertThat(ggen.run("marketplace", "key", "generate").exit()).isZero();
    }

    private Path pack(String id, String version) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("src").resolve(id + "-" + version).resolve("templates"));
        Files.writeString(dir.resolve("main.tmpl"), id + " " + version + "\n");
        Files.writeString(dir.getParent().resolve("gpack.toml"), """
                [gpack]
                id = "%s"
                name = "Pack %s"
                version = "%s"
                description = "A pack"
                license = "MIT"
                ggen_compat = ">=0.1"
                """.formatted(id, id, version));
        return dir.getParent();
    }

    private void publish(String id, String version) throws Exception {
        Ggen.Result r = ggen.run("marketplace", "publish", pack(id, version).toString());
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    private static List<String> hidden(Path packs) throws IOException {
        try (Stream<Path> s = Files.list(packs)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }

    @Test
    void parallelInstallsIntoOneProjectKeepEveryEntry() throws Exception {
        List<String> ids = List.of("io.ggen.par.a", "io.ggen.par.b", "io.ggen.par.c", "io.ggen.par.d");
        for (String id : ids) publish(id, "1.0.0");
        Path project = tmp.resolve("project");
        List<Process> all = new ArrayList<>();
        for (String id : ids) all.add(ggen.builder(Map.of(), "marketplace", "install", id, "--target", project.toString()).start());
        for (Process p : all) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        String lock = Files.readString(project.resolve("ggen.lock"));
        for (String id : ids) {
            assertThat(lock).contains("id = \"" + id + "\"");
            assertThat(project.resolve(".ggen/gpacks").resolve(id).resolve("templates/main.tmpl")).exists();
        }
        assertThat(hidden(project.resolve(".ggen/gpacks"))).isEmpty();
    }

    @Test
    void anUnwritableLockfileOrAKillBeforeTheCommitLeavesTheProjectAsItWas() throws Exception {
        publish("io.ggen.up", "1.0.0");
        publish("io.ggen.up", "2.0.0");
        publish("io.ggen.other", "1.0.0");
        Path project = tmp.resolve("project");
        Path main = project.resolve(".ggen/gpacks/io.ggen.up/templates/main.tmpl");
        assertThat(ggen.run("marketplace", "install", "io.ggen.up@1.0.0", "--target", project.toString()).exit()).isZero();
        String lock = Files.readString(project.resolve("ggen.lock"));

        // ggen.lock cannot be written (a directory stands in its place): nothing changes.
        Path lockFile = project.resolve("ggen.lock");
        Files.delete(lockFile);
        Files.createDirectories(lockFile.resolve("blocked"));
        Ggen.Result blocked = ggen.run("marketplace", "install", "io.ggen.up@2.0.0", "--target", project.toString());
        assertThat(blocked.exit()).as(blocked.toString()).isEqualTo(1);
        assertThat(blocked.err()).startsWith("error: ").contains("ggen.lock").doesNotContain("\tat ");
        assertThat(Files.readString(main)).isEqualTo("io.ggen.up 1.0.0\n");
        assertThat(hidden(project.resolve(".ggen/gpacks"))).isEmpty();
        Files.delete(lockFile.resolve("blocked"));
        Files.delete(lockFile);
        Files.writeString(lockFile, lock);

        // kill -9 after the directories were swapped, before the lockfile's commit.
        ProcessBuilder pb = ggen.builder(Map.of("GGEN_CRASH_POINT", "install-before-lock-commit"), "marketplace", "install", "io.ggen.up@2.0.0",
                "--target", project.toString());
        Path err = ggen.lastErr();
        Process p = pb.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(err) && Files.readString(err).contains("crash-point reached"));
        p.destroyForcibly();
        p.waitFor();
        assertThat(Files.readString(lockFile)).isEqualTo(lock);
        // doctor --target sees the unfinished install; the next install (or doctor --fix) rolls it back.
        Ggen.Result seen = ggen.run("marketplace", "doctor", "--target", project.toString());
        assertThat(seen.exit()).as(seen.toString()).isZero();
        assertThat(seen.out()).contains("note: 1 unfinished install in " + project);
        assertThat(Files.readString(main)).isEqualTo("io.ggen.up 2.0.0\n");
        Ggen.Result next = ggen.run("marketplace", "install", "io.ggen.other", "--target", project.toString());
        assertThat(next.exit()).as(next.toString()).isZero();
        assertThat(Files.readString(main)).isEqualTo("io.ggen.up 1.0.0\n");
        assertThat(Files.readString(lockFile)).contains("version = \"1.0.0\"").doesNotContain("2.0.0").contains("io.ggen.other");
        assertThat(hidden(project.resolve(".ggen/gpacks"))).isEmpty();
    }
}
