package io.ggen.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.testing.Ggen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A damaged catalog: refused with one line and a way out; rebuilt, the node gets its releases back from peers. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CatalogRebuildIT {
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

    static boolean knows(Path home, String id) throws Exception {
        Ggen.Result r = Ggen.at(home).run("marketplace", "p2p", "search", id, "--format", "json");
        if (r.exit() != 0) return false;
        for (JsonNode hit : r.json().path("results")) if (hit.path("id").asText().equals(id)) return true;
        return false;
    }

    @Test
    void aTruncatedCatalogIsRefusedThenRebuiltFromPeers() throws Exception {
        Path ha = home("a");
        Path hb = home("b");
        Ggen.Running a = Ggen.at(ha).startNode();
        running.add(a);
        assertThat(Ggen.at(hb).run("marketplace", "key", "generate").exit()).isZero();
        Ggen.Running b = Ggen.at(hb).startNode("--bootstrap", a.addr);
        Path src = Files.createDirectories(tmp.resolve("src/templates"));
        Files.writeString(src.resolve("main.tmpl"), "hello\n");
        Files.writeString(src.getParent().resolve("gpack.toml"), """
                [gpack]
                id = "io.example.survivor"
                name = "Survivor"
                version = "1.0.0"
                description = "Outlives its publisher's catalog"
                license = "MIT"
                ggen_compat = ">=0.1"
                """);
        Ggen.Result pub = Ggen.at(hb).run("marketplace", "p2p", "publish", src.getParent().toString());
        assertThat(pub.exit()).as(pub.toString()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> knows(ha, "io.example.survivor"));
        b.close();

        Files.write(hb.resolve("catalog.db"), new byte[0]);
        Files.deleteIfExists(hb.resolve("catalog.db-wal"));
        Files.deleteIfExists(hb.resolve("catalog.db-shm"));
        Ggen.Result start = Ggen.at(hb).run("marketplace", "p2p", "start", "--listen", "/ip4/127.0.0.1/tcp/0");
        assertThat(start.exit()).as(start.toString()).isEqualTo(1);
        assertThat(start.err().lines().filter(l -> l.startsWith("error: ")).toList()).as(start.toString()).singleElement().asString()
                .contains("catalog.db is damaged (the file is empty (0 bytes)").contains("ggen marketplace doctor --rebuild-catalog");
        assertThat(start.err()).doesNotContain("\tat ");
        assertThat(hb.resolve("node.json")).doesNotExist();
        assertThat(hb.resolve("catalog.db")).isEmptyFile();
        Ggen.Result search = Ggen.at(hb).run("marketplace", "search", "survivor");
        assertThat(search.exit()).isEqualTo(1);
        assertThat(search.err()).startsWith("error: the catalog ").contains("is damaged");

        Ggen.Result rebuild = Ggen.at(hb).run("marketplace", "doctor", "--rebuild-catalog");
        assertThat(rebuild.exit()).as(rebuild.toString()).isZero();
        assertThat(rebuild.out()).contains("rebuilt the catalog").contains("the damaged file is kept as");

        running.add(Ggen.at(hb).startNode("--bootstrap", a.addr));
        await().atMost(Duration.ofSeconds(60)).until(() -> knows(hb, "io.example.survivor"));
        Ggen.Result doctor = Ggen.at(hb).run("marketplace", "doctor");
        assertThat(doctor.exit()).as(doctor.toString()).isZero();
        assertThat(doctor.out()).startsWith("ok: 1 objects, 1 releases");
    }
}
