package io.ggen.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The table assembly of {@code bench/run} ({@code bench/suite-table.mjs}) on canned inputs, by
 * its own node tests ({@code bench/test/}): part of every build, while the benchmarks themselves
 * are not (they take minutes to an hour).
 */
class SuiteTableTest {
    @Test
    void theSuiteTableIsAssembledFromCannedInputs() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("bench/suite-table.mjs")).exists();
        Path log = Files.createTempFile("suite-table", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder("node", "--test", "bench/test/").directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // the JVM running this build: bench/test/jit-seconds.test.mjs reads a real JVM's compiler threads
            ProcessHandle.current().info().command().ifPresent(java -> pb.environment().put("JAVA_BIN", java));
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("node --test bench/test/ did not finish within 120 s:\n" + Files.readString(log));
            }
            String out = Files.readString(log);
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("# fail 0").containsPattern("# pass [1-9]");
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
