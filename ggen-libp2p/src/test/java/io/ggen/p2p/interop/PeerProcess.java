package io.ggen.p2p.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Drives one interop peer process (interop/jspeer/peer.mjs or interop/java-peer) over its
 * JSON-lines protocol: commands with ids, responses matched by id, events queued. Every wait is
 * bounded, and the process is given a lifetime so it ends by itself even if a test dies.
 */
public final class PeerProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_EVENTS = 100_000;

    private final Process process;
    private final OutputStream stdin;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final LinkedBlockingDeque<JsonNode> events = new LinkedBlockingDeque<>(MAX_EVENTS);
    private final List<JsonNode> seenEvents = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong nextId = new AtomicLong(1);
    private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
    private final StringBuilder stderrTail = new StringBuilder();
    private final String name;

    private PeerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread.ofPlatform().daemon().name(name + "-stdout").start(this::readStdout);
        Thread.ofPlatform().daemon().name(name + "-stderr").start(this::readStderr);
    }

    /** The repository root, found from the working directory (a module directory in tests). */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("interop/jspeer/peer.mjs"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("cannot find the repository root (interop/jspeer/peer.mjs) above " + Path.of("").toAbsolutePath());
        return p;
    }

    /** Starts the js-libp2p reference peer. */
    public static PeerProcess js(String... args) throws IOException {
        return js(Map.of(), args);
    }

    public static PeerProcess js(Map<String, String> env, String... args) throws IOException {
        return jsIn(null, env, args);
    }

    /** Starts the js-libp2p reference peer inside network namespace {@code netns} (null: here). */
    public static PeerProcess jsIn(String netns, Map<String, String> env, String... args) throws IOException {
        Path root = repoRoot();
        Path peer = root.resolve("interop/jspeer/peer.mjs");
        if (!Files.isDirectory(root.resolve("interop/jspeer/node_modules/libp2p"))) {
            throw new IllegalStateException("js peer not installed: run 'bash interop/jspeer/ensure-installed.sh' (./test does it)");
        }
        List<String> cmd = new ArrayList<>();
        if (netns != null) cmd.addAll(List.of("ip", "netns", "exec", netns));
        cmd.addAll(List.of("node", peer.toString(), "--lifetime", "600"));
        cmd.addAll(List.of(args));
        return start("js", cmd, env, root.resolve("interop/jspeer"));
    }

    /** Starts the Java interop peer from its built jar, with this JVM's java. */
    public static PeerProcess java(Map<String, String> env, String... args) throws IOException {
        Path root = repoRoot();
        Path jar = root.resolve("interop/java-peer/target/java-peer.jar");
        if (!Files.exists(jar)) throw new IllegalStateException("java peer not built: " + jar);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", jar.toString(), "--lifetime", "600"));
        cmd.addAll(List.of(args));
        return start("java", cmd, env, root);
    }

    /**
     * Starts the Java interop peer inside network namespace {@code netns} (null: here), ending by
     * itself after {@code lifetimeSeconds}.
     */
    public static PeerProcess javaIn(String netns, long lifetimeSeconds, Map<String, String> env, String... args) throws IOException {
        Path root = repoRoot();
        Path jar = root.resolve("interop/java-peer/target/java-peer.jar");
        if (!Files.exists(jar)) throw new IllegalStateException("java peer not built: " + jar);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        if (netns != null) cmd.addAll(List.of("ip", "netns", "exec", netns));
        cmd.addAll(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString(), "--lifetime", Long.toString(lifetimeSeconds)));
        cmd.addAll(List.of(args));
        return start("java", cmd, env, root);
    }

    /** The peer's process (to kill it with the namespace it runs in). */
    public Process process() {
        return process;
    }

    private static PeerProcess start(String name, List<String> cmd, Map<String, String> env, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("NODE_TEST_CONTEXT");
        pb.environment().putAll(env);
        PeerProcess p = new PeerProcess(name, pb.start());
        p.awaitReady(Duration.ofSeconds(60));
        return p;
    }

    private void readStdout() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    synchronized (stderrTail) {
                        stderrTail.append("[non-JSON stdout] ").append(line).append('\n');
                    }
                    continue;
                }
                if (n.has("event")) {
                    if ("ready".equals(n.get("event").asText())) ready.complete(n);
                    seenEvents.add(n);
                    events.offer(n);
                } else if (n.has("id") && n.get("id").canConvertToLong()) {
                    CompletableFuture<JsonNode> f = pending.remove(n.get("id").asLong());
                    if (f != null) f.complete(n);
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
        ready.completeExceptionally(new IllegalStateException(name + " peer exited before ready: " + stderr()));
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException(name + " peer exited: " + stderr())));
    }

    private void readStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (stderrTail) {
                    stderrTail.append(line).append('\n');
                    if (stderrTail.length() > 20_000) stderrTail.delete(0, stderrTail.length() - 10_000);
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    public String stderr() {
        synchronized (stderrTail) {
            return stderrTail.toString();
        }
    }

    private void awaitReady(Duration timeout) {
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " peer did not become ready: " + e + "\n" + stderr(), e);
        }
    }

    public JsonNode readyLine() {
        return ready.join();
    }

    public String peerId() {
        return readyLine().get("peerId").asText();
    }

    /** The first listen address, with /p2p/. */
    public String addr() {
        return readyLine().get("addrs").get(0).asText();
    }

    public static ObjectNode cmd(String cmd) {
        return JSON.createObjectNode().put("cmd", cmd);
    }

    /** Sends a command; the future completes with the response line (ok or not). */
    public CompletableFuture<JsonNode> send(ObjectNode cmd) {
        long id = nextId.getAndIncrement();
        cmd.put("id", id);
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        try {
            synchronized (stdin) {
                stdin.write((JSON.writeValueAsString(cmd) + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
        } catch (IOException e) {
            pending.remove(id);
            f.completeExceptionally(e);
        }
        return f;
    }

    /** Sends a command and waits for a response with ok:true; fails with the error otherwise. */
    public JsonNode call(ObjectNode cmd, Duration timeout) {
        JsonNode r;
        try {
            r = send(cmd).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(name + " peer: no answer to " + cmd + " within " + timeout + "\n" + stderr());
        } catch (Exception e) {
            throw new AssertionError(name + " peer: " + cmd + " failed: " + e + "\n" + stderr(), e);
        }
        if (!r.path("ok").asBoolean()) throw new AssertionError(name + " peer: " + cmd + " answered " + r + "\n" + stderr());
        return r;
    }

    public JsonNode call(ObjectNode cmd) {
        return call(cmd, Duration.ofSeconds(60));
    }

    /** Waits for an event matching {@code match} (events seen earlier count too). */
    public JsonNode awaitEvent(Predicate<JsonNode> match, Duration timeout) {
        synchronized (seenEvents) {
            for (JsonNode e : seenEvents) if (match.test(e)) return e;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError(name + " peer: expected event not seen within " + timeout + "\n" + stderr());
                JsonNode e = events.poll(left, TimeUnit.NANOSECONDS);
                if (e != null && match.test(e)) return e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Every event seen so far that matches. */
    public List<JsonNode> events(Predicate<JsonNode> match) {
        synchronized (seenEvents) {
            return seenEvents.stream().filter(match).toList();
        }
    }

    /** Closes the peer's stdin, as a harness that goes away would. */
    public void closeStdin() throws IOException {
        synchronized (stdin) {
            stdin.close();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process at once (SIGKILL), as a crashing peer would vanish. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            send(cmd("stop"));
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
