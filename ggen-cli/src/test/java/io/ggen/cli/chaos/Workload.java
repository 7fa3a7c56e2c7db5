package io.ggen.cli.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.testing.Ggen;
import io.ggen.marketplace.content.ContentId;
import io.ggen.marketplace.content.ContentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What a lab does to its nodes through their control APIs (publish, search, fetch, yank, look
 * up), counting every operation by kind and outcome; and the packs it makes for that, each with
 * its own search word and seeded random content, so their bytes differ.
 */
final class Workload {
    /** A published pack version: where its source is, who published it, its content id. */
    static final class Pack {
        final String id;
        final String version;
        final String word;
        final Path src;
        final LabNode publisher;
        String cid;
        long publishedAtMillis;
        /** Published while the network was cut in two: nodes of the other side can learn it only after the heal. */
        boolean duringPartition;

        Pack(String id, String version, String word, Path src, LabNode publisher) {
            this.id = id;
            this.version = version;
            this.word = word;
            this.src = src;
            this.publisher = publisher;
        }

        String spec() {
            return id + "@" + version;
        }
    }

    private final Path root;
    private final Random random;
    final Map<String, AtomicLong> ops = new ConcurrentHashMap<>();

    Workload(Path root, long seed) {
        this.root = root;
        this.random = new Random(seed);
    }

    void count(String kind, boolean ok) {
        ops.computeIfAbsent(kind + (ok ? ".ok" : ".failed"), k -> new AtomicLong()).incrementAndGet();
    }

    /** The longest a publish or yank call took, by kind (ms): what a user waits for. */
    final Map<String, Long> slowest = new ConcurrentHashMap<>();

    void latency(String kind, long millis) {
        slowest.merge(kind, millis, Math::max);
    }

    Map<String, Long> opCounts() {
        Map<String, Long> out = new TreeMap<>();
        ops.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** A new search word, found in no other pack. */
    synchronized String word() {
        return "w" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }

    /**
     * A pack directory for {@code id@version}: a manifest with {@code word} (one per package: a
     * search lists a package by its newest release, so every version carries the word), and some
     * KiB of random template text.
     */
    synchronized Pack pack(String id, String version, String word, LabNode publisher) throws IOException {
        Path dir = Files.createDirectories(root.resolve("src").resolve(id + "-" + version));
        Files.createDirectories(dir.resolve("templates/cli"));
        Files.writeString(dir.resolve("gpack.toml"), """
                [gpack]
                id = "%s"
                name = "Chaos %s"
                version = "%s"
                description = "Published in the chaos lab %s"
                license = "MIT"
                ggen_compat = ">=0.1"
                tags = ["chaos"]
                """.formatted(id, id, version, word));
        byte[] text = new byte[2048 + random.nextInt(16 << 10)];
        for (int i = 0; i < text.length; i++) text[i] = (byte) ('a' + random.nextInt(26));
        Files.write(dir.resolve("templates/cli/main.tmpl"), text);
        return new Pack(id, version, word, dir, publisher);
    }

    /** Publishes {@code p} on its publisher (the node's default key). */
    void publish(Pack p, boolean partitioned) throws IOException {
        ObjectNode body = Ggen.JSON.createObjectNode().put("path", p.src.toAbsolutePath().toString());
        // Convergence counts from the request: the release is in the publisher's catalog before the call returns.
        p.publishedAtMillis = System.currentTimeMillis();
        p.duringPartition = partitioned;
        try {
            JsonNode r = p.publisher.api.post("/v1/publish", body, Duration.ofSeconds(120));
            p.cid = r.path("cid").asText();
            latency("publish" + (partitioned ? " (partitioned)" : ""), System.currentTimeMillis() - p.publishedAtMillis);
            count("publish", true);
        } catch (IOException e) {
            count("publish", false);
            throw e;
        }
    }

    void yank(LabNode publisher, String spec, String reason, boolean partitioned) throws IOException {
        long t0 = System.currentTimeMillis();
        try {
            publisher.api.post("/v1/yank", Ggen.JSON.createObjectNode().put("spec", spec).put("reason", reason), Duration.ofSeconds(120));
            latency("yank" + (partitioned ? " (partitioned)" : ""), System.currentTimeMillis() - t0);
            count("yank", true);
        } catch (IOException e) {
            count("yank", false);
            throw e;
        }
    }

    /** Whether {@code node}'s search for the pack's word lists the pack (any version). */
    boolean searchFinds(LabNode node, Pack p) {
        try {
            JsonNode r = node.api.post("/v1/search", Ggen.JSON.createObjectNode().put("query", p.word), Duration.ofSeconds(10));
            boolean found = false;
            for (JsonNode hit : r.path("results")) if (hit.path("id").asText().equals(p.id)) found = true;
            count("search", true);
            return found;
        } catch (IOException e) {
            count("search", false);
            return false;
        }
    }

    /** Starts a fetch job for {@code spec}; its id, or null when the node refused (unknown package, busy, down). */
    String startFetch(LabNode node, String spec) {
        try {
            String job = node.api.post("/v1/fetch", Ggen.JSON.createObjectNode().put("spec", spec), Duration.ofSeconds(60)).path("job").asText();
            count("fetch.start", true);
            return job;
        } catch (IOException e) {
            count("fetch.start", false);
            return null;
        }
    }

    /** A fetch job's state: null while running (or the node unreachable), "" when done, else its error. */
    String fetchOutcome(LabNode node, String job) {
        try {
            JsonNode s = node.api.get("/v1/fetch/" + job, Duration.ofSeconds(10));
            if (!s.path("done").asBoolean()) return null;
            String error = s.path("error").asText("");
            count("fetch", error.isEmpty());
            return error;
        } catch (IOException e) {
            return e instanceof io.ggen.cli.testing.NodeApi.ApiStatusException se && se.status == 404 ? "job gone (node restarted)" : null;
        }
    }

    /** Whether {@code node} knows {@code id@version} and knows it is yanked. */
    boolean knowsYanked(LabNode node, String id, String version) {
        try {
            JsonNode info = node.api.get("/v1/packages/" + id, Duration.ofSeconds(10));
            count("package-info", true);
            for (JsonNode v : info.path("versions")) {
                if (v.path("version").asText().equals(version)) return v.path("yanked").asBoolean();
            }
            return false;
        } catch (IOException e) {
            count("package-info", false);
            return false;
        }
    }

    /** The version {@code node} would resolve {@code id} to now (a range install), or null. */
    String resolves(LabNode node, String id) {
        try {
            JsonNode plan = node.api.post("/v1/resolve", Ggen.JSON.createObjectNode().put("spec", id), Duration.ofSeconds(30));
            count("resolve", true);
            for (JsonNode step : plan.path("releases")) if (step.path("id").asText().equals(id)) return step.path("version").asText();
            return null;
        } catch (IOException e) {
            count("resolve", false);
            return null;
        }
    }

    /**
     * Whether the archive bytes {@code node} holds for {@code p} are the publisher's, byte for
     * byte, and hash to the CID: null when they are (or the node does not hold them), else what
     * is wrong.
     */
    static String storedBytesProblem(LabNode node, Pack p) throws IOException {
        ContentId cid = ContentId.parse(p.cid);
        Path mine = new ContentStore(node.home.resolve("store")).pathOf(cid);
        if (!Files.exists(mine)) return null;
        byte[] bytes = Files.readAllBytes(mine);
        byte[] theirs = Files.readAllBytes(new ContentStore(p.publisher.home.resolve("store")).pathOf(cid));
        if (!java.util.Arrays.equals(bytes, theirs)) return node.name() + " holds " + bytes.length + " bytes for " + p.spec() + " that differ from the publisher's";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            if (!java.util.Arrays.equals(digest, cid.digest())) return node.name() + " holds bytes for " + p.spec() + " hashing to " + HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }

    /** Every regular file under {@code root} with its SHA-256, relative paths sorted: two equal trees give equal strings. */
    static String tree(Path root) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                try {
                    byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
                    sb.append(root.relativize(f)).append(' ').append(HexFormat.of().formatHex(sha)).append('\n');
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return sb.toString();
    }
}
