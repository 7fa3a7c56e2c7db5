package io.ggen.p2p.discovery.mdns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import io.ggen.p2p.discovery.mdns.DnsMessage.Ptr;
import io.ggen.p2p.discovery.mdns.DnsMessage.Question;
import io.ggen.p2p.discovery.mdns.DnsMessage.Raw;
import io.ggen.p2p.discovery.mdns.DnsMessage.ResourceRecord;
import io.ggen.p2p.discovery.mdns.DnsMessage.Txt;
import io.ggen.p2p.multiformats.TestGens;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class DnsCodecTest {

    private static Gen<String> labels() {
        return strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 20);
    }

    private static Gen<String> names() {
        return integers().between(1, 4).zip(labels(), (n, l) -> String.join(".", Collections.nCopies(n, l)) + ".local");
    }

    private static Gen<ResourceRecord> records() {
        Gen<ResourceRecord> ptr = names().zip(names(), (a, b) -> new ResourceRecord(a, DnsMessage.TYPE_PTR, 120, new Ptr(b)));
        Gen<ResourceRecord> txt = names().zip(integers().between(0, 5), TestGens.asciiStrings(200),
                (a, n, s) -> new ResourceRecord(a, DnsMessage.TYPE_TXT, 4500, new Txt(Collections.nCopies(n, "dnsaddr=" + s))));
        Gen<ResourceRecord> raw = names().zip(TestGens.bytes(16), (a, b) -> new ResourceRecord(a, DnsMessage.TYPE_A, 0, new Raw(b)));
        return ptr.mix(txt).mix(raw);
    }

    @Test
    void messagesSurviveARoundTrip() {
        qt().forAll(integers().between(0, 0xffff), names(), records(), records()).checkAssert((id, q, an, ar) -> {
            DnsMessage m = new DnsMessage(id, id % 2 == 0, List.of(new Question(q, DnsMessage.TYPE_PTR)), List.of(an), List.of(ar));
            try {
                assertThat(DnsCodec.decode(DnsCodec.encode(m))).isEqualTo(m);
            } catch (DnsException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void hostilePacketsAreRefusedWithOneExceptionOnly() {
        byte[] valid = DnsCodec.encode(new DnsMessage(0, true, List.of(),
                List.of(new ResourceRecord("_p2p._udp.local", DnsMessage.TYPE_PTR, 120, new Ptr("abc._p2p._udp.local"))),
                List.of(new ResourceRecord("abc._p2p._udp.local", DnsMessage.TYPE_TXT, 120, new Txt(List.of("dnsaddr=/ip4/10.0.0.1/tcp/1"))))));
        qt().forAll(TestGens.mutations(valid).mix(TestGens.bytes(600))).checkAssert(b -> {
            try {
                DnsCodec.decode(b);
            } catch (DnsException expected) {
                // refused
            } catch (RuntimeException e) {
                throw new AssertionError("decoder leaked " + e, e);
            }
        });
    }

    @Test
    void compressionPointersMustPointBackwardsAndCannotLoop() {
        // header: 1 question; the question's name is a pointer to itself
        byte[] self = HexFormat.of().parseHex("000000000001000000000000" + "c00c" + "000c0001");
        assertThatThrownBy(() -> DnsCodec.decode(self)).isInstanceOf(DnsException.class).hasMessageContaining("backwards");
        // a name at 12 ("a"), then a name that points to 12 and reads on: fine
        byte[] ok = HexFormat.of().parseHex("000000000002000000000000" + "016100" + "000c0001" + "0162c00c" + "000c0001");
        assertThat(assertDecodes(ok).questions()).extracting(Question::name).containsExactly("a", "b.a");
        // too many labels: a 300-byte name
        StringBuilder longName = new StringBuilder();
        for (int i = 0; i < 10; i++) longName.append("1e").append("61".repeat(30));
        byte[] tooLong = HexFormat.of().parseHex("000000000001000000000000" + longName + "00" + "000c0001");
        assertThatThrownBy(() -> DnsCodec.decode(tooLong)).isInstanceOf(DnsException.class).hasMessageContaining("longer than 255");
        byte[] manyRecords = HexFormat.of().parseHex("00000000000001ff00000000");
        assertThatThrownBy(() -> DnsCodec.decode(manyRecords)).isInstanceOf(DnsException.class).hasMessageContaining("records, more than");
        assertThatThrownBy(() -> DnsCodec.decode(new byte[9001])).isInstanceOf(DnsException.class).hasMessageContaining("exceeds");
    }

    private static DnsMessage assertDecodes(byte[] b) {
        try {
            return DnsCodec.decode(b);
        } catch (DnsException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCompressedResponseAsMulticastDnsLibrariesWriteIt() {
        // answers: _p2p._udp.local PTR x._p2p._udp.local (target compressed to the owner name),
        //          x._p2p._udp.local TXT "dnsaddr=/ip4/10.0.0.2/tcp/4001"
        String txt = "dnsaddr=/ip4/10.0.0.2/tcp/4001";
        String hex = "000084000000000200000000"
                + "045f703270045f756470056c6f63616c00" + "000c0001" + "00000078" + "0004" + "0178c00c"
                + "c027" + "00108001" + "00000078" + String.format("%04x", txt.length() + 1)
                + String.format("%02x", txt.length()) + HexFormat.of().formatHex(txt.getBytes());
        DnsMessage m = assertDecodes(HexFormat.of().parseHex(hex));
        assertThat(m.response()).isTrue();
        assertThat(m.answers().get(0)).isEqualTo(new ResourceRecord("_p2p._udp.local", DnsMessage.TYPE_PTR, 120, new Ptr("x._p2p._udp.local")));
        assertThat(m.answers().get(1)).isEqualTo(new ResourceRecord("x._p2p._udp.local", DnsMessage.TYPE_TXT, 120, new Txt(List.of(txt))));
    }
}
