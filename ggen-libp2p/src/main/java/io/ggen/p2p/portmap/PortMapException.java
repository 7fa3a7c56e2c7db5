package io.ggen.p2p.portmap;

/** A gateway did not map (or unmap) a port; {@link #kind()} decides what is tried next. */
public final class PortMapException extends Exception {
    /** What went wrong, as far as what to try next is concerned. */
    public enum Kind {
        /** The gateway does not speak this method, or did not answer within the deadline. */
        UNAVAILABLE,
        /** UPnP 718 ConflictInMappingEntry: the external port is taken; another may not be. */
        CONFLICT,
        /** UPnP 725 OnlyPermanentLeasesSupported: ask again with lease 0. */
        ONLY_PERMANENT_LEASES,
        /** The gateway answered and said no (not authorised, out of resources, ...). */
        REFUSED,
        /** The gateway's answer broke the protocol or contradicted the request. */
        MALFORMED
    }

    private final Kind kind;

    public PortMapException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public PortMapException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
