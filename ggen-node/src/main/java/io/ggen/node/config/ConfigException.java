package io.ggen.node.config;

/**
 * A configuration value that cannot be used. The message is one line that names the source
 * (file with line and column, environment variable, or flag), the key, and what is accepted.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(oneLine(message));
    }

    /** Control characters (which a hostile or broken file can put into a key) are shown escaped, so the message stays one line. */
    static String oneLine(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == '\n') sb.append("\\n");
            else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) sb.append(String.format("\\u%04x", c));
            else sb.appendCodePoint(c);
        });
        return sb.toString();
    }
}
