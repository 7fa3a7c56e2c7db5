package io.ggen.cli.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ggen.cli.testing.Ggen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The soak's memory measurements and its verdict on them.
 *
 * <p>Heap "in use" of a serial-GC JVM says little: its old generation holds dead objects until
 * a full collection, which a 1 GiB heap may not need for an hour, so a rising number can be
 * garbage. What does say something is the heap after a full collection (the live heap). A live
 * histogram ({@code GC.class_histogram}) runs one and counts what survived, by class. Half of
 * the nodes (odd places) get one every minute: their live heap is the series the verdict reads.
 * The other half get one only for the baseline (minute 3) and at the end, so that their RSS shows what
 * the node does left to itself (a full collection a minute also shrinks the heap back).
 *
 * <p>The rule, applied by {@link #flatness}: over the last {@value #WINDOW_MINUTES} minutes of
 * the run (or all of it when shorter), the least-squares slope of each node's series, for every
 * node alive through that window, stays below {@link #LIMITS}: live heap 64 KiB/min (4 packs
 * are published a minute, so that is 16 KiB per pack, more than a node keeps per pack: a
 * release record, its DHT records, a catalog row outside the heap), metaspace in use 16 KiB/min
 * (classes are loaded once), threads 0.1/min and fds 0.5/min (two threads or ten fds over 20
 * minutes). RSS, heap committed and native memory by category are reported with their slopes,
 * not judged: the JIT's code cache and malloc arenas grow for a while in any JVM, and the
 * per-category figures say which part moved.
 */
final class MemoryWatch {
    static final int WINDOW_MINUTES = 20;
    static final Map<String, Double> LIMITS = Map.of("live_heap_kib", 64.0, "metaspace_used_kib", 16.0, "threads", 0.1, "fds", 0.5);
    private static final List<String> METRICS = List.of("live_heap_kib", "metaspace_used_kib", "threads", "fds", "rss_kib", "heap_used_kib",
            "heap_committed_kib", "nmt_total_kib", "nmt_java_heap_kib", "nmt_code_kib", "nmt_thread_kib", "nmt_other_kib", "nmt_arena_chunk_kib",
            "nmt_class_kib", "nmt_metaspace_kib", "nmt_symbol_kib", "nmt_internal_kib", "nmt_gc_kib");
    private static final int MAX_FAILURES_KEPT = 50;

    /** An incarnation of a node (its directory name and its process): a restart is a new one. */
    private record Incarnation(String node, long pid) {
        String key() {
            return node + "#" + pid;
        }
    }

    private final Map<String, Map<String, JvmProbe.ClassCount>> firstHistogram = new LinkedHashMap<>();
    private final Map<String, Integer> firstHistogramMinute = new LinkedHashMap<>();
    private final Map<String, Integer> firstSeen = new LinkedHashMap<>();
    static final int BASELINE_MINUTE = 3;
    private final Map<String, Map<String, JvmProbe.ClassCount>> lastHistogram = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private int failureCount;

    /** Odd places are collected every minute, even places left to themselves. */
    static boolean collectsEveryMinute(int placeIndex) {
        return placeIndex % 2 == 1;
    }

    /**
     * Adds the node's heap and native memory to {@code out}; then, when it is due, a live
     * histogram (its total as {@code live_heap_kib}), the first and the last also written to
     * {@code histogramDir}.
     */
    synchronized void sample(String node, long pid, int minute, boolean everyMinute, boolean last, ObjectNode out, Path histogramDir) throws IOException {
        Incarnation inc = new Incarnation(node, pid);
        JvmProbe.Heap heap = JvmProbe.heap(JvmProbe.jcmd(pid, "GC.heap_info"));
        out.put("heap_used_kib", heap.usedKib()).put("heap_committed_kib", heap.committedKib());
        Map<String, Long> nmt = JvmProbe.nativeMemory(JvmProbe.jcmd(pid, "VM.native_memory summary scale=KB"));
        out.put("metaspace_used_kib", nmt.get("Metaspace used"));
        ObjectNode n = out.putObject("nmt_kib");
        nmt.forEach(n::put);
        // The baseline histogram: past the start-up (minute 3 of the run, and two minutes into a
        // restarted or fresh node's life), so that the diff shows what grows while it serves.
        int seen = firstSeen.computeIfAbsent(inc.key(), k -> minute);
        boolean first = !firstHistogram.containsKey(inc.key()) && minute >= BASELINE_MINUTE && minute >= seen + 2;
        if (!(everyMinute || first || last)) return;
        String text = JvmProbe.jcmd(pid, "GC.class_histogram");
        Map<String, JvmProbe.ClassCount> h = JvmProbe.histogram(text);
        out.put("live_heap_kib", h.get("Total").bytes() >> 10).put("live_heap_every_minute", everyMinute);
        if (first) {
            firstHistogram.put(inc.key(), h);
            firstHistogramMinute.put(inc.key(), minute);
        }
        if (last) lastHistogram.put(inc.key(), h);
        if (first || last) {
            Files.createDirectories(histogramDir);
            Files.writeString(histogramDir.resolve(node + "-" + pid + "-minute" + minute + ".txt"), text);
        }
    }

    synchronized void probeFailed(String what) {
        failureCount++;
        if (failures.size() < MAX_FAILURES_KEPT) failures.add(what);
    }

    synchronized Map<String, Object> probeFailures() {
        return Map.of("count", failureCount, "first", List.copyOf(failures));
    }

    private static double value(JsonNode n, String metric) {
        JsonNode v = switch (metric) {
            case "nmt_total_kib" -> n.path("nmt_kib").path("Total");
            case "nmt_java_heap_kib" -> n.path("nmt_kib").path("Java Heap");
            case "nmt_code_kib" -> n.path("nmt_kib").path("Code");
            case "nmt_thread_kib" -> n.path("nmt_kib").path("Thread");
            case "nmt_other_kib" -> n.path("nmt_kib").path("Other");
            case "nmt_arena_chunk_kib" -> n.path("nmt_kib").path("Arena Chunk");
            case "nmt_class_kib" -> n.path("nmt_kib").path("Class");
            case "nmt_metaspace_kib" -> n.path("nmt_kib").path("Metaspace");
            case "nmt_symbol_kib" -> n.path("nmt_kib").path("Symbol");
            case "nmt_internal_kib" -> n.path("nmt_kib").path("Internal");
            case "nmt_gc_kib" -> n.path("nmt_kib").path("GC");
            case "live_heap_kib" -> n.path("live_heap_every_minute").asBoolean() ? n.path("live_heap_kib") : null;
            default -> n.path(metric);
        };
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    /** Least-squares slope of y over x; NaN with fewer than two distinct x. */
    static double slope(List<double[]> points) {
        int k = points.size();
        if (k < 2) return Double.NaN;
        double mx = 0, my = 0;
        for (double[] p : points) {
            mx += p[0];
            my += p[1];
        }
        mx /= k;
        my /= k;
        double sxy = 0, sxx = 0;
        for (double[] p : points) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    /**
     * The rule of the class comment over {@code samples} (the soak's per-minute samples): per
     * metric, each node's slope over the window and the median and largest of them, and the
     * verdict.
     */
    ObjectNode flatness(ArrayNode samples) {
        ObjectNode out = Ggen.JSON.createObjectNode();
        int lastMinute = -1, firstMinute = Integer.MAX_VALUE;
        for (JsonNode s : samples) {
            lastMinute = Math.max(lastMinute, s.path("minute").asInt());
            firstMinute = Math.min(firstMinute, s.path("minute").asInt());
        }
        if (lastMinute < 0) return out.put("verdict", "not judged: no samples");
        final int from = Math.max(firstMinute, lastMinute - WINDOW_MINUTES), to = lastMinute;
        out.put("window_from_minute", from).put("window_to_minute", lastMinute);
        if (lastMinute - from < 5) return out.put("verdict", "not judged: the window is under 5 minutes");
        // incarnation -> minute-ordered samples within the window
        Map<String, List<JsonNode>> series = new LinkedHashMap<>();
        Map<String, int[]> span = new LinkedHashMap<>();
        for (JsonNode s : samples) {
            int m = s.path("minute").asInt();
            for (JsonNode n : s.path("nodes")) {
                String key = n.path("node").asText() + "#" + n.path("pid").asLong();
                span.computeIfAbsent(key, k -> new int[] {m, m})[1] = m;
                if (m >= from) series.computeIfAbsent(key, k -> new ArrayList<>()).add(((ObjectNode) n.deepCopy()).put("minute", m));
            }
        }
        // Alive through the window: sampled at its start (or before) and at its end.
        List<String> through = series.keySet().stream().filter(k -> span.get(k)[0] <= from + 1 && span.get(k)[1] >= to - 1).toList();
        out.put("nodes_through_window", through.size());
        List<String> breaches = new ArrayList<>();
        ObjectNode metrics = out.putObject("slopes_per_minute");
        for (String metric : METRICS) {
            List<Double> slopes = new ArrayList<>();
            List<Double> firsts = new ArrayList<>(), lasts = new ArrayList<>();
            String worst = null;
            double worstSlope = Double.NEGATIVE_INFINITY;
            for (String key : through) {
                List<double[]> pts = new ArrayList<>();
                for (JsonNode n : series.get(key)) {
                    double v = value(n, metric);
                    if (!Double.isNaN(v)) pts.add(new double[] {n.path("minute").asInt(), v});
                }
                if (pts.size() < 5) continue;
                double sl = slope(pts);
                if (Double.isNaN(sl)) continue;
                slopes.add(sl);
                firsts.add(pts.get(0)[1]);
                lasts.add(pts.get(pts.size() - 1)[1]);
                if (sl > worstSlope) {
                    worstSlope = sl;
                    worst = key;
                }
                Double limit = LIMITS.get(metric);
                if (limit != null && sl >= limit) breaches.add(String.format(Locale.ROOT, "%s of %s rose %.2f a minute (limit %.2f)", metric, key, sl, limit));
            }
            if (slopes.isEmpty()) continue;
            ObjectNode m = metrics.putObject(metric).put("nodes", slopes.size()).put("median", median(slopes)).put("max", worstSlope).put("max_node", worst)
                    .put("median_at_window_start", median(firsts)).put("median_at_window_end", median(lasts));
            if (LIMITS.containsKey(metric)) m.put("limit", LIMITS.get(metric));
        }
        ArrayNode b = out.putArray("breaches");
        breaches.forEach(b::add);
        boolean judged = LIMITS.keySet().stream().allMatch(metrics::has);
        out.put("verdict", !judged ? "not judged: some limited metric had no node with 5 samples through the window"
                : breaches.isEmpty() ? "flat" : "NOT flat (" + breaches.size() + " breaches)");
        return out;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    /**
     * Live-histogram growth from each node's first histogram to its last, for the nodes whose
     * first came within {@value #BASELINE_WITHIN} minutes of the earliest: per node its top
     * growers by bytes, and across nodes each class's median growth and on how many it grew.
     */
    private static final int BASELINE_WITHIN = 3;

    synchronized ObjectNode growers() {
        ObjectNode out = Ggen.JSON.createObjectNode();
        int earliest = firstHistogramMinute.values().stream().min(Integer::compare).orElse(0);
        Map<String, List<long[]>> byClass = new LinkedHashMap<>(); // class -> per node {bytes, instances}
        ArrayNode perNode = out.putArray("per_node");
        int compared = 0;
        for (var e : lastHistogram.entrySet()) {
            Map<String, JvmProbe.ClassCount> a = firstHistogram.get(e.getKey());
            Integer at = firstHistogramMinute.get(e.getKey());
            if (a == null || at == null || at > earliest + BASELINE_WITHIN || a == e.getValue()) continue;
            compared++;
            Map<String, long[]> diff = new LinkedHashMap<>();
            for (var c : e.getValue().entrySet()) {
                JvmProbe.ClassCount before = a.getOrDefault(c.getKey(), new JvmProbe.ClassCount(0, 0));
                diff.put(c.getKey(), new long[] {c.getValue().bytes() - before.bytes(), c.getValue().instances() - before.instances()});
            }
            for (var c : a.entrySet()) diff.putIfAbsent(c.getKey(), new long[] {-c.getValue().bytes(), -c.getValue().instances()});
            ObjectNode node = perNode.addObject().put("node", e.getKey()).put("from_minute", at)
                    .put("live_heap_kib_first", a.get("Total").bytes() >> 10).put("live_heap_kib_last", e.getValue().get("Total").bytes() >> 10);
            ArrayNode top = node.putArray("top");
            diff.entrySet().stream().filter(d -> !d.getKey().equals("Total")).sorted(Comparator.comparingLong(d -> -d.getValue()[0])).limit(10)
                    .forEach(d -> top.addObject().put("class", d.getKey()).put("bytes", d.getValue()[0]).put("instances", d.getValue()[1]));
            for (var d : diff.entrySet()) byClass.computeIfAbsent(d.getKey(), k -> new ArrayList<>()).add(d.getValue());
        }
        out.put("nodes_compared", compared);
        if (compared == 0) return out;
        final int nodes = compared;
        ArrayNode across = out.putArray("across_nodes");
        ToDoubleFunction<List<long[]>> medianBytes = l -> medianOf(l, nodes, 0);
        byClass.entrySet().stream().filter(e -> !e.getKey().equals("Total"))
                .sorted(Comparator.comparingDouble(e -> -medianBytes.applyAsDouble(e.getValue()))).limit(15)
                .forEach(e -> across.addObject().put("class", e.getKey()).put("median_bytes", (long) medianOf(e.getValue(), nodes, 0))
                        .put("median_instances", (long) medianOf(e.getValue(), nodes, 1))
                        .put("grew_on", e.getValue().stream().filter(v -> v[0] > 0).count()).put("of", nodes));
        return out;
    }

    /** Median of field {@code i} over {@code nodes} nodes, a node where the class was absent counting as 0. */
    private static double medianOf(List<long[]> values, int nodes, int i) {
        List<Double> xs = new ArrayList<>();
        for (long[] v : values) xs.add((double) v[i]);
        while (xs.size() < nodes) xs.add(0.0);
        return median(xs);
    }

    /** "min-max" of the live heap (MiB) of the nodes collected every minute in one sample. */
    static String liveHeapRange(JsonNode sample) {
        long min = Long.MAX_VALUE, max = -1;
        for (JsonNode n : sample.path("nodes")) {
            if (!n.path("live_heap_every_minute").asBoolean()) continue;
            long v = n.path("live_heap_kib").asLong() >> 10;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max < 0 ? "-" : min + "-" + max;
    }

    /** The summary's lines for the verdict and the growers. */
    static String describe(JsonNode flatness, JsonNode growers) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "memory and threads, minutes %d-%d, %d nodes alive through it: %s%n", flatness.path("window_from_minute").asInt(),
                flatness.path("window_to_minute").asInt(), flatness.path("nodes_through_window").asInt(), flatness.path("verdict").asText()));
        s.append("  rule: every node's least-squares slope over the window below: live heap (after a full GC) 64 KiB/min, metaspace in use 16 KiB/min, threads 0.1/min, fds 0.5/min\n");
        s.append("  metric                 nodes  slope/min median     max   median at start -> end\n");
        for (var e : flatness.path("slopes_per_minute").properties()) {
            JsonNode m = e.getValue();
            s.append(String.format(Locale.ROOT, "  %-22s %5d %13.2f %9.2f %14.0f -> %.0f%s%n", e.getKey(), m.path("nodes").asInt(), m.path("median").asDouble(),
                    m.path("max").asDouble(), m.path("median_at_window_start").asDouble(), m.path("median_at_window_end").asDouble(),
                    m.has("limit") ? "  (limit " + m.path("limit").asDouble() + ")" : ""));
        }
        for (JsonNode b : flatness.path("breaches")) s.append("  breach: ").append(b.asText()).append('\n');
        s.append(String.format(Locale.ROOT, "live histogram growth, first sample -> end, %d nodes; across nodes (median bytes, instances, grew on):%n",
                growers.path("nodes_compared").asInt()));
        for (JsonNode c : growers.path("across_nodes")) {
            s.append(String.format(Locale.ROOT, "  %+10d B %+8d  %d/%d  %s%n", c.path("median_bytes").asLong(), c.path("median_instances").asLong(),
                    c.path("grew_on").asInt(), c.path("of").asInt(), c.path("class").asText()));
        }
        int shown = 0;
        for (JsonNode n : growers.path("per_node")) {
            if (shown++ == 3) break;
            s.append(String.format(Locale.ROOT, "  node %s (live heap %d -> %d KiB from minute %d), top growers:%n", n.path("node").asText(),
                    n.path("live_heap_kib_first").asLong(), n.path("live_heap_kib_last").asLong(), n.path("from_minute").asInt()));
            int k = 0;
            for (JsonNode c : n.path("top")) {
                if (k++ == 6) break;
                s.append(String.format(Locale.ROOT, "    %+10d B %+8d  %s%n", c.path("bytes").asLong(), c.path("instances").asLong(), c.path("class").asText()));
            }
        }
        return s.toString();
    }
}
