package io.ggen.p2p.host;


import io.ggen.p2p.core.HostException;
/** Refused because a {@link ResourceLimits} limit is reached. */
public final class ResourceLimitException extends HostException {
    private static final long serialVersionUID = 1L;

    public ResourceLimitException(String message) {
        super(message);
    }
}
