package io.ggen.cli;

import picocli.CommandLine.IVersionProvider;

/** The product version, from the jar manifest (falls back to the build's version). */
public final class Version {
    private Version() {}

    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ggen " + get()};
        }
    }
}
