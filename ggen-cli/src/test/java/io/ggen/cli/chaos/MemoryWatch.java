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
 * the run (or all of it when shorter), for every node alive through that window: the
 * least-squares slopes of generated classes (their running peak, 1 a minute; see
 * {@link #GENERATED_CLASSES}), threads (0.1) and fds (0.5) stay below {@link #LIMITS}; and the
 * live heap, fitted as {@code a + b*minute + c*packs published}, keeps at most
 * {@link #LIVE_HEAP_PER_PACK_KIB} KiB per pack ({@code c}: the data a node is meant to keep,
 * bounded by its stores' limits) and grows at most {@link #LIVE_HEAP_BEYOND_DATA_KIB_PER_MIN}
 * KiB a minute beyond it ({@code b}: a leak, or a pool still growing). RSS, heap committed,
 * metaspace and native memory by category are reported with their slopes, not judged: the JIT's
 * code cache, its profiles (in metaspace) and malloc arenas grow for a while in any JVM, and the
 * per-category figures and the JIT's compile count say which part moved.
 */
final class MemoryWatch {
    static final int WINDOW_MINUTES = 20;
    /**
     * Netty's pools' chunks (the adaptive allocator's {@code Chunk}, {@code SizeClassedChunk}
     * and {@code BuddyChunk}; the pooled allocator's {@code PoolChunk}): one instance per chunk
     * of memory a pool holds for the event loops' buffers.
     */
    static final java.util.regex.Pattern NETTY_CHUNK = java.util.regex.Pattern.compile("io\\.netty\\.buffer\\.(AdaptivePoolingAllocator\\$\\w*Chunk|PoolChunk)");

    static long nettyChunks(Map<String, JvmProbe.ClassCount> histogram) {
        long n = 0;
        for (var e : histogram.entrySet()) if (NETTY_CHUNK.matcher(e.getKey()).matches()) n += e.getValue().instances();
        return n;
    }
    /**
     * The class metric judged: the running peak, since the process's first sample, of NMT's count
     * of instance classes (which falls when classes unload) less the loads of the code's own
     * classes up to the sample ({@code classes_of_the_code}, from the node's class-load log; see
     * {@link ClassLoadLog}). Not metaspace in bytes: the JIT keeps its per-method profiles there
     * too, and adds them for as long as it still compiles. Not the raw count either: its rises
     * late in a run are code run for the first time (a rare path, a timer with a long period),
     * bounded by the code, and the JDK's method-handle forms, which full collections unload and
     * the next use spins again; neither is a leak and both made the raw count's slope breach in
     * soaks of 30 and 60 minutes. A leak spins the same kind of class again and again and never
     * gives it back, so it raises this peak. Without a class-load log the raw count stands in.
     */
    static final String GENERATED_CLASSES = "generated_classes_peak";
    static final Map<String, Double> LIMITS = Map.of(GENERATED_CLASSES, 1.0, "threads", 0.1, "fds", 0.5);
    /**
     * The live heap's two limits: what it may keep per pack published in the network, and what
     * it may grow a minute beyond that (a leak, or a pool that does not level off).
     */
    static final double LIVE_HEAP_PER_PACK_KIB = 16, LIVE_HEAP_BEYOND_DATA_KIB_PER_MIN = 16;
    /** Above this correlation of time and packs published, the fit cannot tell them apart. */
    static final double MAX_SEPARABLE_CORRELATION = 0.98;
    /** Performance counters sampled, by the name they get in the samples. */
    private static final Map<String, String> PERF_COUNTERS = Map.of("jit_compiles", "sun.ci.totalCompiles", "classes_loaded", "java.cls.loadedClasses",
            "classes_unloaded", "java.cls.unloadedClasses", "jit_bailouts", "sun.ci.totalBailouts", "jit_invalidated", "sun.ci.totalInvalidates");
    private static final List<String> METRICS = List.of("live_heap_kib", "metaspace_used_kib", "threads", "fds", GENERATED_CLASSES, "generated_classes",
            "classes", "classes_loaded", "jit_compiles",
            "netty_pool_chunks", "rss_kib", "heap_used_kib",
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
    /**
     * A restarted or fresh node is past its start-up this many minutes into its life: its
     * baseline histogram is taken then, and the window judges it only if it was that old when
     * the window began.
     */
    static final int WARM_UP_MINUTES = 2;
    private final Map<String, Map<String, JvmProbe.ClassCount>> lastHistogram = new LinkedHashMap<>();
    private final Map<String, Map<String, JvmProbe.ClassCount>> midHistogram = new LinkedHashMap<>();
    /** The minute of the middle histogram (every node then), so that growth is seen in two halves: levelling off or steady. */
    private final int midMinute;

    MemoryWatch(int midMinute) {
        this.midMinute = midMinute;
    }
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
        if (nmt.containsKey("Classes")) out.put("classes", nmt.get("Classes")).put("classes_at", System.currentTimeMillis());
        if (nmt.containsKey("Instance classes")) out.put("instance_classes", nmt.get("Instance classes"));
        // What the JIT has done: metaspace also holds its per-method profiles, which grow with
        // the methods it profiles and compiles, not with classes.
        try {
            Map<String, Long> perf = JvmProbe.perfCounters(pid, PERF_COUNTERS.values());
            for (var c : PERF_COUNTERS.entrySet()) if (perf.containsKey(c.getValue())) out.put(c.getKey(), perf.get(c.getValue()));
        } catch (IOException e) {
            // the counters are context; the heap figures below are what the verdict needs
            probeFailed(node + " performance counters at minute " + minute + ": " + e.getMessage());
        }
        ObjectNode n = out.putObject("nmt_kib");
        nmt.forEach(n::put);
        // The baseline histogram: past the start-up (minute 3 of the run, and two minutes into a
        // restarted or fresh node's life), so that the diff shows what grows while it serves.
        int seen = firstSeen.computeIfAbsent(inc.key(), k -> minute);
        boolean first = !firstHistogram.containsKey(inc.key()) && minute >= BASELINE_MINUTE && minute >= seen + WARM_UP_MINUTES;
        boolean mid = !first && !last && minute == midMinute && firstHistogram.containsKey(inc.key());
        if (!(everyMinute || first || mid || last)) return;
        String text = JvmProbe.jcmd(pid, "GC.class_histogram");
        Map<String, JvmProbe.ClassCount> h = JvmProbe.histogram(text);
        out.put("live_heap_kib", h.get("Total").bytes() >> 10).put("live_heap_every_minute", everyMinute);
        out.put("netty_pool_chunks", nettyChunks(h));
        if (first) {
            firstHistogram.put(inc.key(), h);
            firstHistogramMinute.put(inc.key(), minute);
        }
        if (mid) midHistogram.put(inc.key(), h);
        if (last) lastHistogram.put(inc.key(), h);
        if (first || mid || last) {
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
            case "live_heap_kib", "netty_pool_chunks" -> n.path("live_heap_every_minute").asBoolean() ? n.path(metric) : null;
            // Instance classes where sampled: array classes are not in the class-load log (made at
            // a type's first array, bounded by the code) and would count as generated.
            case "generated_classes" -> {
                JsonNode count = n.path("instance_classes").isNumber() ? n.path("instance_classes") : n.path("classes");
                yield count.isNumber() ? Ggen.JSON.getNodeFactory().numberNode(count.asLong() - n.path("classes_of_the_code").asLong(0)) : null;
            }
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
        Map<String, Double> generatedPeak = new LinkedHashMap<>(); // since the process's first sample
        for (JsonNode s : samples) {
            int m = s.path("minute").asInt();
            for (JsonNode n : s.path("nodes")) {
                String key = n.path("node").asText() + "#" + n.path("pid").asLong();
                span.computeIfAbsent(key, k -> new int[] {m, m})[1] = m;
                double generated = value(n, "generated_classes");
                if (!Double.isNaN(generated)) generatedPeak.merge(key, generated, Math::max);
                if (m >= from) {
                    ObjectNode copy = ((ObjectNode) n.deepCopy()).put("minute", m);
                    if (generatedPeak.containsKey(key)) copy.put(GENERATED_CLASSES, generatedPeak.get(key));
                    series.computeIfAbsent(key, k -> new ArrayList<>()).add(copy);
                }
            }
        }
        // Alive through the window, and past its start-up when the window began: one of the
        // run's first nodes, or a process first sampled WARM_UP_MINUTES before the window, and
        // sampled at its end. The soak churns at minute 10, the start of a 30-minute run's
        // window: a node restarted then is sampled at minute 10 while it starts (loading classes,
        // filling its heap) and is judged on its own start-up if counted; not counted.
        final int runStart = firstMinute;
        List<String> through = series.keySet().stream()
                .filter(k -> (span.get(k)[0] == runStart || span.get(k)[0] <= from - WARM_UP_MINUTES) && span.get(k)[1] >= to - 1).toList();
        out.put("nodes_through_window", through.size());
        List<String> breaches = new ArrayList<>();
        ArrayNode classesBreached = out.putArray("classes_breached"); // incarnations, for their class-load logs
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
                if (limit != null && sl >= limit) {
                    breaches.add(String.format(Locale.ROOT, "%s of %s rose %.2f a minute (limit %.2f)", metric, key, sl, limit));
                    if (metric.equals(GENERATED_CLASSES)) classesBreached.add(key);
                }
            }
            if (slopes.isEmpty()) continue;
            ObjectNode m = metrics.putObject(metric).put("nodes", slopes.size()).put("median", median(slopes)).put("max", worstSlope).put("max_node", worst)
                    .put("median_at_window_start", median(firsts)).put("median_at_window_end", median(lasts));
            if (LIMITS.containsKey(metric)) m.put("limit", LIMITS.get(metric));
        }
        ObjectNode fit = liveHeapFit(series, through, breaches);
        out.set("live_heap_fit", fit);
        ArrayNode b = out.putArray("breaches");
        breaches.forEach(b::add);
        boolean judged = LIMITS.keySet().stream().allMatch(metrics::has) && fit.path("nodes").asInt() > 0;
        out.put("verdict", !judged ? "not judged: some limited metric had no node with 5 samples through the window"
                : breaches.isEmpty() ? "flat" : "NOT flat (" + breaches.size() + " breaches)");
        return out;
    }

    /**
     * The live heap of each node collected every minute, fitted as {@code a + b*minute +
     * c*packs} by least squares, {@code packs} being the packs published in the network by then
     * (the soak publishes in bursts, so the two vary apart): {@code c} is what the node keeps per
     * pack, {@code b} what it grows a minute beyond that. Both are judged, so neither a leak
     * that grows with time nor one that grows with the data passes.
     */
    private static ObjectNode liveHeapFit(Map<String, List<JsonNode>> series, List<String> through, List<String> breaches) {
        ObjectNode out = Ggen.JSON.createObjectNode().put("limit_per_pack_kib", LIVE_HEAP_PER_PACK_KIB)
                .put("limit_beyond_data_kib_per_minute", LIVE_HEAP_BEYOND_DATA_KIB_PER_MIN);
        List<Double> perMinute = new ArrayList<>(), perPack = new ArrayList<>(), packsPerMinute = new ArrayList<>();
        ArrayNode nodes = out.putArray("per_node");
        for (String key : through) {
            List<double[]> pts = new ArrayList<>();
            for (JsonNode n : series.get(key)) {
                double v = value(n, "live_heap_kib");
                if (!Double.isNaN(v) && n.has("packs_published")) pts.add(new double[] {n.path("minute").asInt(), n.path("packs_published").asDouble(), v});
            }
            if (pts.size() < 6) continue;
            Fit f = fit(pts);
            ObjectNode o = nodes.addObject().put("node", key).put("samples", pts.size()).put("correlation_minute_packs", f.correlation());
            packsPerMinute.add(slope(pts.stream().map(p -> new double[] {p[0], p[1]}).toList()));
            if (Double.isNaN(f.perMinute()) || Math.abs(f.correlation()) > MAX_SEPARABLE_CORRELATION) {
                breaches.add(String.format(Locale.ROOT, "live heap of %s: time and packs published did not vary apart (correlation %.3f), so its growth cannot be split", key, f.correlation()));
                continue;
            }
            o.put("kib_per_minute_beyond_data", f.perMinute()).put("kib_per_minute_beyond_data_stderr", f.perMinuteError())
                    .put("kib_per_pack", f.perPack()).put("kib_per_pack_stderr", f.perPackError());
            perMinute.add(f.perMinute());
            perPack.add(f.perPack());
            if (f.perMinute() >= LIVE_HEAP_BEYOND_DATA_KIB_PER_MIN) breaches.add(String.format(Locale.ROOT,
                    "live heap of %s grew %.1f KiB a minute beyond its data (+/- %.1f; limit %.0f)", key, f.perMinute(), f.perMinuteError(), LIVE_HEAP_BEYOND_DATA_KIB_PER_MIN));
            if (f.perPack() >= LIVE_HEAP_PER_PACK_KIB) breaches.add(String.format(Locale.ROOT,
                    "live heap of %s kept %.1f KiB per pack published (+/- %.1f; limit %.0f)", key, f.perPack(), f.perPackError(), LIVE_HEAP_PER_PACK_KIB));
        }
        out.put("nodes", perMinute.size());
        if (!perMinute.isEmpty()) {
            out.put("median_kib_per_minute_beyond_data", median(perMinute)).put("max_kib_per_minute_beyond_data", perMinute.stream().max(Double::compare).orElseThrow())
                    .put("median_kib_per_pack", median(perPack)).put("max_kib_per_pack", perPack.stream().max(Double::compare).orElseThrow());
        }
        if (!packsPerMinute.isEmpty()) out.put("packs_per_minute", median(packsPerMinute));
        return out;
    }

    /** {@code y = a + perMinute * x + perPack * p}, with standard errors and the correlation of x and p. */
    record Fit(double perMinute, double perPack, double perMinuteError, double perPackError, double correlation) {}

    /** Least squares over points {minute, packs, value}. */
    static Fit fit(List<double[]> pts) {
        int n = pts.size();
        double mx = 0, mp = 0, my = 0;
        for (double[] q : pts) {
            mx += q[0];
            mp += q[1];
            my += q[2];
        }
        mx /= n;
        mp /= n;
        my /= n;
        double sxx = 0, spp = 0, sxp = 0, sxy = 0, spy = 0;
        for (double[] q : pts) {
            double x = q[0] - mx, p = q[1] - mp, y = q[2] - my;
            sxx += x * x;
            spp += p * p;
            sxp += x * p;
            sxy += x * y;
            spy += p * y;
        }
        double correlation = sxx == 0 || spp == 0 ? 1 : sxp / Math.sqrt(sxx * spp);
        double det = sxx * spp - sxp * sxp;
        if (sxx == 0 || spp == 0 || det <= 1e-9 * sxx * spp) return new Fit(Double.NaN, Double.NaN, Double.NaN, Double.NaN, correlation);
        double b = (sxy * spp - spy * sxp) / det, c = (spy * sxx - sxy * sxp) / det;
        double ssr = 0;
        for (double[] q : pts) {
            double r = (q[2] - my) - b * (q[0] - mx) - c * (q[1] - mp);
            ssr += r * r;
        }
        double s2 = n > 3 ? ssr / (n - 3) : Double.NaN;
        return new Fit(b, c, Math.sqrt(s2 * spp / det), Math.sqrt(s2 * sxx / det), correlation);
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
        ObjectNode out = growers(firstHistogram, lastHistogram, null);
        // The two halves, on the nodes with all three histograms: a pool or a JIT levelling off
        // grows in the first and not the second; a leak or data grow in both.
        out.set("first_to_mid", growers(firstHistogram, midHistogram, lastHistogram));
        out.set("mid_to_end", growers(midHistogram, lastHistogram, firstHistogram));
        out.put("mid_minute", midMinute);
        return out;
    }

    /** Growth from {@code from} to {@code to}, for the incarnations also in {@code alsoIn} (when given). */
    private ObjectNode growers(Map<String, Map<String, JvmProbe.ClassCount>> from, Map<String, Map<String, JvmProbe.ClassCount>> to,
                               Map<String, Map<String, JvmProbe.ClassCount>> alsoIn) {
        ObjectNode out = Ggen.JSON.createObjectNode();
        int earliest = firstHistogramMinute.values().stream().min(Integer::compare).orElse(0);
        Map<String, List<long[]>> byClass = new LinkedHashMap<>(); // class -> per node {bytes, instances}
        ArrayNode perNode = out.putArray("per_node");
        int compared = 0;
        for (var e : to.entrySet()) {
            Map<String, JvmProbe.ClassCount> a = from.get(e.getKey());
            Integer at = firstHistogramMinute.get(e.getKey());
            if (alsoIn != null && !alsoIn.containsKey(e.getKey())) continue;
            if (a == null || at == null || at > earliest + BASELINE_WITHIN || a == e.getValue()) continue;
            compared++;
            Map<String, long[]> diff = new LinkedHashMap<>();
            for (var c : e.getValue().entrySet()) {
                JvmProbe.ClassCount before = a.getOrDefault(c.getKey(), new JvmProbe.ClassCount(0, 0));
                diff.put(c.getKey(), new long[] {c.getValue().bytes() - before.bytes(), c.getValue().instances() - before.instances()});
            }
            for (var c : a.entrySet()) diff.putIfAbsent(c.getKey(), new long[] {-c.getValue().bytes(), -c.getValue().instances()});
            ObjectNode node = perNode.addObject().put("node", e.getKey()).put("from_minute", at)
                    .put("live_heap_kib_first", a.get("Total").bytes() >> 10).put("live_heap_kib_last", e.getValue().get("Total").bytes() >> 10)
                    .put("netty_pool_chunks_first", nettyChunks(a)).put("netty_pool_chunks_last", nettyChunks(e.getValue()));
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
        s.append(String.format(Locale.ROOT, "  rule: every node's least-squares slope over the window below: generated classes (running peak) 1/min, threads 0.1/min, fds 0.5/min;%n"
                + "  live heap (after a full GC) fitted as a + b*minute + c*packs published: c below %.0f KiB per pack, b below %.0f KiB/min%n",
                LIVE_HEAP_PER_PACK_KIB, LIVE_HEAP_BEYOND_DATA_KIB_PER_MIN));
        JsonNode fit = flatness.path("live_heap_fit");
        if (fit.path("nodes").asInt() > 0) {
            s.append(String.format(Locale.ROOT, "  live heap fit, %d nodes (%.1f packs published a minute): per pack median %.2f KiB (max %.2f), beyond data median %.2f KiB/min (max %.2f)%n",
                    fit.path("nodes").asInt(), fit.path("packs_per_minute").asDouble(), fit.path("median_kib_per_pack").asDouble(), fit.path("max_kib_per_pack").asDouble(),
                    fit.path("median_kib_per_minute_beyond_data").asDouble(), fit.path("max_kib_per_minute_beyond_data").asDouble()));
            for (JsonNode n : fit.path("per_node")) {
                if (!n.has("kib_per_pack")) continue;
                s.append(String.format(Locale.ROOT, "    %-24s per pack %7.2f +/- %.2f KiB, beyond data %7.2f +/- %.2f KiB/min (time-packs correlation %.3f)%n", n.path("node").asText(),
                        n.path("kib_per_pack").asDouble(), n.path("kib_per_pack_stderr").asDouble(), n.path("kib_per_minute_beyond_data").asDouble(),
                        n.path("kib_per_minute_beyond_data_stderr").asDouble(), n.path("correlation_minute_packs").asDouble()));
            }
        }
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
        for (String half : List.of("first_to_mid", "mid_to_end")) {
            JsonNode g = growers.path(half);
            if (g.path("nodes_compared").asInt() == 0) continue;
            s.append(String.format(Locale.ROOT, "  %s (minute %d), %d nodes, median bytes, instances, grew on:%n",
                    half.equals("first_to_mid") ? "first half: baseline -> middle" : "second half: middle -> end", growers.path("mid_minute").asInt(),
                    g.path("nodes_compared").asInt()));
            int k = 0;
            for (JsonNode c : g.path("across_nodes")) {
                if (k++ == 8) break;
                s.append(String.format(Locale.ROOT, "    %+10d B %+8d  %d/%d  %s%n", c.path("median_bytes").asLong(), c.path("median_instances").asLong(),
                        c.path("grew_on").asInt(), c.path("of").asInt(), c.path("class").asText()));
            }
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
