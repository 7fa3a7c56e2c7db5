package io.ggen.p2p.multiaddr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import io.ggen.p2p.multiformats.TestGens;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressClassifierTest {

    @ParameterizedTest
    @CsvSource({
        "/ip4/127.0.0.1/tcp/1, LOOPBACK",
        "/ip6/::1/tcp/1, LOOPBACK",
        "/dns4/localhost/tcp/1, LOOPBACK",
        "/ip4/10.1.2.3/tcp/1, PRIVATE",
        "/ip4/172.16.0.1/tcp/1, PRIVATE",
        "/ip4/172.32.0.1/tcp/1, PUBLIC",
        "/ip4/192.168.1.1/tcp/1, PRIVATE",
        "/ip4/100.64.0.1/tcp/1, PRIVATE",
        "/ip4/169.254.1.1/tcp/1, PRIVATE",
        "/ip6/fd00::1/tcp/1, PRIVATE",
        "/ip6/fe80::1/tcp/1, PRIVATE",
        "/ip6/::ffff:192.168.0.1/tcp/1, PRIVATE",
        "/ip4/8.8.8.8/tcp/1, PUBLIC",
        "/ip6/2606:4700::1111/tcp/1, PUBLIC",
        "/ip4/0.0.0.0/tcp/1, UNROUTABLE",
        "/ip4/198.51.100.7/tcp/1, UNROUTABLE",
        "/ip4/203.0.113.7/tcp/1, UNROUTABLE",
        "/ip4/192.0.2.7/tcp/1, UNROUTABLE",
        "/ip4/239.1.1.1/tcp/1, UNROUTABLE",
        "/ip4/255.255.255.255/tcp/1, UNROUTABLE",
        "/ip6/2001:db8::1/tcp/1, UNROUTABLE",
        "/ip6/::/tcp/1, UNROUTABLE",
        "/ip6/ff02::fb/udp/5353, UNROUTABLE",
        "/dns4/example.com/tcp/1, PUBLIC",
        "/dns4/printer.local/tcp/1, PRIVATE",
        "/p2p-circuit, UNROUTABLE",
    })
    void builtInClasses(String text, AddressScope scope) {
        assertThat(AddressClassifier.DEFAULT.classify(Multiaddr.fromString(text))).isEqualTo(scope);
    }

    @Test
    void configuredPublicRangesWinOverTheBuiltInOnes() {
        AddressClassifier lab = AddressClassifier.withPublicRanges(List.of("198.51.100.0/24", "203.0.113.0/24"));
        assertThat(lab.classify(Multiaddr.fromString("/ip4/198.51.100.7/tcp/1"))).isEqualTo(AddressScope.PUBLIC);
        assertThat(lab.classify(Multiaddr.fromString("/ip4/203.0.113.200/tcp/1"))).isEqualTo(AddressScope.PUBLIC);
        assertThat(lab.classify(Multiaddr.fromString("/ip4/192.0.2.1/tcp/1"))).isEqualTo(AddressScope.UNROUTABLE);
        AddressClassifier loopbackPublic = AddressClassifier.withPublicRanges(List.of("127.0.0.0/8"));
        assertThat(loopbackPublic.classify(Multiaddr.fromString("/ip4/127.0.0.1/tcp/1"))).isEqualTo(AddressScope.PUBLIC);
        AddressClassifier corp = new AddressClassifier(List.of(), List.of(IpRange.parse("8.0.0.0/8")));
        assertThat(corp.classify(Multiaddr.fromString("/ip4/8.8.8.8/tcp/1"))).isEqualTo(AddressScope.PRIVATE);
    }

    @Test
    void privateAddressesAreNotAdvertisedToPublicPeers() {
        AddressClassifier c = AddressClassifier.DEFAULT;
        Multiaddr home = Multiaddr.fromString("/ip4/192.168.1.5/tcp/4001");
        Multiaddr pub = Multiaddr.fromString("/ip4/8.8.4.4/tcp/4001");
        Multiaddr lo = Multiaddr.fromString("/ip4/127.0.0.1/tcp/4001");
        Multiaddr neighbour = Multiaddr.fromString("/ip4/192.168.1.9/tcp/5000");
        Multiaddr stranger = Multiaddr.fromString("/ip4/1.2.3.4/tcp/5000");
        assertThat(c.advertisableTo(home, stranger)).isFalse();
        assertThat(c.advertisableTo(home, neighbour)).isTrue();
        assertThat(c.advertisableTo(lo, neighbour)).isFalse();
        assertThat(c.advertisableTo(lo, lo)).isTrue();
        assertThat(c.advertisableTo(pub, stranger)).isTrue();
        assertThat(c.advertisableTo(Multiaddr.fromString("/ip4/0.0.0.0/tcp/1"), lo)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "198.51.100.0/33; at most 32",
        "198.51.100.0/; must be a number",
        "198.51.100.0/-1; must be a number",
        "example.com/8; is not an IP range",
        "'' ; is not an IP range",
        "1.2.3/8; is not an IP range",
    })
    void badRangesSayWhatIsWrong(String text, String message) {
        assertThatThrownBy(() -> IpRange.parse(text == null ? "" : text))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void aRangeContainsExactlyTheAddressesSharingItsPrefix() {
        qt().forAll(TestGens.bytes(4, 4), TestGens.bytes(4, 4), org.quicktheories.generators.SourceDSL.integers().between(0, 32))
                .checkAssert((net, ip, prefix) -> {
                    IpRange r = new IpRange(net, prefix);
                    boolean same = true;
                    for (int bit = 0; bit < prefix; bit++) {
                        int i = bit / 8;
                        int m = 0x80 >> (bit % 8);
                        same &= (net[i] & m) == (ip[i] & m);
                    }
                    assertThat(r.contains(ip)).isEqualTo(same);
                    assertThat(IpRange.parse(r.toString())).isEqualTo(r);
                });
    }
}
