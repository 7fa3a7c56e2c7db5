package io.ggen.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archives as a user gets them: extracted into a temporary folder outside the
 * checkout, bin/ggen runs with a PATH that holds only a few shell tools (no Maven, no java):
 * --version, then a node started in the background, its status, and a stop. The plain archive
 * runs on the JDK in JAVA_HOME, and says in one line what to do when there is none; the
 * linux-x64 archive runs on its own runtime with no JDK anywhere.
 */
class DistIT {
    static final Path DIST = Path.of(System.getProperty("ggen.dist.dir", "target"));
    static final String VERSION = System.getProperty("ggen.version", "0.1.0-SNAPSHOT");
    /** What bin/ggen and the daemon start need from PATH. */
    static final List<String> TOOLS = List.of("bash", "env", "dirname", "readlink", "cat", "sed", "head", "tar", "gzip", "mv", "rm");

    @TempDir
    Path tmp;
    final List<Path> homes = new ArrayList<>();
    Path pathDir;

    record Run(int exit, String out, String err) {}

    /** A PATH directory with the few tools, so neither mvn nor java is on it. */
    Path toolsOnly() throws IOException {
        if (pathDir != null) return pathDir;
        pathDir = Files.createDirectories(tmp.resolve("path"));
        for (String t : TOOLS) {
            for (String dir : List.of("/usr/bin", "/bin")) {
                Path p = Path.of(dir, t);
                if (Files.isExecutable(p)) {
                    // a wrapper rather than a link: the temporary folder is removed link-free
                    Path w = Files.writeString(pathDir.resolve(t), "#!/bin/sh\nexec " + p + " \"$@\"\n");
                    w.toFile().setExecutable(true);
                    break;
                }
            }
        }
        return pathDir;
    }

    Run run(Path cwd, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", toolsOnly().toString());
        pb.environment().put("HOME", tmp.toString());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", cmd));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Each archive is extracted once for the class, as a user would, into a folder of its own. */
    @TempDir
    static Path installs;
    static final Map<String, Path> EXTRACTED = new HashMap<>();

    Path extract(String archive) throws Exception {
        Path done = EXTRACTED.get(archive);
        if (done != null) return done;
        Path file = DIST.resolve(archive);
        assertThat(file).as("built by mvn package").exists();
        Path into = Files.createDirectories(installs.resolve("opt-" + archive.replace(".tar.gz", "")));
        Run r = run(into, Map.of(), "tar", "-xzf", file.toAbsolutePath().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        try (var entries = Files.list(into)) {
            Path root = entries.findFirst().orElseThrow();
            EXTRACTED.put(archive, root);
            return root;
        }
    }

    @AfterEach
    void stopLeftovers() throws Exception {
        // A node a failed assertion left running is stopped through its own pid file.
        for (Path home : homes) {
            Path info = home.resolve("node.json");
            if (!Files.exists(info)) continue;
            String json = Files.readString(info);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"pid\"\\s*:\\s*(\\d+)").matcher(json);
            if (m.find()) ProcessHandle.of(Long.parseLong(m.group(1))).ifPresent(ProcessHandle::destroy);
        }
    }

    /** The JVM archives in a release's lib/ (an AOT cache, or a class-data-sharing archive before JDK 25). */
    static List<String> archives(Path installed) throws Exception {
        try (var files = Files.list(installed.resolve("lib"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".aot") || n.endsWith(".jsa")).toList();
        }
    }

    void versionStartStatusStop(Path installed, Map<String, String> env) throws Exception {
        Path ggen = installed.resolve("bin/ggen");
        Path cwd = Files.createDirectories(tmp.resolve("elsewhere"));
        Run v = run(cwd, env, ggen.toString(), "--version");
        assertThat(v.exit()).as(v.err()).isZero();
        assertThat(v.out().strip()).isEqualTo("ggen " + VERSION);
        // The first short command trained the client commands' JVM archive (lib/launch.sh,
        // lib/jvm-archive.sh), silently; the next use it.
        assertThat(v.err()).isEmpty();
        // named by the release folder, the kind and the runtime
        String release = installed.getFileName().toString();
        assertThat(archives(installed)).anyMatch(n -> n.startsWith(release + "-client-"));
        assertThat(archives(installed)).noneMatch(n -> n.startsWith(release + "-node-"));
        Run again = run(cwd, env, ggen.toString(), "--version");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.err()).isEmpty();

        Path home = tmp.resolve("home-" + installed.getFileName());
        homes.add(home);
        Map<String, String> nodeEnv = new HashMap<>(env);
        nodeEnv.put("GGEN_HOME", home.toString());
        nodeEnv.put("GGEN_P2P_WARMUP", "0");
        Run start = run(cwd, nodeEnv, ggen.toString(), "marketplace", "p2p", "start", "--daemon", "--listen", "/ip4/127.0.0.1/tcp/0");
        assertThat(start.exit()).as(start.out() + start.err()).isZero();
        assertThat(start.out()).contains("P2P node started in the background");
        // start trained the node's own archive, as silently
        assertThat(start.err()).isEmpty();
        assertThat(archives(installed)).anyMatch(n -> n.startsWith(release + "-node-"));
        Run status = run(cwd, nodeEnv, ggen.toString(), "marketplace", "p2p", "status", "--format", "json");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("\"running\" : true").contains("\"version\" : \"" + VERSION + "\"");
        Run stop = run(cwd, nodeEnv, ggen.toString(), "marketplace", "p2p", "stop");
        assertThat(stop.exit()).as(stop.err()).isZero();
        Run after = run(cwd, nodeEnv, ggen.toString(), "marketplace", "p2p", "status");
        assertThat(after.exit()).isNotZero();
    }

    @Test
    void thePlainArchiveRunsOnTheJdkInJavaHomeWithoutMaven() throws Exception {
        Path installed = extract("ggen-" + VERSION + ".tar.gz");
        assertThat(installed.getFileName().toString()).isEqualTo("ggen-" + VERSION);
        for (String f : List.of("bin/ggen", "lib/ggen.jar", "LICENSE", "completions/ggen.bash", "completions/_ggen", "docs/p2p-marketplace-guide.md", "docs/webui-package.png")) {
            assertThat(installed.resolve(f)).as(f).exists();
        }
        assertThat(installed.resolve("runtime")).doesNotExist();
        versionStartStatusStop(installed, Map.of("JAVA_HOME", System.getProperty("java.home"), "GGEN_JVM_DIR", tmp.resolve("no-jvms").toString()));
    }

    @Test
    void theJarHoldsNoClassTooOldForTheJvmArchives() throws Exception {
        // Built with JDK 24 or later, ggen-cli rewrites picocli's Java 5 classes as Java 8 ones
        // (src/build/UpgradeOldClasses.java): a JVM archive cannot hold older classes once linked.
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 24, "built with a JDK older than 24: the jar keeps them");
        Path jar = extract("ggen-" + VERSION + ".tar.gz").resolve("lib/ggen.jar");
        List<String> old = new ArrayList<>();
        int classes = 0;
        try (var zip = new java.util.zip.ZipInputStream(Files.newInputStream(jar))) {
            java.util.zip.ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (!e.getName().endsWith(".class")) continue;
                classes++;
                byte[] head = zip.readNBytes(8);
                int major = ((head[6] & 0xff) << 8) | (head[7] & 0xff);
                if (major < 50) old.add(e.getName() + " (" + major + ")");
            }
        }
        assertThat(classes).isGreaterThan(1000);
        assertThat(old).isEmpty();
    }

    @Test
    void thePlainArchiveWithoutAnyJavaSaysSoOnOneLine() throws Exception {
        Path installed = extract("ggen-" + VERSION + ".tar.gz");
        Run r = run(tmp, Map.of("GGEN_JVM_DIR", Files.createDirectories(tmp.resolve("no-jvms")).toString()), installed.resolve("bin/ggen").toString(), "--version");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("ggen: no JDK 21 or newer found").contains("linux-x64 archive").doesNotContain("\n");
    }

    @Test
    void theLinuxArchiveRunsOnItsOwnRuntimeWithNoJdkAnywhere() throws Exception {
        Path installed = extract("ggen-" + VERSION + "-linux-x64.tar.gz");
        assertThat(installed.resolve("runtime/bin/java")).isExecutable();
        assertThat(installed.resolve("runtime/bin/javac")).doesNotExist();
        versionStartStatusStop(installed, Map.of("GGEN_JVM_DIR", Files.createDirectories(tmp.resolve("no-jvms")).toString()));
    }

    @Test
    void theCompletionScriptsAreTheOnesTheCommandPrints() throws Exception {
        Path installed = extract("ggen-" + VERSION + ".tar.gz");
        Run r = run(tmp, Map.of("JAVA_HOME", System.getProperty("java.home")), installed.resolve("bin/ggen").toString(), "completion", "bash");
        assertThat(r.exit()).isZero();
        assertThat(Files.readString(installed.resolve("completions/ggen.bash"), StandardCharsets.UTF_8)).isEqualTo(r.out());
    }
}
