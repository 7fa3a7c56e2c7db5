package io.ggen.p2p.portmap;

import java.time.Duration;
import java.util.List;

/**
 * How port mapping runs.
 *
 * @param methods tried in this order (default PCP, NAT-PMP, UPnP: the cheap UDP ones first)
 * @param lease lifetime asked for (renewed at half of it)
 * @param retryAfter wait after every method failed, before trying again
 * @param maxConflicts other external ports tried after UPnP reports the port taken
 * @param udpTries sends of one PCP or NAT-PMP request (waits of 250 ms, doubling: 4 tries take 3.75 s)
 * @param searchWait how long SSDP answers are awaited
 * @param httpTimeout bound on one HTTP exchange with the gateway (description, each SOAP action)
 * @param description what the router shows for our UPnP mappings
 * @param stopTimeout how long {@link PortMapper#close()} waits for the delete
 */
public record PortMapperConfig(List<MappingMethod> methods, Duration lease, Duration retryAfter, int maxConflicts, int udpTries,
                               Duration searchWait, Duration httpTimeout, String description, Duration stopTimeout) {
    public PortMapperConfig {
        methods = List.copyOf(methods);
        if (methods.isEmpty()) throw new IllegalArgumentException("no mapping method");
        if (lease.toSeconds() < 2) throw new IllegalArgumentException("lease of less than 2 s");
        if (udpTries < 1 || udpTries > 9) throw new IllegalArgumentException("udpTries must be 1..9");
        if (maxConflicts < 0 || maxConflicts > 16) throw new IllegalArgumentException("maxConflicts must be 0..16");
    }

    public static PortMapperConfig defaults() {
        return new PortMapperConfig(List.of(MappingMethod.PCP, MappingMethod.NATPMP, MappingMethod.UPNP), Duration.ofHours(1), Duration.ofMinutes(5),
                4, 4, Duration.ofSeconds(2), Duration.ofSeconds(3), "ggen", Duration.ofSeconds(10));
    }

    public PortMapperConfig withMethods(List<MappingMethod> m) {
        return new PortMapperConfig(m, lease, retryAfter, maxConflicts, udpTries, searchWait, httpTimeout, description, stopTimeout);
    }

    public PortMapperConfig withLease(Duration l) {
        return new PortMapperConfig(methods, l, retryAfter, maxConflicts, udpTries, searchWait, httpTimeout, description, stopTimeout);
    }
}
