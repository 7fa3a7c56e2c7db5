package io.ggen.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.testing.Ggen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A networked node under local faults, end to end: doctor on a node that learned releases it never
 * fetched, doctor during a download, and a download that this node's own disk cannot hold.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NodeFaultsIT {
    @TempDir
    Path tmp;

    final List<Ggen.Running> running = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(Ggen.Running::close);
    }

    Path home(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    Path pack(String id, int mib) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("src").resolve(id).resolve("templates"));
        Files.writeString(dir.getParent().resolve("gpack.toml"), """
                [gpack]
                id = "%s"
                name = "Pack %s"
                version = "1.0.0"
                description = "A pack of %d MiB"
                license = "MIT"
                ggen_compat = ">=0.1"
                """.formatted(id, id, mib));
        Files.writeString(dir.resolve("main.tmpl"), "fn main() {}\n");
        java.util.Random random = new java.util.Random(11);
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < mib; i++) {
            random.nextBytes(chunk);
            Files.write(dir.resolve("blob" + i + ".tmpl"), chunk);
        }
        return dir.getParent();
    }

    static long tempBytes(Path home) throws IOException {
        Path t = home.resolve("store/tmp");
        if (!Files.isDirectory(t)) return 0;
        try (Stream<Path> s = Files.list(t)) {
            return s.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static boolean knows(Path home, String id) throws Exception {
        JsonNode r = Ggen.at(home).run("marketplace", "p2p", "search", id, "--format", "json").json();
        for (JsonNode hit : r.path("results")) if (hit.path("id").asText().equals(id)) return true;
        return false;
    }

    @Test
    void doctorIsCleanOnANetworkedNodeAndNeverTouchesADownloadUnderWay() throws Exception {
        Path ha = home("a");
        Path hb = home("b");
        // A paces its uploads (2 MiB/s) so that B's download is under way while doctor runs.
        Files.writeString(ha.resolve("p2p-config.toml"), "[marketplace]\nupload_limit_kib_per_sec = 2048\n");
        assertThat(Ggen.at(ha).run("marketplace", "key", "generate").exit()).isZero();
        Ggen.Running a = Ggen.at(ha).startNode();
        running.add(a);
        running.add(Ggen.at(hb).startNode("--bootstrap", a.addr));
        for (String id : List.of("io.example.small", "io.example.heavy")) {
            Ggen.Result pub = Ggen.at(ha).run("marketplace", "p2p", "publish", pack(id, id.endsWith("heavy") ? 10 : 0).toString());
            assertThat(pub.exit()).as(pub.toString()).isZero();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> knows(hb, "io.example.small") && knows(hb, "io.example.heavy"));

        // B knows both releases and has fetched neither: that is a healthy node.
        Ggen.Result healthy = Ggen.at(hb).run("marketplace", "doctor");
        assertThat(healthy.exit()).as(healthy.toString()).isZero();
        assertThat(healthy.out()).startsWith("ok: 0 objects, 2 releases").doesNotContain("problem").doesNotContain("note");

        Path proj = tmp.resolve("proj");
        Ggen.Running install = Ggen.at(hb).start(Map.of(), "marketplace", "p2p", "install", "io.example.heavy", "--target", proj.toString());
        running.add(install);
        await().atMost(Duration.ofSeconds(60)).until(() -> tempBytes(hb) > (1 << 20));
        Ggen.Result during = Ggen.at(hb).run("marketplace", "doctor", "--fix");
        assertThat(during.exit()).as(during.toString()).isZero();
        assertThat(during.out()).doesNotContain("removed");
        assertThat(install.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(install.process.exitValue()).as(install.stderr.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(proj.resolve(".ggen/gpacks/io.example.heavy/templates/blob9.tmpl")).exists();

        // What an interrupted download or install left behind an hour ago is cleaned.
        Path partial = Files.write(hb.resolve("store/tmp/put-1234.tmp"), new byte[1 << 20]);
        Files.setLastModifiedTime(partial, FileTime.from(Instant.now().minus(Duration.ofHours(3))));
        Ggen.Result stale = Ggen.at(hb).run("marketplace", "doctor");
        assertThat(stale.exit()).as(stale.toString()).isZero();
        assertThat(stale.out()).contains("note: 1 leftover temp file (1.0 MiB");
        Ggen.Result fixed = Ggen.at(hb).run("marketplace", "doctor", "--fix");
        assertThat(fixed.out()).contains("note: removed 1 leftover temp file");
        assertThat(partial).doesNotExist();
        assertThat(Ggen.at(hb).run("marketplace", "doctor").out()).startsWith("ok: 1 objects, 2 releases").doesNotContain("note");
    }

    @Test
    void aFullLocalDiskIsThisNodesFailureNotTheProviders() throws Exception {
        Path ha = home("a");
        Path hb = home("b");
        assertThat(Ggen.at(ha).run("marketplace", "key", "generate").exit()).isZero();
        Ggen.Running a = Ggen.at(ha).startNode();
        running.add(a);
        // B cannot write a file beyond 2 MiB: its disk is full as far as a 3 MiB download goes.
        running.add(Ggen.at(hb).startNodeWithFileSizeLimit(2048, "--bootstrap", a.addr));
        Ggen.Result pub = Ggen.at(ha).run("marketplace", "p2p", "publish", pack("io.example.big", 3).toString());
        assertThat(pub.exit()).as(pub.toString()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> knows(hb, "io.example.big"));

        Ggen.Result install = Ggen.at(hb).run("marketplace", "p2p", "install", "io.example.big", "--target", tmp.resolve("proj").toString());
        assertThat(install.exit()).as(install.toString()).isEqualTo(1);
        assertThat(install.err()).as(install.toString()).contains("on this machine").contains("File too large").contains("not the providers'")
                .doesNotContain("\tat ");
        assertThat(install.err().lines().count()).as(install.toString()).isEqualTo(1);
        JsonNode aInfo = Ggen.at(hb).run("marketplace", "p2p", "peer-info", a.peerId, "--format", "json").json();
        assertThat(aInfo.path("failed_retrievals").asInt()).as(aInfo.toString()).isZero();
        assertThat(aInfo.path("reputation").asDouble()).isEqualTo(1.0);
        assertThat(tempBytes(hb)).as("the partial download is removed").isZero();
    }
}
