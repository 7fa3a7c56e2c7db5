package io.ggen.p2p.multiaddr;

/** Where an address can be reached from, as {@link AddressClassifier} decides it. */
public enum AddressScope {
    /** This machine only: 127/8, ::1, localhost. */
    LOOPBACK,
    /** A local network: RFC 1918, shared 100.64/10, link-local, unique local fc00::/7. */
    PRIVATE,
    /** Reachable across the internet, worth advertising to anyone and asking AutoNAT about. */
    PUBLIC,
    /**
     * Not routable anywhere useful: unspecified, multicast, reserved and documentation ranges
     * (unless configured public), and addresses with no IP or DNS host (relayed, unix, ...).
     */
    UNROUTABLE
}
