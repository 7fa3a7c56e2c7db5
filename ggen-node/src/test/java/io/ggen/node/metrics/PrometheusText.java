package io.ggen.node.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: every line is a
 * HELP, a TYPE, or a sample of a family declared before it, with well-formed labels and a
 * number; anything else fails the parse with the line. Samples are grouped by family.
 */
final class PrometheusText {
    record Sample(String name, Map<String, String> labels, double value) {}

    record Family(String name, String type, String help, List<Sample> samples) {}

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"(,|$)");

    private PrometheusText() {}

    static Map<String, Family> parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> help = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) continue;
            if (line.startsWith("# HELP ")) {
                String[] p = line.substring(7).split(" ", 2);
                check(NAME.matcher(p[0]).matches(), n, line);
                help.put(p[0], p.length > 1 ? p[1] : "");
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ");
                check(p.length == 2 && NAME.matcher(p[0]).matches(), n, line);
                check(List.of("counter", "gauge", "histogram", "summary", "untyped", "info", "stateset", "gaugehistogram", "unknown").contains(p[1]), n, line);
                check(!families.containsKey(p[0]), n, "family declared twice: " + line);
                families.put(p[0], new Family(p[0], p[1], help.getOrDefault(p[0], ""), new ArrayList<>()));
                continue;
            }
            check(!line.startsWith("#"), n, line);
            Matcher m = SAMPLE.matcher(line);
            check(m.matches(), n, line);
            String name = m.group(1);
            Family f = familyOf(families, name);
            check(f != null, n, "sample of an undeclared family: " + line);
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null && !m.group(3).isEmpty()) {
                Matcher l = LABEL.matcher(m.group(3));
                int end = 0;
                while (l.find() && l.start() == end) {
                    check(labels.put(l.group(1), l.group(2)) == null, n, "label repeated: " + line);
                    end = l.end();
                }
                check(end == m.group(3).length(), n, "malformed labels: " + line);
            }
            f.samples().add(new Sample(name, labels, value(m.group(4), n, line)));
        }
        return families;
    }

    private static Family familyOf(Map<String, Family> families, String sample) {
        if (families.containsKey(sample)) return families.get(sample);
        for (String suffix : List.of("_total", "_created", "_bucket", "_count", "_sum", "_info")) {
            if (sample.endsWith(suffix)) {
                Family f = families.get(sample.substring(0, sample.length() - suffix.length()));
                if (f != null) return f;
            }
        }
        return null;
    }

    private static double value(String v, int n, String line) {
        switch (v) {
            case "+Inf" -> { return Double.POSITIVE_INFINITY; }
            case "-Inf" -> { return Double.NEGATIVE_INFINITY; }
            case "NaN" -> { return Double.NaN; }
            default -> {
                try {
                    return Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new AssertionError("line " + n + ": not a number: " + line);
                }
            }
        }
    }

    private static void check(boolean ok, int n, String line) {
        if (!ok) throw new AssertionError("line " + n + " is not Prometheus text format: " + line);
    }
}
