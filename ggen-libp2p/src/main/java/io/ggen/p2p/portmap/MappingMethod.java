package io.ggen.p2p.portmap;

import java.util.Locale;

/** How a mapping was made, cheapest first: PCP and NAT-PMP are one UDP round trip, UPnP IGD is SSDP plus HTTP and SOAP. */
public enum MappingMethod {
    PCP, NATPMP, UPNP;

    /** The name shown in status and accepted in configuration: {@code pcp}, {@code natpmp}, {@code upnp}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
