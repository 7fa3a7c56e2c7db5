package io.ggen.cli.testing;

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
 * The end-to-end tests' user: runs the real {@code ggen} command (the shaded jar that failsafe
 * names in {@code ggen.jar}) with its own data directory ({@code GGEN_HOME}) and working
 * directory, either to completion ({@link #run}) or as a long-running process whose output is
 * read line by line ({@link #start}, {@link #startNode}). The one harness of every *IT.
 */
public final class Ggen {
    public static final ObjectMapper JSON = new ObjectMapper();
    /** Client commands on two cores: C1 alone starts faster; the node's own JIT is tested by StartCommandIT. */
    static final List<String> TEST_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    static final long RUN_LIMIT_SECONDS = 120;

    /** The result of a command that ran to completion. */
    public record Result(int exit, String out, String err) {
        public JsonNode json() {
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

    public final Path home;
    public final Path workDir;
    private final Path logs;
    private final List<String> jvmOptions;
    private final Map<String, String> env;
    private int counter;

    private Ggen(Path home, Path workDir, Path logs, List<String> jvmOptions, Map<String, String> env) throws IOException {
        this.home = Files.createDirectories(home);
        this.workDir = Files.createDirectories(workDir);
        this.logs = Files.createDirectories(logs);
        this.jvmOptions = List.copyOf(jvmOptions);
        this.env = Map.copyOf(env);
    }

    /** A user whose data directory is {@code home}, working in {@code home}'s parent. */
    public static Ggen at(Path home) throws IOException {
        Path logs = Files.createTempDirectory("ggen-it-logs");
        logs.toFile().deleteOnExit();
        return new Ggen(home, home.toAbsolutePath().getParent(), logs, TEST_JVM_OPTIONS, Map.of());
    }

    /** A user with {@code root/ggen-home} as data directory and {@code root/work} as working directory. */
    public static Ggen in(Path root) throws IOException {
        return new Ggen(root.resolve("ggen-home"), root.resolve("work"), root.resolve("logs"), TEST_JVM_OPTIONS, Map.of());
    }

    /** The same user with the JVM options and environment a user's own launcher would give (no test shortcuts). */
    public Ggen asReleased(List<String> jvmOptions, Map<String, String> extraEnv) throws IOException {
        return new Ggen(home, workDir, logs, jvmOptions, extraEnv);
    }

    /** The same user with {@code extraEnv} added to every command's environment (a test hook such as GGEN_CRASH_POINT). */
    public Ggen withEnv(Map<String, String> extraEnv) throws IOException {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putAll(extraEnv);
        Ggen g = new Ggen(home, workDir, logs, jvmOptions, all);
        g.netns = netns;
        return g;
    }

    /** Runs this user's commands inside network namespace {@code ns} ({@code ip netns exec}), as the NAT lab does. */
    public Ggen inNetns(String ns) throws IOException {
        Ggen g = new Ggen(home, workDir, logs, jvmOptions, env);
        g.netns = ns;
        return g;
    }

    private String netns;

    /** The command line of {@code ggen args...} on this JVM. */
    List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        if (netns != null) cmd.addAll(List.of("ip", "netns", "exec", netns));
        // A shell starts background jobs with SIGINT ignored, and a JVM that inherits it ignored
        // never handles it: run from such a job, the tests' Ctrl-C (kill -INT) would do nothing.
        // env resets it, so each ggen process meets SIGINT as it does under a terminal.
        cmd.addAll(List.of("env", "--default-signal=INT"));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static String jar() {
        String jar = System.getProperty("ggen.jar");
        if (jar == null) throw new IllegalStateException("system property ggen.jar is not set (run through failsafe)");
        return jar;
    }

    /**
     * A process builder for {@code ggen args...} whose stdout and stderr go to numbered files
     * ({@link #lastErr} names the newest stderr file).
     */
    public ProcessBuilder builder(Map<String, String> extraEnv, String... args) {
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(workDir.toFile());
        environment(pb, extraEnv);
        int n = ++counter;
        pb.redirectOutput(logs.resolve(n + ".out").toFile());
        pb.redirectError(logs.resolve(n + ".err").toFile());
        return pb;
    }

    private void environment(ProcessBuilder pb, Map<String, String> extraEnv) {
        pb.environment().put("GGEN_HOME", home.toString());
        pb.environment().remove("GGEN_DEBUG");
        // Dozens of nodes start in these tests on two cores: the gossip warm-up is left to StartCommandIT.
        pb.environment().put("GGEN_P2P_WARMUP", "0");
        // Test nodes find each other only as their test says, never by mDNS across tests.
        pb.environment().put("GGEN_P2P_MDNS", "false");
        // Nor do they ask the machine's router for a port; PortMappingIT turns it on in its lab.
        pb.environment().put("GGEN_P2P_PORT_MAPPING", "false");
        pb.environment().putAll(env);
        pb.environment().putAll(extraEnv);
    }

    public Path lastErr() {
        return logs.resolve(counter + ".err");
    }

    /** The stdout file of the newest {@link #builder} process. */
    public Path lastOut() {
        return logs.resolve(counter + ".out");
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    /** Runs {@code ggen args...} to completion ({@value #RUN_LIMIT_SECONDS} s at most). */
    public Result run(Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = builder(extraEnv, args);
        int n = counter;
        Process p = pb.start();
        if (!p.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ggen " + String.join(" ", args) + " did not finish in " + RUN_LIMIT_SECONDS + " s");
        }
        Path out = logs.resolve(n + ".out");
        Path err = logs.resolve(n + ".err");
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** Starts a long-running command (a foreground node, say) whose stdout lines are queued. */
    public Running start(Map<String, String> extraEnv, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(workDir.toFile());
        environment(pb, extraEnv);
        return new Running(home, pb.start());
    }

    /** Starts a foreground node on loopback and waits until it says it is ready. */
    public Running startNode(String... extraArgs) throws Exception {
        return startNode(List.of(), extraArgs);
    }

    /**
     * Starts a foreground node like {@link #startNode(String...)}, its process unable to write a
     * file larger than {@code kib} KiB ({@code ulimit -f}; the JVM ignores SIGXFSZ, so such a write
     * fails with "File too large"): a full disk, as far as a download is concerned.
     */
    public Running startNodeWithFileSizeLimit(long kib, String... extraArgs) throws Exception {
        return startNode(List.of("bash", "-c", "ulimit -f " + kib + " && exec \"$@\"", "bash"), extraArgs);
    }

    private Running startNode(List<String> wrapper, String... extraArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("marketplace", "p2p", "start", "--listen", "/ip4/127.0.0.1/tcp/0"));
        args.addAll(List.of(extraArgs));
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(command(args.toArray(String[]::new)));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        environment(pb, Map.of());
        Running n = new Running(home, pb.start());
        n.peerId = n.awaitLine("Peer ID: ").substring("Peer ID: ".length()).trim();
        n.awaitLine("Listening on:");
        n.addr = n.awaitLine("  /ip4/127.0.0.1/tcp/").trim();
        n.awaitLine("Node ready");
        return n;
    }

    /** A running {@code ggen} process: its stdout as a queue of lines, its stderr once it ends. */
    public static final class Running implements AutoCloseable {
        public final Path home;
        public final Process process;
        public final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        public final CompletableFuture<String> stderr = new CompletableFuture<>();
        /** What the process wrote to stderr so far (the whole of it is {@link #stderr} once it ended). */
        private final StringBuffer stderrSoFar = new StringBuffer();
        /** Set by {@link Ggen#startNode}: the node's peer id and first loopback address. */
        public String peerId;
        public String addr;

        Running(Path home, Process process) {
            this.home = home;
            this.process = process;
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) lines.add(l);
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) stderrSoFar.append(l).append('\n');
                } catch (IOException ignored) {
                    // the process ended
                }
                stderr.complete(stderrSoFar.toString());
            });
        }

        /** Waits for a stdout line starting with {@code prefix} (60 s at most) and returns it. */
        public String awaitLine(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                String l = lines.poll(1, TimeUnit.SECONDS);
                if (l != null && l.startsWith(prefix)) return l;
                if (l == null && !process.isAlive() && lines.isEmpty()) break;
            }
            throw new AssertionError("no line starting with '" + prefix + "'; stderr: " + stderr.getNow("(running)"));
        }

        public String stderrSoFar() {
            return stderrSoFar.toString();
        }

        public int exit() throws InterruptedException {
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
}
