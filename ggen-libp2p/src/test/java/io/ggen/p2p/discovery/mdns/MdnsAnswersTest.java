package io.ggen.p2p.discovery.mdns;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import io.ggen.p2p.discovery.mdns.DnsMessage.Ptr;
import io.ggen.p2p.discovery.mdns.DnsMessage.ResourceRecord;
import io.ggen.p2p.discovery.mdns.DnsMessage.Txt;
import io.ggen.p2p.multiaddr.Multiaddr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a response teaches us: the spec's layout and js-libp2p's, and nothing from a hostile one beyond the bounds. */
class MdnsAnswersTest {
    static final String SERVICE = "_p2p._udp.local";
    final PeerId self = peer();

    static PeerId peer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    static ResourceRecord ptr(String instance) {
        return new ResourceRecord(SERVICE, DnsMessage.TYPE_PTR, 120, new Ptr(instance + "." + SERVICE));
    }

    static ResourceRecord txt(String instance, String... strings) {
        return new ResourceRecord(instance + "." + SERVICE, DnsMessage.TYPE_TXT, 120, new Txt(List.of(strings)));
    }

    @Test
    void peersComeFromTxtRecordsInTheAdditionalsOrTheAnswers() {
        PeerId p = peer();
        String a1 = "/ip4/10.0.0.2/tcp/4001/p2p/" + p;
        DnsMessage spec = new DnsMessage(0, true, List.of(), List.of(ptr("x")), List.of(txt("x", "dnsaddr=" + a1)));
        DnsMessage js = new DnsMessage(0, true, List.of(), List.of(ptr("x"), txt("x", "dnsaddr=" + a1)), List.of());
        for (DnsMessage m : List.of(spec, js)) {
            assertThat(MdnsService.peersIn(m, SERVICE, "me." + SERVICE, self))
                    .isEqualTo(Map.of(p, List.of(Multiaddr.fromString("/ip4/10.0.0.2/tcp/4001"))));
        }
    }

    @Test
    void ourselvesOtherServicesAndJunkAreIgnored() {
        PeerId p = peer();
        DnsMessage m = new DnsMessage(0, true, List.of(),
                List.of(ptr("me"), new ResourceRecord("_other._udp.local", DnsMessage.TYPE_PTR, 120, new Ptr("y._other._udp.local")), ptr("z")),
                List.of(txt("me", "dnsaddr=/ip4/10.0.0.9/tcp/1/p2p/" + p),
                        txt("y", "dnsaddr=/ip4/10.0.0.8/tcp/1/p2p/" + p),
                        txt("z", "dnsaddr=/ip4/10.0.0.7/tcp/1", "dnsaddr=not a multiaddr", "hello", "dnsaddr=/ip4/10.0.0.6/tcp/1/p2p/" + self)));
        assertThat(MdnsService.peersIn(m, SERVICE, "me." + SERVICE, self)).isEmpty();
    }

    @Test
    void aFloodingResponseYieldsBoundedPeersAndAddresses() {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            PeerId p = peer();
            for (int port = 1; port <= 40; port++) strings.add("dnsaddr=/ip4/10.0.0.2/tcp/" + port + "/p2p/" + p);
        }
        List<ResourceRecord> txts = new ArrayList<>();
        for (int i = 0; i < strings.size(); i += 20) txts.add(txt("x", strings.subList(i, i + 20).toArray(String[]::new)));
        DnsMessage m = new DnsMessage(0, true, List.of(), List.of(ptr("x")), txts);
        Map<PeerId, List<Multiaddr>> peers = MdnsService.peersIn(m, SERVICE, "me." + SERVICE, self);
        assertThat(peers).hasSize(MdnsService.MAX_PEERS_PER_PACKET);
        assertThat(peers.values()).allSatisfy(a -> assertThat(a).hasSize(MdnsService.MAX_ADDRS_PER_PEER));
    }
}
