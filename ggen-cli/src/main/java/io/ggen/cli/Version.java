package io.ggen.cli;

import picocli.CommandLine.IVersionProvider;

/** The product version (one source: ggen-libp2p's {@link io.ggen.p2p.ProductVersion}). */
public final class Version {
    private Version() {}

    public static String get() {
        return io.ggen.p2p.ProductVersion.get();
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ggen " + get()};
        }
    }
}
