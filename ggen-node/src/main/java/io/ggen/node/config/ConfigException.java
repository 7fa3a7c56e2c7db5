package io.ggen.node.config;

import io.ggen.marketplace.text.OneLine;

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
        return OneLine.of(s);
    }
}
