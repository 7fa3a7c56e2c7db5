package io.ggen.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parsers of the soak's diagnostic commands, on output of JDK 25's serial GC and NMT. */
class JvmProbeTest {
    @Test
    void heapInfoSumsTheGenerations() {
        String out = """
                5288:
                DefNew     total 2432K, used 2269K [0x00000000c0000000, 0x00000000c02a0000, 0x00000000d5550000)
                 eden space 2176K,  92% used [0x00000000c0000000, 0x00000000c01f7730, 0x00000000c0220000)
                 from space 256K, 100% used [0x00000000c0260000, 0x00000000c02a0000, 0x00000000c02a0000)
                 to   space 256K,   0% used [0x00000000c0220000, 0x00000000c0220000, 0x00000000c0260000)
                Tenured    total 5504K, used 5428K [0x00000000d5550000, 0x00000000d5ab0000, 0x0000000100000000)
                 the  space 5504K,  98% used [0x00000000d5550000, 0x00000000d5a9d200, 0x00000000d5ab0000)
                """;
        assertThat(JvmProbe.heap(out)).isEqualTo(new JvmProbe.Heap(2269 + 5428, 2432 + 5504));
        assertThatThrownBy(() -> JvmProbe.heap("12:\nsomething else\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nativeMemoryGivesCommittedByCategoryAndMetaspaceInUse() {
        String out = """
                5288:

                Native Memory Tracking:

                Total: reserved=2457161KB, committed=53669KB
                       malloc: 13625KB #45522, peak=12825KB #45524

                -                 Java Heap (reserved=1048576KB, committed=8192KB)
                                            (mmap: reserved=1048576KB, committed=8192KB, at peak)

                -                     Class (reserved=1048809KB, committed=1449KB)
                                            (classes #6490)
                                            (  instance classes #6100, array classes #390)
                                            (  Metadata:   )
                                            (    reserved=65536KB, committed=8256KB)
                                            (    used=8136KB)
                                            (  Class space:)
                                            (    reserved=1048576KB, committed=1216KB)
                                            (    used=1126KB)

                -                     Other (reserved=10KB, committed=10KB)
                -    Native Memory Tracking (reserved=808KB, committed=808KB)
                """;
        Map<String, Long> nmt = JvmProbe.nativeMemory(out);
        assertThat(nmt).containsEntry("Total", 53669L).containsEntry("Java Heap", 8192L).containsEntry("Class", 1449L).containsEntry("Other", 10L)
                .containsEntry("Native Memory Tracking", 808L).containsEntry("Metaspace used", 8136L + 1126L).containsEntry("Classes", 6490L)
                .containsEntry("Instance classes", 6100L);
        assertThatThrownBy(() -> JvmProbe.nativeMemory("Native memory tracking is not enabled")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void perfCountersAreReadFromARunningJvm() throws Exception {
        Map<String, Long> c = JvmProbe.perfCounters(ProcessHandle.current().pid(), List.of("sun.ci.totalCompiles", "java.cls.loadedClasses", "no.such.counter"));
        assertThat(c).containsOnlyKeys("sun.ci.totalCompiles", "java.cls.loadedClasses");
        assertThat(c.get("java.cls.loadedClasses")).isPositive();
    }

    @Test
    void histogramMergesHiddenClassesAndKeepsTheTotal() {
        String out = """
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         15393         757880  [B (java.base@25.0.3)
                   2:             3             48  io.ggen.X$$Lambda/0x00007f0001 (io.ggen)
                   3:             2             32  io.ggen.X$$Lambda/0x00007f0002 (io.ggen)
                Total         15398         757960
                """;
        Map<String, JvmProbe.ClassCount> h = JvmProbe.histogram(out);
        assertThat(h).containsEntry("[B", new JvmProbe.ClassCount(15393, 757880)).containsEntry("io.ggen.X$$Lambda", new JvmProbe.ClassCount(5, 80))
                .containsEntry("Total", new JvmProbe.ClassCount(15398, 757960));
    }

    @Test
    void slopeIsTheLeastSquaresLine() {
        assertThat(MemoryWatch.slope(List.of(new double[] {0, 10}, new double[] {1, 12}, new double[] {2, 14}))).isEqualTo(2.0);
        assertThat(MemoryWatch.slope(List.of(new double[] {0, 5}, new double[] {1, 7}, new double[] {2, 5}))).isEqualTo(0.0);
        assertThat(MemoryWatch.slope(List.of(new double[] {3, 5}))).isNaN();
    }

    /** Packs published by {@code minute} when 8 a minute are published in every other 5 minutes. */
    private static int packsBy(int minute) {
        int packs = 0;
        for (int m = 0; m < minute; m++) if (SoakScenario.publishingPhase(m * 60_000L)) packs += 8;
        return packs;
    }

    @Test
    void theFitSplitsGrowthPerPackFromGrowthWithTime() {
        List<double[]> pts = new java.util.ArrayList<>();
        for (int minute = 10; minute <= 30; minute++) pts.add(new double[] {minute, packsBy(minute), 20_000 + 3.0 * minute + 7.0 * packsBy(minute)});
        MemoryWatch.Fit f = MemoryWatch.fit(pts);
        assertThat(f.perMinute()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(f.perPack()).isCloseTo(7.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Math.abs(f.correlation())).isLessThan(MemoryWatch.MAX_SEPARABLE_CORRELATION);
        // Packs at a steady rate: time and packs cannot be told apart.
        List<double[]> steady = new java.util.ArrayList<>();
        for (int minute = 10; minute <= 30; minute++) steady.add(new double[] {minute, 4 * minute, 20_000 + 50.0 * minute});
        assertThat(MemoryWatch.fit(steady).perMinute()).isNaN();
    }

    @Test
    void flatnessJudgesEachNodesSlopeOverTheLastTwentyMinutes() {
        com.fasterxml.jackson.databind.node.ArrayNode samples = io.ggen.cli.testing.Ggen.JSON.createArrayNode();
        for (int minute = 3; minute <= 30; minute++) {
            int packs = packsBy(minute);
            com.fasterxml.jackson.databind.node.ArrayNode nodes = samples.addObject().put("minute", minute).putArray("nodes");
            // n1: live heap flat; n3: live heap +100 KiB a minute; n2: not collected every minute, RSS rising;
            // n5: 10 KiB per pack published (within the limit); n7: 40 KiB per pack (over it)
            nodes.addObject().put("node", "n1").put("pid", 11).put("threads", 30).put("fds", 40).put("rss_kib", 120_000).put("packs_published", packs)
                    .put("metaspace_used_kib", 30_000).put("classes", 6800).put("live_heap_kib", 20_000 + (minute % 2) * 500).put("live_heap_every_minute", true);
            nodes.addObject().put("node", "n3").put("pid", 13).put("threads", 30).put("fds", 40).put("rss_kib", 120_000).put("packs_published", packs)
                    .put("metaspace_used_kib", 30_000).put("classes", 6800).put("live_heap_kib", 20_000 + minute * 100).put("live_heap_every_minute", true);
            nodes.addObject().put("node", "n2").put("pid", 12).put("threads", 31).put("fds", 41).put("rss_kib", 100_000 + minute * 1000).put("packs_published", packs)
                    .put("metaspace_used_kib", 30_000).put("classes", 6800);
            nodes.addObject().put("node", "n5").put("pid", 15).put("threads", 30).put("fds", 40).put("rss_kib", 120_000).put("packs_published", packs)
                    .put("metaspace_used_kib", 30_000).put("classes", 6800).put("live_heap_kib", 20_000 + packs * 10 + (minute % 3) * 40).put("live_heap_every_minute", true);
            nodes.addObject().put("node", "n7").put("pid", 17).put("threads", 30).put("fds", 40).put("rss_kib", 120_000).put("packs_published", packs)
                    .put("metaspace_used_kib", 30_000).put("classes", 6800).put("live_heap_kib", 20_000 + packs * 40).put("live_heap_every_minute", true);
            // a node replaced at minute 20 is not alive through the window
            if (minute >= 20) nodes.addObject().put("node", "n4").put("pid", 14).put("threads", 30).put("fds", 40).put("rss_kib", 1).put("packs_published", packs)
                    .put("metaspace_used_kib", 1).put("classes", 1).put("live_heap_kib", minute * 10_000).put("live_heap_every_minute", true);
            // nor one killed at minute 10.2 and back (first sampled at minute 11, warming up: classes
            // loading, its heap filling); its earlier incarnation ended at minute 10
            if (minute <= 10 || minute >= 11) nodes.addObject().put("node", "n6").put("pid", minute <= 10 ? 16 : 26).put("threads", 30).put("fds", 40)
                    .put("rss_kib", 120_000).put("packs_published", packs).put("metaspace_used_kib", 30_000)
                    .put("classes", minute <= 10 ? 6800 : 6000 + minute * 20).put("live_heap_kib", minute <= 10 ? 20_000 : 10_000 + minute * 300).put("live_heap_every_minute", true);
            // nor one churned just before minute 10's sample: sampled at the window's first minute,
            // but while starting (150 classes short of its steady count, its heap still filling)
            nodes.addObject().put("node", "n8").put("pid", minute < 10 ? 18 : 28).put("threads", 30).put("fds", 40)
                    .put("rss_kib", 120_000).put("packs_published", packs).put("metaspace_used_kib", 30_000)
                    .put("classes", minute == 10 ? 6650 : 6800).put("live_heap_kib", minute == 10 ? 12_000 : 20_000).put("live_heap_every_minute", true);
        }
        com.fasterxml.jackson.databind.node.ObjectNode f = new MemoryWatch(16).flatness(samples);
        assertThat(f.path("window_from_minute").asInt()).isEqualTo(10);
        assertThat(f.path("nodes_through_window").asInt()).isEqualTo(5);
        assertThat(f.path("verdict").asText()).startsWith("NOT flat (2 breaches)");
        assertThat(f.path("breaches").toString()).contains("live heap of n3#13 grew 100.0 KiB a minute beyond its data")
                .contains("live heap of n7#17 kept 40.0 KiB per pack published");
        assertThat(f.path("live_heap_fit").path("nodes").asInt()).isEqualTo(4);
        assertThat(f.path("slopes_per_minute").path("live_heap_kib").path("nodes").asInt()).isEqualTo(4);
        assertThat(f.path("slopes_per_minute").path("rss_kib").path("max").asDouble()).isEqualTo(1000.0);
        assertThat(MemoryWatch.describe(f, new MemoryWatch(16).growers())).contains("NOT flat").contains("live heap fit, 4 nodes");
    }

    /**
     * The class rule judges the running peak of generated classes: the JDK's method-handle forms
     * unloaded by a full collection and spun again, and the first runs of the code's classes, pass;
     * a kind spun again and again, and a raw count that rises without a class-load log, do not.
     */
    @Test
    void theClassRuleJudgesTheRunningPeakOfGeneratedClasses() {
        com.fasterxml.jackson.databind.node.ArrayNode samples = io.ggen.cli.testing.Ggen.JSON.createArrayNode();
        for (int minute = 3; minute <= 30; minute++) {
            com.fasterxml.jackson.databind.node.ArrayNode nodes = samples.addObject().put("minute", minute).putArray("nodes");
            // g1: 40 forms unloaded at minute 12, spun again at 2 a minute from minute 14 (back to its peak by 34)
            int g1 = minute < 12 ? 6800 : minute < 14 ? 6760 : 6760 + 2 * (minute - 14);
            // g2: rises 2 a minute, all of it the code's classes run for the first time
            // g3: rises 2 a minute, all of it generated (a leak)
            // g4: rises 2 a minute, no class-load log
            node(nodes, "g1", 31, minute).put("classes", g1).put("classes_at", minute * 60_000L).put("classes_of_the_code", 5000);
            node(nodes, "g2", 32, minute).put("classes", 6800 + 2 * minute).put("classes_at", minute * 60_000L).put("classes_of_the_code", 5000 + 2 * minute);
            node(nodes, "g3", 33, minute).put("classes", 6800 + 2 * minute).put("classes_at", minute * 60_000L).put("classes_of_the_code", 5000);
            node(nodes, "g4", 34, minute).put("classes", 6800 + 2 * minute);
            // g5: rises 2 a minute in array classes (the log has none: created on first use), instance classes flat
            node(nodes, "g5", 35, minute).put("classes", 6800 + 2 * minute).put("instance_classes", 6400).put("classes_at", minute * 60_000L).put("classes_of_the_code", 5000);
        }
        com.fasterxml.jackson.databind.node.ObjectNode f = new MemoryWatch(16).flatness(samples);
        assertThat(f.path("verdict").asText()).startsWith("NOT flat (2 breaches)");
        assertThat(f.path("classes_breached")).extracting(com.fasterxml.jackson.databind.JsonNode::asText).containsExactlyInAnyOrder("g3#33", "g4#34");
        // the raw count of g1 and g2 rose in the window, and is reported, not judged
        assertThat(f.path("slopes_per_minute").path("classes").path("max").asDouble()).isGreaterThan(1.0);
        assertThat(f.path("slopes_per_minute").path("classes").has("limit")).isFalse();
        assertThat(f.path("slopes_per_minute").path(MemoryWatch.GENERATED_CLASSES).path("limit").asDouble()).isEqualTo(1.0);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode node(com.fasterxml.jackson.databind.node.ArrayNode nodes, String name, int pid, int minute) {
        return nodes.addObject().put("node", name).put("pid", pid).put("threads", 30).put("fds", 40).put("rss_kib", 120_000).put("packs_published", packsBy(minute))
                .put("metaspace_used_kib", 30_000).put("live_heap_kib", 20_000 + (minute % 3) * 100).put("live_heap_every_minute", true);
    }

    @Test
    void aSteadyPublishRateLeavesTheLiveHeapUnjudgedAsFlat() {
        com.fasterxml.jackson.databind.node.ArrayNode samples = io.ggen.cli.testing.Ggen.JSON.createArrayNode();
        for (int minute = 3; minute <= 30; minute++) {
            samples.addObject().put("minute", minute).putArray("nodes").addObject().put("node", "n1").put("pid", 11).put("threads", 30).put("fds", 40)
                    .put("rss_kib", 120_000).put("packs_published", 4 * minute).put("metaspace_used_kib", 30_000).put("classes", 6800).put("live_heap_kib", 20_000)
                    .put("live_heap_every_minute", true);
        }
        com.fasterxml.jackson.databind.node.ObjectNode f = new MemoryWatch(16).flatness(samples);
        assertThat(f.path("verdict").asText()).isNotEqualTo("flat");
        assertThat(f.path("breaches").toString()).contains("did not vary apart");
    }
}
