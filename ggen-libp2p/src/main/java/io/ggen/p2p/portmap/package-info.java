/**
 * Port mapping: asking the home router to forward a TCP port to us, so that a node behind it can
 * be dialed directly. Three methods, tried in this order: PCP (RFC 6887, MAP with a nonce) and
 * NAT-PMP (RFC 6886), both on the gateway's UDP port 5351, then UPnP IGD (SSDP discovery, the
 * device description, SOAP on WANIPConnection:2, :1 or WANPPPConnection:1).
 *
 * <p>Codecs, pure: {@link io.ggen.p2p.portmap.NatPmpCodec}, {@link io.ggen.p2p.portmap.PcpCodec},
 * {@link io.ggen.p2p.portmap.SsdpCodec}, {@link io.ggen.p2p.portmap.IgdXml} (XML with DTDs
 * refused and a size limit before parsing). State machine, no I/O and no clock:
 * {@link io.ggen.p2p.portmap.PortMappingMachine} (method fallback, conflict retry, permanent
 * leases, renewal at half the lifetime, delete on stop). I/O: the clients
 * ({@link io.ggen.p2p.portmap.PcpClient}, {@link io.ggen.p2p.portmap.NatPmpClient},
 * {@link io.ggen.p2p.portmap.UpnpIgdClient}) and {@link io.ggen.p2p.portmap.PortMapper}, which
 * runs the machine on a virtual thread.
 *
 * <p>Deliberate deviations: PCP requests are resent after 250 ms, doubling, four times (RFC 6887
 * starts at 3 s): a gateway on the LAN answers in milliseconds, and a node should not wait
 * half a minute to learn it has none. The mapping found is only a candidate address: the node
 * advertises it once AutoNAT has dialed it. IPv4 only (an IPv6 node needs no mapping, only a
 * firewall pinhole, which PCP could open later).
 */
package io.ggen.p2p.portmap;
