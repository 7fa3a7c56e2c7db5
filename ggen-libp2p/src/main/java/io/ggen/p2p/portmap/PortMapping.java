package io.ggen.p2p.portmap;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * A port the gateway forwards to us: TCP {@code externalAddress:externalPort} to our
 * {@code internalPort}, made by {@code method}, granted for {@code lifetimeSecs} (0: a permanent
 * lease, which we delete on stop) and so ending at {@code expiresAt} ({@link Instant#MAX} when permanent).
 */
public record PortMapping(MappingMethod method, String protocol, int internalPort, InetAddress externalAddress, int externalPort,
                          long lifetimeSecs, Instant expiresAt) {
    public PortMapping {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(externalAddress, "externalAddress");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (internalPort < 1 || internalPort > 65535 || externalPort < 1 || externalPort > 65535) {
            throw new IllegalArgumentException("ports must be 1..65535: " + internalPort + ", " + externalPort);
        }
        if (lifetimeSecs < 0) throw new IllegalArgumentException("negative lifetime");
    }

    public boolean permanent() {
        return lifetimeSecs == 0;
    }

    /** {@code ip:port} as seen from outside. */
    public String external() {
        return externalAddress.getHostAddress() + ":" + externalPort;
    }
}
