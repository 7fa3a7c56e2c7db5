package io.ggen.cli.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import io.ggen.cli.testing.Ggen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The product end to end: real ggen nodes on loopback, each with its own GGEN_HOME, in a chain
 * A - B - C. Publish on A; C (not bootstrapped to A) finds and installs it; a node started later
 * catches up and installs it too; a release published offline goes out when its node starts; a
 * forger's release for A's id is refused everywhere; a provider with corrupted bytes is never
 * installed from and loses reputation.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class P2pMarketplaceIT {
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

    Path home(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    Path pack(String id, String version, String words) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("src").resolve(id + "-" + version));
        Files.createDirectories(dir.resolve("templates/cli"));
        Files.writeString(dir.resolve("gpack.toml"), """
                [gpack]
                id = "%s"
                name = "Pack %s"
                version = "%s"
                description = "%s"
                license = "MIT"
                ggen_compat = ">=0.1"
                tags = ["rust"]
                categories = ["cli"]
                """.formatted(id, id, version, words));
        Files.writeString(dir.resolve("templates/cli/main.tmpl"), "fn main() { /* " + id + " " + version + " */ }\n");
        return dir;
    }

    static JsonNode search(Path home, String query) throws Exception {
        return Ggen.at(home).run("marketplace", "p2p", "search", query, "--format", "json").json();
    }

    static List<String> ids(JsonNode results) {
        List<String> out = new ArrayList<>();
        results.path("results").forEach(r -> out.add(r.path("id").asText() + "@" + r.path("version").asText()));
        return out;
    }

    static String tree(Path root) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                byte[] sha;
                try {
                    sha = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
                sb.append(root.relativize(p)).append('=').append(java.util.HexFormat.of().formatHex(sha)).append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void publishOnOneNodeSearchAndInstallOnAnother() throws Exception {
        Path ha = home("a");
        Path hb = home("b");
        Path hc = home("c");
        assertThat(Ggen.at(ha).run("marketplace", "key", "generate").exit()).isZero();
        Ggen.Running a = node(ha);
        Ggen.Running b = node(hb, "--bootstrap", a.addr);
        Ggen.Running c = node(hc, "--bootstrap", b.addr);

        Path src = pack("io.example.rust-cli", "1.0.0", "Generates a rust command line tool");
        Ggen.Result pub = Ggen.at(ha).run("marketplace", "p2p", "publish", src.toString(), "--format", "json");
        assertThat(pub.exit()).as(pub.toString()).isZero();
        assertThat(pub.json().path("announced_to").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(pub.json().path("head_stored_on").asInt()).isGreaterThanOrEqualTo(1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids(search(hc, "rust"))).contains("io.example.rust-cli@1.0.0"));
        JsonNode hit = search(hc, "rust").path("results").get(0);
        assertThat(hit.path("providers").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(hit.path("avg_reputation").asDouble()).isEqualTo(1.0);
        // --network also asks C's peers (B here); the merged result holds each release once.
        JsonNode net = Ggen.at(hc).run("marketplace", "p2p", "search", "rust", "--network", "--format", "json").json();
        assertThat(net.path("peers_asked").asInt()).as(net.toString()).isGreaterThanOrEqualTo(1);
        assertThat(net.path("peers_answered").asInt()).as(net.toString()).isGreaterThanOrEqualTo(1);
        assertThat(ids(net)).containsOnlyOnce("io.example.rust-cli@1.0.0");

        Path projC = Files.createDirectories(tmp.resolve("proj-c"));
        Ggen.Result install = Ggen.at(hc).run("marketplace", "p2p", "install", "io.example.rust-cli", "--target", projC.toString());
        assertThat(install.exit()).as(install.toString()).isZero();
        assertThat(tree(projC.resolve(".ggen/gpacks/io.example.rust-cli"))).isEqualTo(tree(src));
        assertThat(Files.readString(projC.resolve("ggen.lock"))).contains("io.example.rust-cli");
        assertThat(Ggen.at(hc).run("marketplace", "p2p", "peer-info", a.peerId, "--format", "json").json().path("successful_retrievals").asInt()).isEqualTo(1);

        // --dry-run resolves through the node and writes nothing.
        Path projDry = Files.createDirectories(tmp.resolve("proj-dry"));
        Ggen.Result dry = Ggen.at(hc).run("marketplace", "p2p", "install", "io.example.rust-cli@^1", "--target", projDry.toString(), "--dry-run");
        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("Would install io.example.rust-cli@1.0.0").contains("in the local store").contains("Nothing was fetched or written");
        try (var files = Files.list(projDry)) {
            assertThat(files).isEmpty();
        }
        // A bad --version refused by the node is a usage error naming the flag, as without a node.
        Ggen.Result badVersion = Ggen.at(ha).run("marketplace", "p2p", "publish", src.toString(), "--version", "2.2");
        assertThat(badVersion.exit()).as(badVersion.toString()).isEqualTo(2);
        assertThat(badVersion.err()).startsWith("error: --version ");

        // D starts later, after the publish, and after publishing a pack of its own while offline.
        Path hd = home("d");
        assertThat(Ggen.at(hd).run("marketplace", "key", "generate").exit()).isZero();
        Ggen.Result offline = Ggen.at(hd).run("marketplace", "p2p", "publish", pack("io.example.offline", "0.1.0", "Made on a plane").toString());
        assertThat(offline.exit()).as(offline.toString()).isZero();
        assertThat(offline.out()).contains("will be announced when the node next starts");
        Ggen.Running d = node(hd, "--bootstrap", c.addr);
        // Catalog sync brings what was published before D joined; its offline release reaches A.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ids(search(hd, "rust"))).contains("io.example.rust-cli@1.0.0"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ids(search(ha, "plane"))).contains("io.example.offline@0.1.0"));
        Path projD = Files.createDirectories(tmp.resolve("proj-d"));
        Ggen.Result installD = Ggen.at(hd).run("marketplace", "p2p", "install", "io.example.rust-cli@1.0.0", "--target", projD.toString());
        assertThat(installD.exit()).as(installD.toString()).isZero();
        assertThat(tree(projD.resolve(".ggen/gpacks/io.example.rust-cli"))).isEqualTo(tree(src));

        // A forger (its own node and key, which never saw A's releases) publishes A's id: refused by every other node.
        Path hm = home("m");
        assertThat(Ggen.at(hm).run("marketplace", "key", "generate").exit()).isZero();
        Ggen.Running m = node(hm, "--bootstrap", b.addr);
        Ggen.Result forged = Ggen.at(hm).run("marketplace", "p2p", "publish", pack("io.example.rust-cli", "6.6.6", "Generates a rust tool, trust me").toString());
        // (m's own catalog may already know A's key from catalog sync, in which case even m refuses it)
        if (forged.exit() == 0) {
            await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofSeconds(3)).untilAsserted(() -> {
                for (Path h : List.of(ha, hb, hc, hd)) assertThat(ids(search(h, "rust"))).doesNotContain("io.example.rust-cli@6.6.6");
            });
        } else {
            assertThat(forged.err()).contains("io.example.rust-cli");
        }
        for (Path h : List.of(ha, hb, hc, hd)) {
            Ggen.Result info = Ggen.at(h).run("marketplace", "info", "io.example.rust-cli", "--format", "json");
            assertThat(info.out()).doesNotContain("6.6.6");
        }
        assertThat(m.peerId).isNotBlank();
    }

    @Test
    void aYankOnOneNodeReachesAnotherThatHasTheReleaseAndANewInstallThereSkipsIt() throws Exception {
        Path ha = home("a");
        Path hb = home("b");
        assertThat(Ggen.at(ha).run("marketplace", "key", "generate").exit()).isZero();
        Ggen.Running a = node(ha);
        node(hb, "--bootstrap", a.addr);
        for (String v : List.of("1.0.0", "1.1.0")) {
            Ggen.Result pub = Ggen.at(ha).run("marketplace", "p2p", "publish", pack("io.example.yanky", v, "Yanked soon " + v).toString());
            assertThat(pub.exit()).as(pub.toString()).isZero();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids(search(hb, "yanked"))).contains("io.example.yanky@1.1.0"));

        Ggen.Result usage = Ggen.at(ha).run("marketplace", "p2p", "yank", "io.example.yanky");
        assertThat(usage.exit()).as(usage.toString()).isEqualTo(2);
        assertThat(usage.err()).startsWith("error: <spec> ").contains("<id>@<version>");
        assertThat(usage.err().strip().lines()).hasSize(1);

        Ggen.Result yank = Ggen.at(ha).run("marketplace", "p2p", "yank", "io.example.yanky@1.1.0", "--reason", "broken build");
        assertThat(yank.exit()).as(yank.toString()).isZero();
        assertThat(yank.out()).contains("Yanked io.example.yanky@1.1.0 (broken build)").contains("Announced to 1 peer");

        // B had 1.1.0 already; the yank reaches it, and its search and resolution move to 1.0.0.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids(search(hb, "yanked"))).containsExactly("io.example.yanky@1.0.0"));
        Path proj = Files.createDirectories(tmp.resolve("proj-b"));
        Ggen.Result install = Ggen.at(hb).run("marketplace", "p2p", "install", "io.example.yanky", "--target", proj.toString());
        assertThat(install.exit()).as(install.toString()).isZero();
        assertThat(install.out()).contains("Installed io.example.yanky@1.0.0");
        assertThat(Files.readString(proj.resolve("ggen.lock"))).contains("1.0.0").doesNotContain("1.1.0");
        // The exact version, as a ggen.lock names it, still installs.
        Path pinned = Files.createDirectories(tmp.resolve("proj-pinned"));
        Ggen.Result exact = Ggen.at(hb).run("marketplace", "p2p", "install", "io.example.yanky@1.1.0", "--target", pinned.toString());
        assertThat(exact.exit()).as(exact.toString()).isZero();
        assertThat(exact.out()).contains("Installed io.example.yanky@1.1.0");
    }

    @Test
    void withoutANodeAYankIsRecordedLocallyAndLocalInstallsSkipIt() throws Exception {
        Path h = home("solo");
        assertThat(Ggen.at(h).run("marketplace", "key", "generate").exit()).isZero();
        for (String v : List.of("2.0.0", "2.1.0")) {
            assertThat(Ggen.at(h).run("marketplace", "p2p", "publish", pack("io.example.offline-yank", v, "Offline " + v).toString()).exit()).isZero();
        }
        Ggen.Result yank = Ggen.at(h).run("marketplace", "p2p", "yank", "io.example.offline-yank@2.1.0", "--format", "json");
        assertThat(yank.exit()).as(yank.toString()).isZero();
        assertThat(yank.json().path("offline").asBoolean()).isTrue();
        assertThat(yank.json().path("already_yanked").asBoolean()).isFalse();
        Ggen.Result again = Ggen.at(h).run("marketplace", "p2p", "yank", "io.example.offline-yank@2.1.0");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("Already yanked: io.example.offline-yank@2.1.0").contains("announced when the node next starts");
        Ggen.Result unknown = Ggen.at(h).run("marketplace", "p2p", "yank", "io.example.nothing@1.0.0");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("error: no package io.example.nothing in the catalog\n");
        Path proj = Files.createDirectories(tmp.resolve("proj-solo"));
        Ggen.Result install = Ggen.at(h).run("marketplace", "p2p", "install", "io.example.offline-yank", "--target", proj.toString());
        assertThat(install.exit()).as(install.toString()).isZero();
        assertThat(install.out()).contains("Installed io.example.offline-yank@2.0.0");
    }

    @Test
    void aProviderWithCorruptedBytesIsNeverInstalledFromAndLosesReputation() throws Exception {
        Path ha = home("a");
        Path hc = home("c");
        Path hd = home("d");
        assertThat(Ggen.at(ha).run("marketplace", "key", "generate").exit()).isZero();
        Ggen.Running a = node(ha);
        Ggen.Running c = node(hc, "--bootstrap", a.addr);
        Path src = pack("io.example.fragile", "1.0.0", "Bytes that will be bent");
        assertThat(Ggen.at(ha).run("marketplace", "p2p", "publish", src.toString()).exit()).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids(search(hc, "bent"))).contains("io.example.fragile@1.0.0"));
        Path projC = Files.createDirectories(tmp.resolve("proj-c"));
        assertThat(Ggen.at(hc).run("marketplace", "p2p", "install", "io.example.fragile", "--target", projC.toString()).exit()).isZero();
        // C now provides it; its copy on disk gets corrupted, and A goes away.
        try (Stream<Path> objects = Files.walk(hc.resolve("store"))) {
            for (Path obj : objects.filter(Files::isRegularFile).filter(p -> p.toString().contains("objects")).toList()) {
                byte[] bytes = Files.readAllBytes(obj);
                bytes[bytes.length / 2] ^= 0x5a;
                Files.write(obj, bytes, StandardOpenOption.TRUNCATE_EXISTING);
            }
        }
        a.close();
        Ggen.Running d = node(hd, "--bootstrap", c.addr);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ids(search(hd, "bent"))).contains("io.example.fragile@1.0.0"));
        Path projD = Files.createDirectories(tmp.resolve("proj-d"));
        Ggen.Result bad = Ggen.at(hd).run("marketplace", "p2p", "install", "io.example.fragile", "--target", projD.toString());
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(1);
        assertThat(bad.err()).startsWith("error: ").contains("right content");
        assertThat(projD.resolve(".ggen/gpacks/io.example.fragile")).doesNotExist();
        JsonNode cInfo = Ggen.at(hd).run("marketplace", "p2p", "peer-info", c.peerId, "--format", "json").json();
        assertThat(cInfo.path("reputation").asDouble()).isLessThan(1.0);
        assertThat(cInfo.path("failed_retrievals").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(d.peerId).isNotBlank();
    }

    @Test
    void stoppingAnInstallCancelsTheNodesDownloadAndInstallsNothing() throws Exception {
        Path ha = home("a");
        Path hc = home("c");
        // The provider paces its upload (256 KiB/s) so that the stop lands mid-download.
        Files.writeString(ha.resolve("p2p-config.toml"), "[marketplace]\nupload_limit_kib_per_sec = 256\n");
        assertThat(Ggen.at(ha).run("marketplace", "key", "generate").exit()).isZero();
        Ggen.Running a = node(ha);
        node(hc, "--bootstrap", a.addr);
        Path src = bigPack("io.example.slow", 8);
        assertThat(Ggen.at(ha).run("marketplace", "p2p", "publish", src.toString()).exit()).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids(search(hc, "slow"))).contains("io.example.slow@1.0.0"));

        Path projC = Files.createDirectories(tmp.resolve("proj-c"));
        Ggen.Running install = Ggen.at(hc).start(Map.of(), "marketplace", "p2p", "install", "io.example.slow", "--target", projC.toString());
        running.add(install);
        // A quarter of a megabyte in (about a second at the provider's pace): the command is polling by then.
        await().atMost(Duration.ofSeconds(60)).until(() -> partialDownloadBytes(hc) > (256 << 10));
        // Ctrl-C: SIGINT to the command's JVM, which runs its shutdown hooks.
        assertThat(new ProcessBuilder("kill", "-INT", Long.toString(install.process.pid())).start().waitFor()).isZero();
        assertThat(install.process.waitFor(30, TimeUnit.SECONDS)).as(() -> "the install did not exit 30 s after SIGINT; its threads:\n" + threadDump(install.process)).isTrue();
        String err = install.stderr.get(10, TimeUnit.SECONDS);
        assertThat(install.process.exitValue()).as(err + install.lines).isNotZero();
        assertThat(err).as("exit " + install.process.exitValue() + ", out " + install.lines).contains("error: install cancelled; the node stopped the download and nothing was installed");
        // The node dropped the partial download and blamed nobody; nothing reached the project.
        await().atMost(Duration.ofSeconds(30)).until(() -> partialDownloadBytes(hc) == 0);
        assertThat(projC.resolve(".ggen/gpacks/io.example.slow")).doesNotExist();
        assertThat(projC.resolve("ggen.lock")).doesNotExist();
        JsonNode aInfo = Ggen.at(hc).run("marketplace", "p2p", "peer-info", a.peerId, "--format", "json").json();
        assertThat(aInfo.path("failed_retrievals").asInt()).isZero();
    }

    @Test
    void aProviderKilledMidDownloadAndTheInstallCompletesFromAnother() throws Exception {
        Path ha = home("a");
        Path hb = home("b");
        Path hc = home("c");
        // Providers pace their uploads (4 MiB/s a transfer) so that the kill lands mid-download.
        for (Path h : List.of(ha, hb)) Files.writeString(h.resolve("p2p-config.toml"), "[marketplace]\nupload_limit_kib_per_sec = 4096\n");
        assertThat(Ggen.at(ha).run("marketplace", "key", "generate").exit()).isZero();
        Ggen.Running a = node(ha);
        Ggen.Running b = node(hb, "--bootstrap", a.addr);
        node(hc, "--bootstrap", a.addr, "--bootstrap", b.addr);
        Path src = bigPack("io.example.heavy", 12);
        assertThat(Ggen.at(ha).run("marketplace", "p2p", "publish", src.toString()).exit()).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids(search(hb, "heavy"))).contains("io.example.heavy@1.0.0"));
        // B installs it and so becomes the second provider.
        Ggen.Result installB = Ggen.at(hb).run("marketplace", "p2p", "install", "io.example.heavy", "--target", Files.createDirectories(tmp.resolve("proj-b")).toString());
        assertThat(installB.exit()).as(installB.toString()).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids(search(hc, "heavy"))).contains("io.example.heavy@1.0.0"));

        Path projC = Files.createDirectories(tmp.resolve("proj-c"));
        Ggen.Running install = Ggen.at(hc).start(Map.of(), "marketplace", "p2p", "install", "io.example.heavy", "--target", projC.toString());
        running.add(install);
        // Bytes are arriving (a partial download in C's store), then A dies without a word.
        await().atMost(Duration.ofSeconds(60)).until(() -> partialDownloadBytes(hc) > (1 << 20));
        a.process.destroyForcibly();
        assertThat(install.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(install.process.exitValue()).as(install.stderr.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(tree(projC.resolve(".ggen/gpacks/io.example.heavy"))).isEqualTo(tree(src));
        JsonNode aInfo = Ggen.at(hc).run("marketplace", "p2p", "peer-info", a.peerId, "--format", "json").json();
        assertThat(aInfo.path("failed_retrievals").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode bInfo = Ggen.at(hc).run("marketplace", "p2p", "peer-info", b.peerId, "--format", "json").json();
        assertThat(bInfo.path("successful_retrievals").asInt()).isEqualTo(1);
    }

    @Test
    void aJsLibp2pPeerOnTheTopicReceivesTheAnnouncementAndFindsTheProviderInTheDht() throws Exception {
        Path ha = home("a");
        assertThat(Ggen.at(ha).run("marketplace", "key", "generate").exit()).isZero();
        Ggen.Running a = node(ha);
        try (io.ggen.p2p.interop.PeerProcess js = io.ggen.p2p.interop.PeerProcess.js(Map.of("PEER_ECHO", "1"),
                "--dht-protocol", "/ggen/kad/1.0.0", "--bootstrap", a.addr)) {
            js.call(io.ggen.p2p.interop.PeerProcess.cmd("subscribe").put("topic", "/ggen/packages/v1"));
            // The node knows of the js peer's subscription: its announcement will go there.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode status = Ggen.at(ha).run("marketplace", "p2p", "status", "--format", "json").json();
                assertThat(status.path("pubsub").path("topics").get(0).path("topic_peers").asInt()).as(status.toString()).isGreaterThanOrEqualTo(1);
                assertThat(status.path("dht").path("routing_table_size").asInt()).as(status.toString()).isGreaterThanOrEqualTo(1);
            });
            Path src = pack("io.example.polyglot", "1.0.0", "Spoken by js and java alike");
            Ggen.Result pub = Ggen.at(ha).run("marketplace", "p2p", "publish", src.toString(), "--format", "json");
            assertThat(pub.exit()).as(pub.toString()).isZero();
            String cid = pub.json().path("cid").asText();

            JsonNode msg = js.awaitEvent(e -> "message".equals(e.path("event").asText()), Duration.ofSeconds(60));
            assertThat(msg.path("topic").asText()).isEqualTo("/ggen/packages/v1");
            assertThat(msg.path("from").asText()).isEqualTo(a.peerId);
            byte[] record = java.util.Base64.getDecoder().decode(msg.path("data").asText());
            assertThat(new String(record, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("io.example.polyglot").contains("ggen/release");

            JsonNode providers = js.call(io.ggen.p2p.interop.PeerProcess.cmd("findProviders").put("cid", cid).put("max", 1), Duration.ofSeconds(90));
            assertThat(providers.path("providers").get(0).path("peer").asText()).as(providers.toString()).isEqualTo(a.peerId);
            JsonNode head = js.call(io.ggen.p2p.interop.PeerProcess.cmd("get").put("key", "/ggen/pkg/io.example.polyglot"), Duration.ofSeconds(90));
            assertThat(head.path("value").asText()).contains("io.example.polyglot");
        }
    }

    /** A pack whose archive is about {@code mib} MiB (incompressible bytes). */
    Path bigPack(String id, int mib) throws IOException {
        Path dir = pack(id, "1.0.0", "A heavy pack for " + id);
        java.util.Random random = new java.util.Random(7);
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < mib; i++) {
            random.nextBytes(chunk);
            Files.write(dir.resolve("templates/cli/blob" + i + ".tmpl"), chunk);
        }
        return dir;
    }

    /** Bytes in C's store temp files (a download in progress). */
    static long partialDownloadBytes(Path home) throws IOException {
        Path t = home.resolve("store/tmp");
        if (!Files.isDirectory(t)) return 0;
        try (Stream<Path> s = Files.list(t)) {
            return s.mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // renamed or removed meanwhile
                }
            }).sum();
        }
    }

    /** The threads of a JVM that did not stop, from the JDK's jcmd, for the failure message. */
    private static String threadDump(Process p) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(p.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            jcmd.waitFor(20, TimeUnit.SECONDS);
            return out;
        } catch (java.io.IOException e) {
            return "(jcmd failed: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }
}
