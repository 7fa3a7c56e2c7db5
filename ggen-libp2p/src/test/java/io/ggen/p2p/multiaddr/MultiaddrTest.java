package io.ggen.p2p.multiaddr;

import io.ggen.p2p.multiformats.TestGens;


import io.ggen.p2p.multiformats.MultiformatException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import io.ggen.p2p.crypto.Ed25519PrivateKey;
import io.ggen.p2p.crypto.PeerId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

class MultiaddrTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String ID_A = "12D3KooWRdFFg3yTbTsDq5Z1yCvCWbqznEFro9jeVivo7rkayJ4D";
    private static final String ID_B = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";

    /**
     * Text and packed forms. The first two are the multiaddr spec's (README and test/multiaddr.feature);
     * the rest follow the codes and sizes of the multicodec table and agree with js-multiaddr 13.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/ip4/127.0.0.1/udp/1234 | 047f000001910204d2",
        "/ip4/192.0.2.42/tcp/443 | 04c000022a0601bb",
        "/ip6/::1/tcp/4001 | 2900000000000000000000000000000001060fa1",
        "/ip6/2001:db8::1/udp/4001/quic-v1 | 2920010db800000000000000000000000191020fa1cd03",
        "/ip6/fe80::1/ip6zone/eth0/tcp/1 | 29fe8000000000000000000000000000012a0465746830060001",
        "/ip6zone/x/ip6/fe80::1 | 2a017829fe800000000000000000000000000001",
        "/dns4/example.com/tcp/443/wss | 360b6578616d706c652e636f6d0601bbde03",
        "/dns/bootstrap.libp2p.io/tcp/4001/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN | 3513626f6f7473747261702e6c69627032702e696f060fa1a50322122006b3608aa000274049eb28ad8e793a26ff6fab281a7d3bd77cd18eb745dfaabb",
        "/dnsaddr/bootstrap.libp2p.io | 3813626f6f7473747261702e6c69627032702e696f",
        "/ip4/1.2.3.4/tcp/80/p2p/" + ID_A + "/p2p-circuit/p2p/" + ID_B
                + " | 0401020304060050a50326002408011220eae1c8793b5597c4b3f490e76ac31172c439690f8ee14142bb851a61f9a49f0ea202a503260024080112204cb5abf6ad79fbf5abbccafcc269d85cd2651ed4b885b5869f241aedf0a5ba29",
        "/unix/%2Ftmp%2Fp2p.sock | 90030d2f746d702f7032702e736f636b",
        "/ip4/1.2.3.4/udp/443/quic-v1/webtransport/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g | 0401020304910201bbcd03d103d203221220c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2",
        "/ip4/1.2.3.4/tcp/443/tls/sni/example.com/ws | 04010203040601bbc003c1030b6578616d706c652e636f6ddd03",
        "/ip4/1.2.3.4/tcp/1/noise | 0401020304060001c603",
        "/ip4/0.0.0.0/tcp/0 | 0400000000060000",
        "/ip6/::ffff:102:304/tcp/5 | 2900000000000000000000ffff01020304060005",
        "/ip6/2001:db8::1:0:0:1/tcp/5 | 2920010db8000000000001000000000001060005",
        "/ip4/10.0.0.1/udp/9/quic | 040a00000191020009cc03",
    })
    void vectors(String text, String hex) {
        Multiaddr fromText = Multiaddr.fromString(text);
        assertThat(HEX.formatHex(fromText.toBytes())).isEqualTo(hex);
        Multiaddr fromBytes = Multiaddr.fromBytes(HEX.parseHex(hex));
        assertThat(fromBytes.toString()).isEqualTo(text);
        assertThat(fromBytes).isEqualTo(fromText).hasSameHashCodeAs(fromText);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/ipfs/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN | /p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
        "/p2p/bafzaajaiaejcaoewkwmesbzvulsvh5poki7c3wqggzlwra6chlysqznmvndfdi3s | /p2p/12D3KooWDdFxRR8gagJiSjbWhddW8VqVbPsgPyzkY1iFmUFd5t4y",
        "/ip6/2001:DB8:0:0:0:0:0:1/tcp/1/ | /ip6/2001:db8::1/tcp/1",
        "/ip6/::ffff:1.2.3.4/tcp/5 | /ip6/::ffff:102:304/tcp/5",
        "/ip4/1.2.3.4/tcp/0080 | /ip4/1.2.3.4/tcp/80",
        "/unix/a b | /unix/a%20b",
        "/certhash/bciqmhk4p6e3sb2fnsbd52okgnm6is5hfslbpuob5ji4wa4kmv3ymj4q | /certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
    })
    void alternativeInputsPrintCanonically(String input, String canonical) {
        assertThat(Multiaddr.fromString(input).toString()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "/", "ip4/1.2.3.4", "//ip4/1.2.3.4", "/ip4", "/ip4/1.2.3", "/ip4/1.2.3.256", "/ip4/01.2.3.4", "/ip4/1.2.3.4.5",
        "/ip4/1.2.3.4/tcp/65536", "/ip4/1.2.3.4/tcp/-1", "/ip4/1.2.3.4/tcp/+80", "/ip4/1.2.3.4/tcp/", "/ip4/1.2.3.4/tcp",
        "/ip6/1::2::3", "/ip6/12345::", "/ip6/1:2:3:4:5:6:7:8:9", "/ip6/1:2:3:4:5:6:7", "/ip6/:::", "/ip6/g::", "/ip6/::1.2.3",
        "/foo/bar", "/p2p/notapeerid", "/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJ",
        "/unix/%zz", "/unix/%2", "/dns4/", "/dns4//tcp/1", "/certhash/uAA", "/ipcidr/256",
        "/p2p/bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq",
    })
    void malformedTextIsRejected(String text) {
        assertThatThrownBy(() -> Multiaddr.fromString(text)).isInstanceOf(MultiformatException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "04", "047f0000", "047f00000106", "0601", "ff7f", "8001", "3505" + "6162", "350100", "3501" + "2f", "3502c328",
        "a50302", "a503020000", "d2030100", "9003ffffffffff", "2900",
    })
    void malformedBytesAreRejected(String hex) {
        assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex(hex))).isInstanceOf(MultiformatException.class);
    }

    @Test
    void limitsAreEnforcedBeforeAllocation() {
        assertThatThrownBy(() -> Multiaddr.fromBytes(new byte[Multiaddr.MAX_BYTES + 1])).hasMessageContaining("longer than");
        String many = "/tcp/1".repeat(Multiaddr.MAX_COMPONENTS + 1);
        assertThatThrownBy(() -> Multiaddr.fromString(many)).hasMessageContaining("components");
        assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex("060001".repeat(Multiaddr.MAX_COMPONENTS + 1)))).hasMessageContaining("components");
        assertThat(Multiaddr.fromString("/tcp/1".repeat(Multiaddr.MAX_COMPONENTS)).components()).hasSize(Multiaddr.MAX_COMPONENTS);
        assertThatThrownBy(() -> Multiaddr.fromString("/dns/" + "a".repeat(Multiaddr.MAX_TEXT_LENGTH))).hasMessageContaining("longer than");
        // A length prefix claiming far more than is there.
        assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex("35ffffffff0f61"))).hasMessageContaining("truncated");
    }

    @Test
    void peerIdHelpers() {
        PeerId a = PeerId.fromString(ID_A);
        PeerId b = PeerId.fromString(ID_B);
        Multiaddr base = Multiaddr.fromString("/ip4/1.2.3.4/tcp/4001");
        assertThat(base.peerId()).isEmpty();
        Multiaddr withA = base.withPeerId(a);
        assertThat(withA.toString()).isEqualTo("/ip4/1.2.3.4/tcp/4001/p2p/" + ID_A);
        assertThat(withA.peerId()).contains(a);
        assertThat(withA.withPeerId(b).toString()).isEqualTo("/ip4/1.2.3.4/tcp/4001/p2p/" + ID_B);
        assertThat(withA.withoutPeerId()).isEqualTo(base);
        assertThat(base.withoutPeerId()).isSameAs(base);
        assertThat(Multiaddr.fromString("/p2p/" + a.toCidString()).peerId()).contains(a);
        assertThat(withA.encapsulate(Multiaddr.fromString("/p2p-circuit/p2p/" + ID_B)).peerId()).contains(b);
    }

    @Test
    void socketAddresses() throws Exception {
        assertThat(Multiaddr.fromString("/ip4/127.0.0.1/tcp/4001/p2p/" + ID_A).toTcpSocketAddress())
                .contains(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 4001));
        InetSocketAddress dns = Multiaddr.fromString("/dns4/example.com/tcp/443").toTcpSocketAddress().orElseThrow();
        assertThat(dns.isUnresolved()).isTrue();
        assertThat(dns.getHostString()).isEqualTo("example.com");
        assertThat(dns.getPort()).isEqualTo(443);
        assertThat(Multiaddr.fromString("/ip6/::1/tcp/1").toTcpSocketAddress().orElseThrow().getAddress().isLoopbackAddress()).isTrue();
        assertThat(Multiaddr.fromString("/ip4/1.2.3.4/udp/1/quic-v1").toTcpSocketAddress()).isEmpty();
        assertThat(Multiaddr.fromString("/dnsaddr/bootstrap.libp2p.io").toTcpSocketAddress()).isEmpty();

        Multiaddr built = Multiaddr.tcp(InetAddress.getByAddress(new byte[] {10, 1, 2, 3}), 65535);
        assertThat(built.toString()).isEqualTo("/ip4/10.1.2.3/tcp/65535");
        assertThat(Multiaddr.tcp(InetAddress.getByName("::1"), 7).toString()).isEqualTo("/ip6/::1/tcp/7");
        assertThatThrownBy(() -> Multiaddr.tcp(InetAddress.getLoopbackAddress(), 65536)).isInstanceOf(MultiformatException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "/ip4/127.0.0.1/tcp/1, true, false, false",
        "/ip6/::1/tcp/1, true, false, false",
        "/dns4/localhost/tcp/1, true, false, false",
        "/ip4/10.1.2.3/tcp/1, false, true, false",
        "/ip4/172.16.0.1/tcp/1, false, true, false",
        "/ip4/172.32.0.1/tcp/1, false, false, true",
        "/ip4/192.168.1.1/tcp/1, false, true, false",
        "/ip4/100.64.0.1/tcp/1, false, true, false",
        "/ip4/169.254.1.1/tcp/1, false, true, false",
        "/ip6/fd00::1/tcp/1, false, true, false",
        "/ip6/fe80::1/tcp/1, false, true, false",
        "/ip4/8.8.8.8/tcp/1, false, false, true",
        "/ip4/0.0.0.0/tcp/1, false, false, false",
        "/ip6/2001:db8::1/tcp/1, false, false, true",
        "/dns4/example.com/tcp/1, false, false, true",
        "/p2p-circuit, false, false, false",
    })
    void addressClasses(String text, boolean loopback, boolean isPrivate, boolean isPublic) {
        Multiaddr m = Multiaddr.fromString(text);
        assertThat(m.isLoopback()).as("loopback").isEqualTo(loopback);
        assertThat(m.isPrivate()).as("private").isEqualTo(isPrivate);
        assertThat(m.isPublic()).as("public").isEqualTo(isPublic);
    }

    private static Gen<String> componentTexts() {
        Gen<String> ip4 = TestGens.bytes(4, 4).map(b -> "/ip4/" + (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff));
        Gen<String> ip6 = TestGens.bytes(16, 16).map(b -> Multiaddr.fromBytes(concat(new byte[] {0x29}, b)).toString());
        Gen<String> port = SourceDSL.integers().between(0, 65535).zip(Generate.pick(List.of("tcp", "udp", "sctp", "dccp")), (p, n) -> "/" + n + "/" + p);
        Gen<String> name = SourceDSL.strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 20).zip(Generate.pick(List.of("dns", "dns4", "dns6", "dnsaddr", "sni", "ip6zone")), (s, n) -> "/" + n + "/" + s);
        Gen<String> unix = TestGens.anyStrings(20).assuming(s -> !s.isEmpty() && s.codePoints().noneMatch(c -> Character.getType(c) == Character.SURROGATE))
                .map(s -> "/unix/" + MultiaddrValues.percentEncode(s));
        Gen<String> bare = Generate.pick(List.of("/tls", "/noise", "/quic", "/quic-v1", "/ws", "/wss", "/p2p-circuit", "/webtransport", "/webrtc", "/http"));
        Gen<String> p2p = Generate.pick(List.of("/p2p/" + ID_A, "/p2p/" + ID_B, "/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN"));
        return ip4.mix(ip6).mix(port).mix(name).mix(unix).mix(bare).mix(p2p);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void roundTrips() {
        Gen<String> addrs = SourceDSL.lists().of(componentTexts()).ofSizeBetween(1, 8).map(l -> String.join("", l));
        qt().withExamples(500).forAll(addrs).checkAssert(text -> {
            Multiaddr m = Multiaddr.fromString(text);
            assertThat(m.toString()).isEqualTo(text);
            assertThat(Multiaddr.fromBytes(m.toBytes())).isEqualTo(m);
            assertThat(Multiaddr.fromBytes(m.toBytes()).toString()).isEqualTo(text);
            assertThat(Multiaddr.fromComponents(m.components())).isEqualTo(m);
        });
    }

    @Test
    void hostileInputOnlyEverRaisesMultiformatException() {
        qt().withExamples(3000).forAll(TestGens.bytes(120)).checkAssert(b -> TestGens.decodesOrRejects(() -> Multiaddr.fromBytes(b)));
        byte[] valid = Multiaddr.fromString("/dns4/example.com/tcp/443/wss/p2p/" + ID_A + "/p2p-circuit/unix/%2Fa").toBytes();
        qt().withExamples(2000).forAll(TestGens.mutations(valid)).checkAssert(b -> TestGens.decodesOrRejects(() -> Multiaddr.fromBytes(b)));
        qt().withExamples(2000).forAll(TestGens.anyStrings(100)).checkAssert(s -> TestGens.decodesOrRejects(() -> Multiaddr.fromString(s)));
        qt().withExamples(2000).forAll(TestGens.mutations("/ip6/2001:db8::1/udp/4001/quic-v1/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g/p2p/" + ID_B))
                .checkAssert(s -> TestGens.decodesOrRejects(() -> Multiaddr.fromString(s)));
        // Random component soup: known names followed by random values.
        Gen<String> soup = SourceDSL.lists().of(Generate.pick(List.of(Protocol.values())).zip(TestGens.asciiStrings(12), (p, v) -> "/" + p.protocolName() + "/" + v.replace('/', '_')))
                .ofSizeBetween(1, 5).map(l -> String.join("", l));
        qt().withExamples(2000).forAll(soup).checkAssert(s -> TestGens.decodesOrRejects(() -> Multiaddr.fromString(s)));
    }

    @Test
    void ed25519PeerIdsMakeP2pComponents() {
        PeerId id = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        Multiaddr m = Multiaddr.fromString("/ip4/1.2.3.4/tcp/1").withPeerId(id);
        assertThat(Multiaddr.fromBytes(m.toBytes()).peerId()).contains(id);
    }
}
