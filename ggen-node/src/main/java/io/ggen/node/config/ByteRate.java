package io.ggen.node.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate of bytes as people write it in {@code [bandwidth]}: {@code "2 MiB/s"}, {@code "512KiB/s"},
 * {@code "10 MB/s"}, {@code "750000 B/s"}; {@code "0"}, {@code ""} or {@code "unlimited"} for no
 * limit. Binary units (KiB, MiB, GiB) are powers of 1024, decimal ones (kB, MB, GB) of 1000.
 */
public final class ByteRate {
    /**
     * The lowest limit accepted: a transfer's requester gives a provider up below 16 KiB/s, and
     * several transfers share the limit.
     */
    public static final long MIN_BYTES_PER_SECOND = 256 * 1024;

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kKmMgG]i?[bB]|[bB])\\s*/\\s*s");

    private ByteRate() {}

    /** Bytes per second, 0 for unlimited; IllegalArgumentException says what is wrong. */
    public static long parse(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.equals("0") || t.equalsIgnoreCase("unlimited")) return 0;
        Matcher m = RATE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a rate; write it like \"2 MiB/s\", \"512 KiB/s\" or \"10 MB/s\" (\"0\" for no limit)");
        }
        double n = Double.parseDouble(m.group(1));
        double unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "b" -> 1;
            case "kib" -> 1024;
            case "mib" -> 1024 * 1024;
            case "gib" -> 1024.0 * 1024 * 1024;
            case "kb" -> 1000;
            case "mb" -> 1_000_000;
            case "gb" -> 1_000_000_000;
            default -> throw new IllegalArgumentException("\"" + text + "\": unknown unit " + m.group(2) + "; use B, KiB, MiB, GiB, kB, MB or GB");
        };
        double bytes = n * unit;
        if (bytes > 100L * 1024 * 1024 * 1024) throw new IllegalArgumentException("\"" + text + "\" is more than 100 GiB/s; write \"0\" for no limit");
        long v = (long) bytes;
        if (v < MIN_BYTES_PER_SECOND) {
            throw new IllegalArgumentException("\"" + text + "\" is below the lowest limit, 256 KiB/s (peers give up on a transfer slower than 16 KiB/s, and transfers share the limit)");
        }
        return v;
    }
}
