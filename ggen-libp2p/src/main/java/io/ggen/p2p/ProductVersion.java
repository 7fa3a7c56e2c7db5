package io.ggen.p2p;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The product version, written into {@code version.properties} by the build from the Maven
 * project version: what identify announces as {@code ggen/<version>} and what {@code ggen -V}
 * prints, from one source.
 */
public final class ProductVersion {
    private static final String VERSION = load();

    private ProductVersion() {}

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = ProductVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
