package io.ggen.node.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** JSON and YAML output of a JSON tree, as the command line and the node's rendered answers print it. */
public final class Output {
    private Output() {}

    /**
     * Prints {@code tree} (a JSON tree, or plain data: maps, lists, strings, numbers) as indented
     * JSON or as YAML (the YAML mapper is loaded only when asked for: it is slow to start).
     */
    public static void print(Object tree, OutputFormat format, PrintWriter out) {
        try {
            if (format == OutputFormat.yaml) {
                ObjectMapper yaml = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()
                        .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
                out.print(yaml.writeValueAsString(tree));
            } else {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }

    /** An instant as ISO-8601 UTC ({@code 2026-12-05T02:39:28Z}), or empty for 0 (unknown). */
    public static String instant(long millis) {
        return millis == 0 ? "" : java.time.Instant.ofEpochMilli(millis).toString();
    }

    /** Text on one line (runs of white space made one blank), cut to {@code max} characters with an ellipsis. */
    public static String shorten(String s, int max) {
        if (s == null) return "";
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }

    /** A count with its noun, singular or plural: {@code 1 peer}, {@code 3 peers}. */
    public static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** A size as people read it: {@code 812 B}, {@code 12.3 KiB}, {@code 4.5 MiB}, {@code 1.2 GiB}. */
    public static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** A duration in seconds as people read it: {@code 42s}, {@code 3m 5s}, {@code 2h 10m}, {@code 1d 4h}. */
    public static String duration(long secs) {
        if (secs < 60) return secs + "s";
        if (secs < 3600) return secs / 60 + "m " + secs % 60 + "s";
        if (secs < 86400) return secs / 3600 + "h " + secs % 3600 / 60 + "m";
        return secs / 86400 + "d " + secs % 86400 / 3600 + "h";
    }
}
