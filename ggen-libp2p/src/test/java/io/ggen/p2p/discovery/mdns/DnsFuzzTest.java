package io.ggen.p2p.discovery.mdns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.util.List;
import java.util.Map;

/**
 * mDNS packets from the link: only {@link DnsException} escapes the DNS decoder, its section
 * limits hold, re-encoding is stable, and turning an answer into peers never throws, keeps the
 * per-packet limits, and never names ourselves.
 */
class DnsFuzzTest {
    private static final PeerId SELF = PeerId.fromString("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");

    @FuzzTest
    void packet(byte[] input) throws DnsException {
        DnsMessage m;
        try {
            m = DnsCodec.decode(input);
        } catch (DnsException refused) {
            return;
        }
        assertThat(m.questions()).hasSizeLessThanOrEqualTo(DnsCodec.MAX_QUESTIONS);
        assertThat(m.answers().size() + m.additionals().size()).isLessThanOrEqualTo(DnsCodec.MAX_RECORDS);
        byte[] again = DnsCodec.encode(m);
        assertThat(DnsCodec.encode(DnsCodec.decode(again))).isEqualTo(again);

        Map<PeerId, List<Multiaddr>> peers = MdnsService.peersIn(m, MdnsService.SERVICE, "us." + MdnsService.SERVICE, SELF);
        assertThat(peers).hasSizeLessThanOrEqualTo(MdnsService.MAX_PEERS_PER_PACKET).doesNotContainKey(SELF);
        peers.values().forEach(addrs -> assertThat(addrs).hasSizeLessThanOrEqualTo(MdnsService.MAX_ADDRS_PER_PEER)
                .allSatisfy(a -> assertThat(a.peerId()).isEmpty()));
    }
}
