package io.ggen.p2p.host;

/** The product version for the identify agent string; from the jar manifest when packaged. */
final class HostVersion {
    private HostVersion() {}

    static String get() {
        String v = HostVersion.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }
}
