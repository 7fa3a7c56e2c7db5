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
        assertThat(loaded).extracting(ClassLoadLog.Loaded::ofTheCode).containsExactly(true, false, false, true);
        assertThat(ClassLoadLog.describeWindow(loaded, 5)).isEqualTo(
                "generated: 2 classes of 1 kinds (at most 2 of one kind): java.lang.invoke.LambdaForm$MH x2; of the code: 2 classes");
        assertThat(ClassLoadLog.option(dir)).isEqualTo("-Xlog:class+load=info:file=" + dir.resolve("classload-%p.log") + ":utctime,level,tags");
    }

    /**
     * The code's classes are counted once per name: the same name loaded again (another loader,
     * as a class-loader leak does) is generated, as are hidden classes other than lambdas.
     */
    @Test
    void theCodesClassesAreToldFromGeneratedOnes(@TempDir Path dir) throws Exception {
        // name, source, of the code: one row a second from 15:00:00
        String[][] rows = {
            {"io.ggen.A", "file:/ggen.jar", "true"},
            {"io.ggen.A", "file:/ggen.jar", "false"}, // the same name again: another loader
            {"jdk.proxy1.$Proxy12", "jdk.proxy1", "false"},
            {"java.lang.invoke.LambdaForm$DMH/0x800000001", "shared objects file", "false"},
            {"io.ggen.B$$Lambda/0x000000004a398e20", "io.ggen.B", "true"},
            {"org.sqlite.JDBC", "jar:file:/lib/sqlite-jdbc.jar!/", "true"},
            {"java.util.HashMap", "shared objects file", "true"},
            {"io.ggen.Hidden/0x000000004a39c000", "io.ggen.Hidden", "false"},
        };
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < rows.length; i++) {
            text.append(String.format(java.util.Locale.ROOT, "[2026-12-05T15:00:%02d.000+0000][info][class,load] %s source: %s%n", i, rows[i][0], rows[i][1]));
        }
        Path log = ClassLoadLog.of(dir, 7);
        Files.writeString(log, text);
        List<ClassLoadLog.Loaded> all = ClassLoadLog.read(log);
        assertThat(all).extracting(ClassLoadLog.Loaded::ofTheCode).containsExactly(java.util.Arrays.stream(rows).map(r -> Boolean.parseBoolean(r[2])).toArray(Boolean[]::new));
        long[] times = ClassLoadLog.loadsOfTheCode(all);
        assertThat(times).hasSize(4);
        assertThat(ClassLoadLog.countUpTo(times, Instant.parse("2026-12-05T14:59:59Z").toEpochMilli())).isZero();
        assertThat(ClassLoadLog.countUpTo(times, Instant.parse("2026-12-05T15:00:04Z").toEpochMilli())).isEqualTo(2);
        assertThat(ClassLoadLog.countUpTo(times, Instant.parse("2026-12-05T16:00:00Z").toEpochMilli())).isEqualTo(4);

        com.fasterxml.jackson.databind.node.ArrayNode samples = io.ggen.cli.testing.Ggen.JSON.createArrayNode();
        samples.addObject().put("minute", 1).putArray("nodes").addObject().put("node", "n0").put("pid", 7).put("classes", 100)
                .put("classes_at", Instant.parse("2026-12-05T15:00:05.500Z").toEpochMilli());
        samples.addObject().put("minute", 2).putArray("nodes").addObject().put("node", "n1").put("pid", 8).put("classes", 100).put("classes_at", 1L);
        List<String> problems = new java.util.ArrayList<>();
        ClassLoadLog.markLoadsOfTheCode(samples, dir, problems);
        assertThat(samples.get(0).path("nodes").get(0).path("classes_of_the_code").asInt()).isEqualTo(3);
        assertThat(samples.get(1).path("nodes").get(0).has("classes_of_the_code")).isFalse();
        assertThat(problems).containsExactly("no class-load log for process 8");
    }

    /**
     * A real JVM, with the soak's option, spinning 200 hidden classes and keeping them (a leak's
     * shape), beside classes of its code: the hidden ones are generated, each of the code's once.
     */
    @Test
    void aJvmThatSpinsHiddenClassesIsSeenGenerating(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, ClassLoadLog.option(dir), "-cp", System.getProperty("java.class.path"), HiddenClassSpinner.class.getName(), "200")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the spinner exited").isTrue();
        assertThat(p.exitValue()).isZero();
        List<ClassLoadLog.Loaded> all = ClassLoadLog.read(ClassLoadLog.of(dir, p.pid()));
        String spun = HiddenClassSpinner.Template.class.getName();
        assertThat(all.stream().filter(l -> l.name().startsWith(spun + "/0x"))).hasSize(200).allMatch(l -> !l.ofTheCode());
        assertThat(all.stream().filter(l -> l.name().equals(HiddenClassSpinner.class.getName()))).singleElement().matches(ClassLoadLog.Loaded::ofTheCode);
        assertThat(all.stream().filter(l -> l.name().equals("java.lang.Object"))).singleElement().matches(ClassLoadLog.Loaded::ofTheCode);
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
