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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A node's class-load log ({@code -Xlog:class+load=info:file=...:utctime,level,tags}, which the soak gives
 * every node), read to say which classes a node loaded inside the flatness window: a rising
 * class count is a leak when something spins classes over and over (the same lambda form or
 * proxy by the hundred), and the first run of a code path when each class comes once.
 */
final class ClassLoadLog {
    /** The {@code -Xlog} option that writes such a log for each process into {@code dir}. */
    static String option(Path dir) {
        return "-Xlog:class+load=info:file=" + dir.resolve("classload-%p.log") + ":utctime,level,tags";
    }

    static Path of(Path dir, long pid) {
        return dir.resolve("classload-" + pid + ".log");
    }

    record Loaded(Instant at, String name) {}

    private static final DateTimeFormatter UTCTIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT);
    /** Lines read at most: a node at rest logs about 7,000; a log a thousand times that is not read whole. */
    static final int MAX_LINES = 2_000_000;

    /** The classes the log says were loaded at or after {@code from} and before {@code to}, in order. */
    static List<Loaded> between(Path log, Instant from, Instant to) throws IOException {
        List<Loaded> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            String line;
            for (int n = 0; n < MAX_LINES && (line = r.readLine()) != null; n++) {
                Loaded l = parse(line);
                if (l != null && !l.at().isBefore(from) && l.at().isBefore(to)) out.add(l);
            }
        }
        return out;
    }

    /** {@code [2026-12-05T15:05:26.123+0000][info][class,load] name source: ...}, or null for another line. */
    static Loaded parse(String line) {
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
        return name.isEmpty() ? null : new Loaded(at, name);
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
}
