package io.ggen.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassLoadLogTest {
    @Test
    void theClassesLoadedInAWindowAreReadFromALogWrittenWithTheSoaksOption(@TempDir Path dir) throws Exception {
        Path log = ClassLoadLog.of(dir, 4242);
        Files.writeString(log, String.join("\n",
                "[2026-12-05T15:00:01.000+0000][info][class,load] java.lang.Object source: shared objects file",
                "[2026-12-05T15:10:00.500+0000][info][class,load] io.ggen.p2p.kad.KadDht$$Lambda/0x000000004a398e20 source: io.ggen.p2p.kad.KadDht",
                "[2026-12-05T15:12:00.000+0000][info][class,load] java.lang.invoke.LambdaForm$MH/0x000000004a311000 source: __JVM_LookupDefineClass__",
                "[2026-12-05T15:12:00.001+0000][info][class,load] java.lang.invoke.LambdaForm$MH/0x000000004a39c000 source: __JVM_LookupDefineClass__",
                "[2026-12-05T15:12:00.002+0000][info][class,load] sun.net.ConnectionResetException source: jrt:/java.base",
                "a line cut short by a kill -9 [2026-12",
                "[2026-12-05T15:30:00.000+0000][info][class,load] io.ggen.Late source: file:/ggen.jar",
                ""));

        List<ClassLoadLog.Loaded> loaded = ClassLoadLog.between(log, Instant.parse("2026-12-05T15:10:00Z"), Instant.parse("2026-12-05T15:30:00Z"));

        assertThat(loaded).extracting(ClassLoadLog.Loaded::name).containsExactly("io.ggen.p2p.kad.KadDht$$Lambda/0x000000004a398e20",
                "java.lang.invoke.LambdaForm$MH/0x000000004a311000", "java.lang.invoke.LambdaForm$MH/0x000000004a39c000", "sun.net.ConnectionResetException");
        assertThat(ClassLoadLog.kinds(loaded)).containsExactly(java.util.Map.entry("io.ggen.p2p.kad.KadDht$$Lambda", 1),
                java.util.Map.entry("java.lang.invoke.LambdaForm$MH", 2), java.util.Map.entry("sun.net.ConnectionResetException", 1));
        assertThat(ClassLoadLog.describe(loaded, 2)).isEqualTo(
                "4 classes of 3 kinds (at most 2 of one kind): io.ggen.p2p.kad.KadDht$$Lambda, java.lang.invoke.LambdaForm$MH x2, ... 1 more kinds");
        assertThat(ClassLoadLog.option(dir)).isEqualTo("-Xlog:class+load=info:file=" + dir.resolve("classload-%p.log") + ":utctime,level,tags");
    }

    @Test
    void theJvmWritesTheFormatThatIsRead(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, ClassLoadLog.option(dir), "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("java -version exited").isTrue();
        assertThat(p.exitValue()).isZero();
        Path log = ClassLoadLog.of(dir, p.pid());
        List<ClassLoadLog.Loaded> all = ClassLoadLog.between(log, Instant.EPOCH, Instant.now().plusSeconds(60));
        assertThat(all).isNotEmpty();
        assertThat(all.get(0).name()).isEqualTo("java.lang.Object");
    }
}
