package io.ggen.cli.marketplace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real ggen command (the shaded jar) with its own GGEN_HOME, as a user would. */
final class Ggen {
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    final Path home;
    final Path workDir;
    private final Path logs;
    private int counter;

    Ggen(Path root) throws IOException {
        this.home = Files.createDirectories(root.resolve("ggen-home"));
        this.workDir = Files.createDirectories(root.resolve("work"));
        this.logs = Files.createDirectories(root.resolve("logs"));
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String jar() {
        String jar = System.getProperty("ggen.jar");
        if (jar == null) throw new IllegalStateException("system property ggen.jar is not set (run through failsafe)");
        return jar;
    }

    ProcessBuilder builder(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-jar", jar()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().put("GGEN_HOME", home.toString());
        pb.environment().remove("GGEN_DEBUG");
        // Dozens of nodes start in these tests on two cores: the gossip warm-up is left to StartCommandIT.
        pb.environment().put("GGEN_P2P_WARMUP", "0");
        pb.environment().putAll(env);
        int n = ++counter;
        pb.redirectOutput(logs.resolve(n + ".out").toFile());
        pb.redirectError(logs.resolve(n + ".err").toFile());
        return pb;
    }

    Path lastErr() {
        return logs.resolve(counter + ".err");
    }

    Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = builder(env, args);
        int n = counter;
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ggen " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Result(p.exitValue(), Files.readString(logs.resolve(n + ".out")), Files.readString(logs.resolve(n + ".err")));
    }
}
