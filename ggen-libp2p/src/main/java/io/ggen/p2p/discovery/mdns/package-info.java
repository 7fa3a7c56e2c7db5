/**
 * Local peer discovery by multicast DNS (libp2p specs discovery/mdns.md; RFC 6762, RFC 6763):
 * {@link io.ggen.p2p.discovery.mdns.DnsCodec} reads and writes DNS messages (hostile-safe:
 * sizes, counts, names and compression pointers bounded), and
 * {@link io.ggen.p2p.discovery.mdns.MdnsService} asks, answers and dials what it finds.
 *
 * <p>Choices and deviations: IPv4 only (224.0.0.251:5353; the IPv6 group is not joined); peer
 * details go in the additional records as the spec says (js-libp2p puts them in the answers; we
 * read both); no DNS-SD meta-query answers, SRV, A or AAAA records (the spec does not need
 * them for discovery); loopback and unroutable addresses are not announced; the service name
 * can be changed, so that tests find only their own nodes.
 */
package io.ggen.p2p.discovery.mdns;
