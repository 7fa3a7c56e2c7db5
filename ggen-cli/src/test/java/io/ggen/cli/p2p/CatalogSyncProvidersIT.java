package io.ggen.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.testing.Ggen;
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

/**
 * Issue 15, item 20: a node that learns releases by catalog sync shows their providers in
 * {@code search} right after the sync, with no DHT lookup: catalog sync 1.1.0 pages say which
 * archives the serving peer holds.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CatalogSyncProvidersIT {
    @TempDir
    Path tmp;

    final List<Ggen.Running> running = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(Ggen.Running::close);
    }

    Ggen.Running node(Path home, String... extra) throws Exception {
        Ggen.Running n = Ggen.at(home).startNode(extra);
        running.add(n);
        return n;
    }

    Path pack(String id, String words) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("src").resolve(id));
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("gpack.toml"), """
                [gpack]
                id = "%s"
                name = "Pack %s"
                version = "1.0.0"
                description = "%s"
                license = "MIT"
                ggen_compat = ">=0.1"
                """.formatted(id, id, words));
        Files.writeString(dir.resolve("templates/main.tmpl"), "// " + id + "\n");
        return dir;
    }

    @Test
    void aNodeThatJoinsLaterShowsTheProvidersOfWhatItSyncedAtOnce() throws Exception {
        Path ha = Files.createDirectories(tmp.resolve("a"));
        Path hb = Files.createDirectories(tmp.resolve("b"));
        Path hc = Files.createDirectories(tmp.resolve("c"));
        assertThat(Ggen.at(ha).run("marketplace", "key", "generate").exit()).isZero();
        Ggen.Running a = node(ha);
        node(hb, "--bootstrap", a.addr);
        // Three packs, announced to B while C is not running: A has nothing pending to announce
        // when C arrives, and three local hits keep C's search from asking peers (whose answers
        // carry provider hints of their own).
        for (String name : List.of("alpha", "beta", "gamma")) {
            Ggen.Result pub = Ggen.at(ha).run("marketplace", "p2p", "publish", pack("io.example.gizmo-" + name, "A gizmo called " + name).toString(),
                    "--format", "json");
            assertThat(pub.exit()).as(pub.toString()).isZero();
            assertThat(pub.json().path("announced_to").asInt()).as(pub.toString()).isGreaterThanOrEqualTo(1);
        }
        // C listens on another announcement topic: gossip (gossipsub's IHAVE of recent messages
        // included) cannot be how it learns of A's releases; catalog sync is.
        Files.writeString(hc.resolve("p2p-config.toml"), "packages_topic = \"/ggen/elsewhere/v1\"\n");
        node(hc, "--bootstrap", a.addr);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode sync = peerInfo(hc, a.peerId).path("catalog_sync");
            assertThat(sync.path("complete").asBoolean()).as(sync.toString()).isTrue();
            assertThat(sync.path("protocol").asText()).isEqualTo("/ggen/catalog/1.1.0");
            assertThat(sync.path("received").asInt()).isGreaterThanOrEqualTo(3);
        });
        JsonNode found = Ggen.at(hc).run("marketplace", "p2p", "search", "gizmo", "--format", "json").json();
        assertThat(found.path("peers_asked").asInt()).as(found.toString()).isZero();
        assertThat(found.path("results")).hasSize(3);
        for (JsonNode hit : found.path("results")) assertThat(hit.path("providers").asInt()).as(hit.toString()).isEqualTo(1);
        // The provider is A, by its own word in the sync: it provides all three.
        assertThat(peerInfo(hc, a.peerId).path("packages_provided").asInt()).isEqualTo(3);

        Ggen.Result table = Ggen.at(hc).run("marketplace", "p2p", "peer-info", a.peerId);
        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(table.out()).containsPattern("Catalog sync: +complete, \\d+ records \\(\\d+ new\\) over /ggen/catalog/1.1.0");
    }

    static JsonNode peerInfo(Path home, String peer) throws Exception {
        Ggen.Result r = Ggen.at(home).run("marketplace", "p2p", "peer-info", peer, "--format", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.json();
    }
}
