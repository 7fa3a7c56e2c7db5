package io.ggen.cli.shortpath;

import io.ggen.node.render.OutputFormat;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The arguments of a command run on the launcher's short path, without building picocli's
 * command tree (about a third of a short command's start-up). Deliberately narrow: it takes
 * only the plain forms ({@code --name value}, {@code --name=value}, flags, positionals) and
 * declines everything else (help, unknown or repeated options, {@code --}, a value or positional
 * that starts with {@code -} or {@code @}, numbers in any but the plain decimal form), so that picocli parses
 * that command line and gives its usual answer or error. Whatever it accepts, picocli reads the
 * same way.
 */
public final class ShortArgs {
    private static final Pattern PLAIN_INT = Pattern.compile("0|[1-9][0-9]{0,8}");
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,16})?");

    private final Map<String, List<String>> values = new HashMap<>();
    private final List<String> positionals = new ArrayList<>();

    private ShortArgs() {}

    /**
     * Parses {@code args} from index {@code from}: {@code flags} take no value, {@code single}
     * one value given once, {@code repeatable} one value each time (comma-split, as picocli's
     * {@code split = ","}); at most {@code maxPositionals} positionals. Empty: let picocli parse.
     */
    public static Optional<ShortArgs> parse(String[] args, int from, Set<String> flags, Set<String> single, Set<String> repeatable, int maxPositionals) {
        ShortArgs a = new ShortArgs();
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("@")) return Optional.empty(); // picocli reads an argument file
            if (!arg.startsWith("-")) {
                if (a.positionals.size() == maxPositionals) return Optional.empty();
                a.positionals.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (flags.contains(name)) {
                if (eq >= 0 || a.values.containsKey(name)) return Optional.empty();
                a.values.put(name, List.of());
                continue;
            }
            boolean once = single.contains(name);
            if (!once && !repeatable.contains(name)) return Optional.empty();
            if (once && a.values.containsKey(name)) return Optional.empty();
            String value;
            if (eq >= 0) value = arg.substring(eq + 1);
            else if (i + 1 < args.length) value = args[++i];
            else return Optional.empty();
            if (value.startsWith("-") || value.startsWith("@")) return Optional.empty();
            List<String> list = a.values.computeIfAbsent(name, k -> new ArrayList<>());
            if (once) list.add(value);
            else for (String part : value.split(",", -1)) list.add(part);
        }
        return Optional.of(a);
    }

    public List<String> positionals() {
        return positionals;
    }

    public boolean flag(String name) {
        return values.containsKey(name);
    }

    /** The value of a single-value option, or null when not given. */
    public String value(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The values of a repeatable option (empty when not given). */
    public List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** {@code --format}'s value (table when not given), or empty when it is not exactly one of the formats. */
    public Optional<OutputFormat> format() {
        String v = value("--format");
        if (v == null) return Optional.of(OutputFormat.table);
        for (OutputFormat f : OutputFormat.values()) if (f.name().equals(v)) return Optional.of(f);
        return Optional.empty();
    }

    /** An int option in plain decimal, {@code fallback} when not given, empty when anything else. */
    public Optional<Integer> integer(String name, int fallback) {
        String v = value(name);
        if (v == null) return Optional.of(fallback);
        return PLAIN_INT.matcher(v).matches() ? Optional.of(Integer.parseInt(v)) : Optional.empty();
    }

    /**
     * A decimal option ({@code 0.5}): empty when not in that plain form. A present but absent
     * option is {@code Optional.of(null)}, hence the holder.
     */
    public Optional<Holder<Double>> decimal(String name) {
        String v = value(name);
        if (v == null) return Optional.of(new Holder<>(null));
        return PLAIN_DECIMAL.matcher(v).matches() ? Optional.of(new Holder<>(Double.parseDouble(v))) : Optional.empty();
    }

    /** A value that may be null. */
    public record Holder<T>(T value) {}

    /** Standard output as picocli writes it (the platform charset), for commands answered here. */
    public static PrintWriter stdout() {
        return new PrintWriter(System.out, false, Charset.defaultCharset());
    }
}
