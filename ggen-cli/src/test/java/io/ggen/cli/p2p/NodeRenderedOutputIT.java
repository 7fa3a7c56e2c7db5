package io.ggen.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.api.ApiClient;
import io.ggen.cli.testing.Ggen;
import io.ggen.node.home.DataDir;
import io.ggen.node.render.MarketplaceText;
import io.ggen.node.render.Output;
import io.ggen.node.render.OutputFormat;
import io.ggen.node.render.PeerText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands a running node answers ready to print (the launcher's short path: no
 * picocli tree, no jackson-databind in the command) print the same bytes as before: what the
 * command printed when it rendered the node's JSON itself, or, for the catalog commands, what it
 * prints reading the catalog itself when no node runs. Real ggen processes, on loopback.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NodeRenderedOutputIT {
    @TempDir
    Path tmp;

    final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : running) c.close();
    }

    /** A pack whose name is not ASCII and whose description is long enough for the search table to shorten it with an ellipsis. */
    Path pack(Ggen g, String dirName, String id) throws Exception {
        Path dir = tmp.resolve(dirName);
        Ggen.Result made = g.run("marketplace", "new", dir.toString(), "--id", id, "--name", "Café « Ünïcode » " + dirName);
        assertThat(made.exit()).as(made.toString()).isZero();
        Path manifest = dir.resolve("gpack.toml");
        String toml = Files.readString(manifest).replace("Generates a hello-world Rust module (edit me)",
                "Génère un module Rust « bonjour » — with a description well past sixty characters, cut with an ellipsis");
        Files.writeString(manifest, toml);
        return dir;
    }

    static String text(OutputFormat f, java.util.function.Consumer<PrintWriter> body) {
        StringWriter s = new StringWriter();
        body.accept(new PrintWriter(s));
        return s.toString();
    }

    @Test
    void whatTheNodeRendersIsWhatTheCommandPrintedBefore() throws Exception {
        Path ha = Files.createDirectories(tmp.resolve("a"));
        Path hb = Files.createDirectories(tmp.resolve("b"));
        Ggen a = Ggen.at(ha);
        Ggen.Running nodeA = a.startNode();
        running.add(nodeA);
        Ggen.Running nodeB = Ggen.at(hb).startNode("--bootstrap", nodeA.addr);
        running.add(nodeB);
        assertThat(a.run("marketplace", "key", "generate").exit()).isZero();
        Path one = pack(a, "one", "io.render.one");
        Path two = pack(a, "two", "io.render.two");
        for (Path p : List.of(one, two)) {
            Ggen.Result r = a.run("marketplace", "p2p", "publish", p.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
        }
        assertThat(a.run("marketplace", "p2p", "publish", one.toString(), "--version", "0.2.0").exit()).isZero();
        ApiClient api = ApiClient.require(DataDir.of(ha));

        // p2p search: the node's text against the command's own rendering of the node's JSON
        for (OutputFormat f : OutputFormat.values()) {
            Ggen.Result cli = a.run("marketplace", "p2p", "search", "render", "--format", f.name());
            assertThat(cli.exit()).as(cli.toString()).isZero();
            ObjectNode body = Ggen.JSON.createObjectNode().put("query", "render");
            JsonNode json = api.postOk("/v1/search", body, Duration.ofSeconds(60));
            String local = MarketplaceText.search(json, "render", 0, f);
            assertThat(maskMillis(cli.out())).isEqualTo(maskMillis(local));
            if (f == OutputFormat.table) assertThat(cli.out()).contains("io.render.one (v0.2.0)", "Providers: ");
        }

        // peer-list and peer-info: the same, once the node's view of B holds still between the two requests
        for (OutputFormat f : OutputFormat.values()) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Ggen.Result cli = a.run("marketplace", "p2p", "peer-list", "--min-reputation", "0.5", "--format", f.name());
                assertThat(cli.exit()).as(cli.toString()).isZero();
                assertThat(cli.out()).isEqualTo(PeerText.list(api.getOk("/v1/peers", Duration.ofSeconds(10)), false, 0.5, f));
                assertThat(cli.out()).contains(nodeB.peerId);
            });
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Ggen.Result cli = a.run("marketplace", "p2p", "peer-info", nodeB.peerId, "--format", f.name());
                assertThat(cli.exit()).as(cli.toString()).isZero();
                assertThat(cli.out()).isEqualTo(PeerText.info(api.getOk("/v1/peers/" + nodeB.peerId, Duration.ofSeconds(10)), false, f));
            });
        }
        Ggen.Result unknown = a.run("marketplace", "p2p", "peer-info", "12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("error: peer 12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D is unknown to this node"
                + " (never connected, not in its peer store)\n");

        // publish (again: the answer is the same each time) as table, and as JSON rendered by the test
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Ggen.Result table = a.run("marketplace", "p2p", "publish", two.toString());
            Ggen.Result json = a.run("marketplace", "p2p", "publish", two.toString(), "--format", "json");
            assertThat(table.exit()).as(table.toString()).isZero();
            assertThat(table.out()).startsWith("Already published: io.render.two@0.1.0\n")
                    .isEqualTo(MarketplaceText.publish(json.json(), OutputFormat.table));
        });

        // marketplace search and info: with the node running (it renders) and after it stopped (read here)
        List<List<String>> catalogCommands = new ArrayList<>();
        for (OutputFormat f : OutputFormat.values()) {
            catalogCommands.add(List.of("marketplace", "search", "render", "--format", f.name()));
            catalogCommands.add(List.of("marketplace", "search", "--limit", "1", "--sort", "name", "--format", f.name()));
            catalogCommands.add(List.of("marketplace", "search", "--tags", "example,nothing-has-this", "--format", f.name()));
            catalogCommands.add(List.of("marketplace", "info", "io.render.one", "--format", f.name()));
            catalogCommands.add(List.of("marketplace", "info", "io.render.one@^0.1", "--format=" + f.name()));
        }
        // picocli's path (the short path declines "--") and the errors
        catalogCommands.add(List.of("marketplace", "search", "--", "render"));
        catalogCommands.add(List.of("marketplace", "info", "--", "io.render.two"));
        catalogCommands.add(List.of("marketplace", "info", "io.render.none"));
        catalogCommands.add(List.of("marketplace", "info", "io.render.one@^9"));
        catalogCommands.add(List.of("marketplace", "info", "not an id!"));
        catalogCommands.add(List.of("marketplace", "search", "x", "--limit", "0"));
        Map<List<String>, Ggen.Result> online = new LinkedHashMap<>();
        for (List<String> c : catalogCommands) online.put(c, a.run(c.toArray(String[]::new)));
        assertThat(online.get(catalogCommands.get(0)).out()).contains("Génère", "…");
        assertThat(online.get(List.of("marketplace", "search", "--", "render")).out()).isEqualTo(online.get(catalogCommands.get(0)).out());
        assertThat(a.run("marketplace", "p2p", "stop").exit()).isZero();
        assertThat(nodeA.exit()).isZero();
        for (List<String> c : catalogCommands) {
            Ggen.Result offline = a.run(c.toArray(String[]::new));
            assertThat(offline.toString()).as(String.join(" ", c)).isEqualTo(online.get(c).toString());
        }
    }

    /** The table's "(N ms" is the time the search took, which differs from one search to the next. */
    static String maskMillis(String s) {
        return s.replaceAll("\\(\\d+ ms", "(N ms");
    }

    @Test
    void outputPrintsDataAsTheMarketplaceCommandsAlwaysHave() {
        // the JSON and YAML of plain data (what marketplace search and info print) keep their shape
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("query", "x");
        data.put("packages", List.of(Map.of("id", "a")));
        assertThat(text(OutputFormat.json, out -> Output.print(data, OutputFormat.json, out)))
                .isEqualTo("{\n  \"query\" : \"x\",\n  \"packages\" : [ {\n    \"id\" : \"a\"\n  } ]\n}\n");
        assertThat(text(OutputFormat.yaml, out -> Output.print(data, OutputFormat.yaml, out))).isEqualTo("query: x\npackages:\n- id: a\n");
    }
}
