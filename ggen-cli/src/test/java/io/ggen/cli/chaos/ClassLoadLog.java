package io.ggen.cli.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A node's class-load log ({@code -Xlog:class+load=info:file=...:utctime,level,tags}, which the soak gives
 * every node), read to tell the two ways a class count rises apart.
 *
 * <p>Classes of the code: a named class read from the JDK's modules, the class-data archive or a
 * jar is loaded once per class loader, and the node has a fixed set of loaders, so its first load
 * of each such name is bounded by the code (the first run of a code path). A lambda's class
 * ({@code Host$$Lambda/0x...}) is spun once per call site, when the site first runs: bounded by
 * the code too. Everything else is generated at run time (the JDK's method-handle forms, proxies,
 * other hidden classes) or a named class loaded again (by another loader): that is where a leak
 * lives, as one kind spun over and over. The JDK's method-handle forms are cached behind soft
 * references: a full collection unloads the idle ones and the next use spins them again, so the
 * soak judges the running peak of the generated count, not its level.
 */
final class ClassLoadLog {
    /** The {@code -Xlog} option that writes such a log for each process into {@code dir}. */
    static String option(Path dir) {
        return "-Xlog:class+load=info:file=" + dir.resolve("classload-%p.log") + ":utctime,level,tags";
    }

    static Path of(Path dir, long pid) {
        return dir.resolve("classload-" + pid + ".log");
    }

    /** {@code source}: where the JVM says the class came from; {@code ofTheCode}: see the class comment. */
    record Loaded(Instant at, String name, String source, boolean ofTheCode) {}

    private static final DateTimeFormatter UTCTIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT);
    /** Lines read at most: a node at rest logs about 7,000; a log a thousand times that is not read whole. */
    static final int MAX_LINES = 2_000_000;

    /** The classes the log says were loaded at or after {@code from} and before {@code to}, in order. */
    static List<Loaded> between(Path log, Instant from, Instant to) throws IOException {
        List<Loaded> out = new ArrayList<>();
        for (Loaded l : read(log)) if (!l.at().isBefore(from) && l.at().isBefore(to)) out.add(l);
        return out;
    }

    /** The whole log (its first {@link #MAX_LINES} lines), each load marked of the code or not, in order. */
    static List<Loaded> read(Path log) throws IOException {
        List<Loaded> out = new ArrayList<>();
        Set<String> named = new HashSet<>();
        try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            String line;
            for (int n = 0; n < MAX_LINES && (line = r.readLine()) != null; n++) {
                Loaded l = parse(line, named);
                if (l != null) out.add(l);
            }
        }
        return out;
    }

    /**
     * Epoch milliseconds of each load of the code's classes, ascending (the log's order; a clock
     * step back is clamped), for {@link #countUpTo}.
     */
    static long[] loadsOfTheCode(List<Loaded> loaded) {
        long[] out = new long[loaded.size()];
        int k = 0;
        long last = Long.MIN_VALUE;
        for (Loaded l : loaded) {
            if (!l.ofTheCode()) continue;
            last = Math.max(last, l.at().toEpochMilli());
            out[k++] = last;
        }
        return java.util.Arrays.copyOf(out, k);
    }

    /** How many of the ascending {@code times} are at or before {@code at}. */
    static int countUpTo(long[] times, long at) {
        int lo = 0, hi = times.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= at) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /**
     * {@code [2026-12-05T15:05:26.123+0000][info][class,load] name source: ...}, or null for
     * another line; {@code named}: the named classes of the code met so far, to which it adds.
     */
    static Loaded parse(String line, Set<String> named) {
        if (!line.startsWith("[")) return null;
        int close = line.indexOf(']');
        int tags = line.indexOf("[class,load]");
        if (close < 0 || tags < 0) return null;
        Instant at;
        try {
            at = OffsetDateTime.parse(line.substring(1, close), UTCTIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
        String rest = line.substring(tags + "[class,load]".length()).strip();
        int space = rest.indexOf(' ');
        String name = space < 0 ? rest : rest.substring(0, space);
        if (name.isEmpty()) return null;
        int src = rest.indexOf("source: ");
        String source = src < 0 ? "" : rest.substring(src + "source: ".length()).strip();
        return new Loaded(at, name, source, ofTheCode(name, source, named));
    }

    private static boolean ofTheCode(String name, String source, Set<String> named) {
        if (name.contains("$$Lambda/")) return true;
        if (name.contains("/0x")) return false;
        boolean fromTheCode = source.startsWith("jrt:/") || source.startsWith("file:") || source.startsWith("jar:")
                || source.equals("shared objects file") || source.startsWith("shared objects file ");
        return fromTheCode && named.add(name);
    }

    /**
     * Adds to every node of {@code samples} (the soak's per-minute samples) that has a class count
     * taken at {@code classes_at} and a log in {@code dir}: {@code classes_of_the_code}, the loads
     * of the code's classes its log has up to that instant. A log that is missing or unreadable
     * leaves its samples as they are (the raw count then stands in), noted in {@code problems}.
     */
    static void markLoadsOfTheCode(com.fasterxml.jackson.databind.node.ArrayNode samples, Path dir, List<String> problems) {
        Map<Long, long[]> byPid = new java.util.HashMap<>();
        for (var sample : samples) {
            for (var n : sample.path("nodes")) {
                if (!n.path("classes_at").isNumber() || !n.path("pid").isNumber()) continue;
                long pid = n.path("pid").asLong();
                long[] times = byPid.computeIfAbsent(pid, k -> {
                    Path log = of(dir, k);
                    if (!Files.exists(log)) {
                        problems.add("no class-load log for process " + k);
                        return null;
                    }
                    try {
                        return loadsOfTheCode(read(log));
                    } catch (IOException | RuntimeException e) {
                        problems.add("class-load log of process " + k + " unreadable: " + e.getMessage());
                        return null;
                    }
                });
                if (times != null) ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("classes_of_the_code", countUpTo(times, n.path("classes_at").asLong()));
            }
        }
    }

    /**
     * A class's name without the address a hidden class carries ({@code Foo$$Lambda/0x...},
     * {@code LambdaForm$MH/0x...}): classes spun again and again share it.
     */
    static String kind(String name) {
        int slash = name.indexOf("/0x");
        return slash < 0 ? name : name.substring(0, slash);
    }

    /** Each kind of class loaded, with how many of it, in the order each was first loaded. */
    static Map<String, Integer> kinds(List<Loaded> loaded) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Loaded l : loaded) out.merge(kind(l.name()), 1, Integer::sum);
        return out;
    }

    /** One line: how many, the largest count of one kind, then the kinds (at most {@code max}). */
    static String describe(List<Loaded> loaded, int max) {
        Map<String, Integer> kinds = kinds(loaded);
        int most = kinds.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d classes of %d kinds (at most %d of one kind)", loaded.size(), kinds.size(), most));
        int i = 0;
        for (var e : kinds.entrySet()) {
            if (i++ == max) {
                s.append(", ... ").append(kinds.size() - max).append(" more kinds");
                break;
            }
            s.append(i == 1 ? ": " : ", ").append(e.getKey());
            if (e.getValue() > 1) s.append(" x").append(e.getValue());
        }
        return s.toString();
    }

    /** What a node loaded in a window: the generated classes by kind (where a leak shows), then how many of the code's. */
    static String describeWindow(List<Loaded> loaded, int max) {
        List<Loaded> generated = loaded.stream().filter(l -> !l.ofTheCode()).toList();
        return "generated: " + describe(generated, max) + "; of the code: " + (loaded.size() - generated.size()) + " classes";
    }
}
