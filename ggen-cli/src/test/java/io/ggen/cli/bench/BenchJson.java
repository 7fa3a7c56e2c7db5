package io.ggen.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/**
 * With {@code -Dbench.json=<file>}, a benchmark appends each result there as one JSON object per
 * line, beside its printed report: {@code bench/run} assembles its table from these lines.
 */
final class BenchJson {
    private BenchJson() {}

    /** Appends one object; values are numbers (finite doubles, integers) or strings. */
    static void append(Map<String, ?> fields) throws IOException {
        String file = System.getProperty("bench.json");
        if (file == null) return;
        StringBuilder sb = new StringBuilder("{");
        for (var e : fields.entrySet()) {
            if (sb.length() > 1) sb.append(',');
            sb.append(quote(e.getKey())).append(':');
            Object v = e.getValue();
            if (v instanceof Double d) sb.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.2f", d));
            else if (v instanceof Number n) sb.append(n);
            else sb.append(quote(String.valueOf(v)));
        }
        Files.writeString(Path.of(file), sb.append("}\n"), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
