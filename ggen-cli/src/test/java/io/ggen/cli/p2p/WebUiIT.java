package io.ggen.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.testing.Ggen;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * The web UI in a real browser (Debian's chromium, driven by playwright-core from
 * webui/e2e/ui-e2e.mjs): two ggen nodes, A publishes a pack (and yanks an older version), B's UI
 * shows it, searches and filters, opens it, fetches its readme, copies the install command, and
 * lists A on the peers and network pages; requests without the login cookie, with a foreign Host
 * or a foreign Origin are refused. Screenshots go to target/ui-screenshots/. Also: the committed
 * bundle is what the sources build to, and the readme renderer's own tests (webui/test).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WebUiIT {
    static final String ID = "io.example.web-starter";

    @TempDir
    Path tmp;

    final List<Ggen.Running> running = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(Ggen.Running::close);
    }

    static Path webui() {
        String dir = System.getProperty("webui.dir");
        if (dir == null) throw new IllegalStateException("system property webui.dir is not set (run through failsafe)");
        return Path.of(dir).toAbsolutePath().normalize();
    }

    /** Runs {@code node args...} in webui/ to completion; stdout and stderr together. */
    static Ggen.Result node(Duration limit, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node"));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("webui-node", ".log");
        try {
            Process p = new ProcessBuilder(cmd).directory(webui().toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("node " + String.join(" ", args) + " did not finish within " + limit.toSeconds() + " s:\n" + Files.readString(log));
            }
            return new Ggen.Result(p.exitValue(), Files.readString(log), "");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    Path pack(String version) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("src").resolve(ID + "-" + version));
        Files.createDirectories(dir.resolve("templates/service"));
        Files.writeString(dir.resolve("gpack.toml"), """
                [gpack]
                id = "%s"
                name = "Web Starter"
                version = "%s"
                description = "Scaffolds a typed web service with routing, configuration and health checks"
                license = "MIT"
                ggen_compat = ">=0.1"
                authors = ["Ada Example <ada@example.org>"]
                keywords = ["web", "service"]
                categories = ["web"]
                tags = ["rust", "http"]
                repository = "https://example.org/web-starter"
                """.formatted(ID, version));
        Files.writeString(dir.resolve("README.md"), """
                # Web Starter

                A template pack that scaffolds a **typed web service**: routing, configuration and
                health checks, ready for `cargo run`.

                ## Use it

                1. Install it: `ggen marketplace p2p install io.example.web-starter`
                2. Generate: `ggen project gen --template service`

                ```toml
                [service]
                port = 8080
                ```

                > Readmes show HTML as written, so <img src=x onerror=alert(1)> is only text here.

                See [the project](https://example.org/web-starter) for more.
                """);
        Files.writeString(dir.resolve("templates/service/main.rs.tmpl"), "fn main() { /* web starter " + version + " */ }\n");
        Files.writeString(dir.resolve("templates/service/routes.rs.tmpl"), "pub fn routes() {}\n");
        return dir;
    }

    @Test
    void theCommittedBundleIsWhatTheSourcesBuild() throws Exception {
        Ggen.Result check = node(Duration.ofSeconds(120), "build.mjs", "--check");
        assertThat(check.exit()).as("the web UI bundle is stale; run 'npm run build' in webui/ and commit it:\n" + check.out()).isZero();
    }

    @Test
    void theReadmeRendererKeepsMarkupAsText() throws Exception {
        Ggen.Result unit = node(Duration.ofSeconds(120), "--test", "test/");
        assertThat(unit.exit()).as(unit.out()).isZero();
        assertThat(unit.out()).contains("# fail 0");
    }

    @Test
    void browsePublishedPacksOnAnotherNodeInARealBrowser() throws Exception {
        Path ha = Files.createDirectories(tmp.resolve("a"));
        Path hb = Files.createDirectories(tmp.resolve("b"));
        assertThat(Ggen.at(ha).run("marketplace", "key", "generate").exit()).isZero();
        Ggen.Running a = Ggen.at(ha).startNode();
        running.add(a);
        Ggen.Running b = Ggen.at(hb).startNode("--bootstrap", a.addr);
        running.add(b);

        Ggen.Result old = Ggen.at(ha).run("marketplace", "p2p", "publish", pack("0.9.0").toString());
        assertThat(old.exit()).as(old.toString()).isZero();
        Ggen.Result yank = Ggen.at(ha).run("marketplace", "p2p", "yank", ID + "@0.9.0", "--reason", "broken routing");
        assertThat(yank.exit()).as(yank.toString()).isZero();
        Ggen.Result pub = Ggen.at(ha).run("marketplace", "p2p", "publish", pack("1.0.0").toString());
        assertThat(pub.exit()).as(pub.toString()).isZero();
        // B knows both versions and the yank before the browser looks.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Ggen.Result info = Ggen.at(hb).run("marketplace", "info", ID, "--format", "json");
            assertThat(info.exit()).as(info.toString()).isZero();
            List<String> versions = new ArrayList<>();
            info.json().path("versions").forEach(v -> versions.add(v.path("version").asText() + (v.path("yanked").asBoolean() ? " yanked" : "")));
            assertThat(versions).contains("1.0.0", "0.9.0 yanked");
        });

        // The login link: printed only, never a browser started by the command in a test.
        Ggen.Result ui = Ggen.at(hb).run("marketplace", "p2p", "ui", "--print-url");
        assertThat(ui.exit()).as(ui.toString()).isZero();
        String url = ui.out().trim();
        assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/ui/login\\?code=[0-9a-f]{64}");
        int port = Integer.parseInt(url.replaceFirst("^http://127\\.0\\.0\\.1:(\\d+)/.*$", "$1"));
        String selfId = Ggen.at(hb).run("marketplace", "p2p", "status", "--format", "json").json().path("peer_id").asText();

        Path screenshots = Path.of(System.getProperty("ui.screenshots", "target/ui-screenshots")).toAbsolutePath();
        ObjectNode spec = Ggen.JSON.createObjectNode()
                .put("loginUrl", url)
                .put("apiPort", port)
                .put("packageId", ID)
                .put("packageName", "Web Starter")
                .put("searchWord", "routing")
                .put("category", "web")
                .put("tag", "http")
                .put("yankedVersion", "0.9.0")
                .put("installCommand", "ggen marketplace p2p install " + ID + "@1.0.0")
                .put("readmeHeading", "Web Starter")
                .put("peerId", a.peerId)
                .put("selfPeerId", selfId)
                .put("screenshots", screenshots.toString())
                .put("userDataDir", Files.createDirectories(tmp.resolve("chromium-profile")).toString());
        Ggen.Result run = node(Duration.ofSeconds(180), "e2e/ui-e2e.mjs", Ggen.JSON.writeValueAsString(spec));
        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).contains("PASS").doesNotContain("FAIL");
        assertThat(Files.size(screenshots.resolve("package.png"))).isGreaterThan(10_000);
        Files.writeString(screenshots.resolve("checks.txt"), run.out(), StandardCharsets.UTF_8);
    }
}
