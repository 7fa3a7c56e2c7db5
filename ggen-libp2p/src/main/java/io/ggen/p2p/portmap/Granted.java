package io.ggen.p2p.portmap;

import java.net.InetAddress;
import java.util.Objects;

/** What a gateway granted for one map request: the external address and port, and the lease in seconds (0 = permanent). */
public record Granted(InetAddress externalAddress, int externalPort, long lifetimeSecs) {
    public Granted {
        Objects.requireNonNull(externalAddress, "externalAddress");
        if (externalPort < 1 || externalPort > 65535) throw new IllegalArgumentException("external port " + externalPort);
        if (lifetimeSecs < 0) throw new IllegalArgumentException("negative lifetime");
    }
}
