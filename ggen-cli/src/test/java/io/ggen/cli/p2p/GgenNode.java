package io.ggen.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Real {@code ggen} processes (the shaded jar) with their own GGEN_HOME: a foreground node whose
 * stdout lines are queued, and one-shot commands. End-to-end tests drive the product as a user.
 */
final class GgenNode implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The result of a command that ran to completion. */
    record Result(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    final Path home;
    final Process process;
    final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final CompletableFuture<String> stderr = new CompletableFuture<>();

    private GgenNode(Path home, Process process) {
        this.home = home;
        this.process = process;
    }

    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static String jar() {
        String jar = System.getProperty("ggen.jar");
        if (jar == null) throw new IllegalStateException("system property ggen.jar is not set (run through failsafe)");
        return jar;
    }

    /** Starts a long-running command (a foreground node) and queues its stdout lines. */
    static GgenNode start(Path home, Map<String, String> env, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args));
        pb.environment().put("GGEN_HOME", home.toString());
        pb.environment().remove("GGEN_DEBUG");
        // Dozens of nodes start in these tests on two cores: the gossip warm-up is left to StartCommandIT.
        pb.environment().put("GGEN_P2P_WARMUP", "0");
        pb.environment().putAll(env);
        GgenNode n = new GgenNode(home, pb.start());
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(n.process.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) n.lines.add(l);
            } catch (IOException ignored) {
                // process ended
            }
        });
        Thread.ofPlatform().daemon().start(() -> {
            try {
                n.stderr.complete(new String(n.process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                n.stderr.complete("");
            }
        });
        return n;
    }

    /** Runs a command to completion (at most 120 s). */
    static Result run(Path home, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ggen-out", ".txt");
        Path err = Files.createTempFile("ggen-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command(args)).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("GGEN_HOME", home.toString());
            pb.environment().remove("GGEN_DEBUG");
        // Dozens of nodes start in these tests on two cores: the gossip warm-up is left to StartCommandIT.
        pb.environment().put("GGEN_P2P_WARMUP", "0");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("ggen " + String.join(" ", args) + " did not finish in 120 s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Result run(Path home, String... args) throws IOException, InterruptedException {
        return run(home, Map.of(), args);
    }

    /** Waits for a stdout line starting with {@code prefix} (60 s at most) and returns it. */
    String awaitLine(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String l = lines.poll(1, TimeUnit.SECONDS);
            if (l != null && l.startsWith(prefix)) return l;
            if (l == null && !process.isAlive() && lines.isEmpty()) break;
        }
        throw new AssertionError("no line starting with '" + prefix + "'; stderr: " + stderr.getNow("(running)"));
    }

    /** Starts a foreground node on loopback and waits until it says it is ready; returns its first address. */
    static GgenNode startReady(Path home, String... extraArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("marketplace", "p2p", "start", "--listen", "/ip4/127.0.0.1/tcp/0"));
        args.addAll(List.of(extraArgs));
        GgenNode n = start(home, Map.of(), args.toArray(String[]::new));
        n.peerId = n.awaitLine("Peer ID: ").substring("Peer ID: ".length()).trim();
        n.awaitLine("Listening on:");
        n.addr = n.awaitLine("  /ip4/127.0.0.1/tcp/").trim();
        n.awaitLine("Node ready");
        return n;
    }

    String peerId;
    String addr;

    int exit() throws InterruptedException {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process exits").isTrue();
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
