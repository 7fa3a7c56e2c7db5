package io.ggen.p2p.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.ggen.p2p.multiformats.TestGens;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** NAT-PMP and PCP codecs: every message survives a round trip; hostile bytes give one checked exception, or a message that re-encodes stably. */
class PortmapCodecsTest {
    private static final Gen<Integer> PORTS = integers().between(0, 65535);
    private static final Gen<Long> U32 = longs().between(0, 0xffffffffL);

    private static InetAddress ip(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Gen<InetAddress> addrs() {
        return TestGens.bytes(4, 4).map(PortmapCodecsTest::ip).mix(TestGens.bytes(16, 16).map(PortmapCodecsTest::ip));
    }

    private static Gen<NatPmpMessage> natPmp() {
        Gen<Integer> proto = integers().between(1, 2);
        Gen<NatPmpMessage> req = proto.zip(PORTS, PORTS, U32, NatPmpMessage.MapRequest::new);
        Gen<NatPmpMessage> ext = U32.zip(TestGens.bytes(4, 4), (e, a) -> new NatPmpMessage.ExternalAddressResponse(e, NatPmpCodec.ipv4(a)));
        Gen<NatPmpMessage> resp = proto.zip(U32, PORTS, PORTS, (p, e, i, x) -> new NatPmpMessage.MapResponse(p, e, i, x, 3600));
        Gen<NatPmpMessage> err = integers().between(128, 255).zip(integers().between(1, 65535), U32, NatPmpMessage.ErrorResponse::new);
        return req.mix(ext).mix(resp).mix(err).mix(U32.map(x -> new NatPmpMessage.ExternalAddressRequest()), 10);
    }

    private static Gen<PcpMessage> pcp() {
        Gen<PcpMessage.Nonce> nonces = longs().all().zip(integers().all(), PcpMessage.Nonce::new);
        Gen<PcpMessage> req = U32.zip(addrs(), nonces, PORTS, (l, c, n, p) -> new PcpMessage.MapRequest(l, c, n, 6, p, p, c));
        Gen<PcpMessage> resp = integers().between(0, 255).zip(U32, nonces, PORTS, addrs(), (r, l, n, p, a) -> new PcpMessage.MapResponse(r, l, l, n, 17, p, p, a));
        Gen<PcpMessage> hdr = integers().between(0, 127).zip(integers().between(0, 255), U32, (o, r, l) -> new PcpMessage.HeaderResponse(o, r, l, l));
        return req.mix(resp).mix(hdr);
    }

    @Test
    void natPmpMessagesSurviveARoundTrip() {
        qt().forAll(natPmp()).checkAssert(m -> {
            try {
                assertThat(NatPmpCodec.decode(NatPmpCodec.encode(m))).isEqualTo(m);
            } catch (PortmapCodecException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void pcpMessagesSurviveARoundTrip() {
        qt().forAll(pcp()).checkAssert(m -> {
            try {
                assertThat(PcpCodec.decode(PcpCodec.encode(m))).isEqualTo(m);
            } catch (PortmapCodecException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void mutatedNatPmpBytesDecodeOrAreRefused() {
        byte[] valid = NatPmpCodec.encode(new NatPmpMessage.MapResponse(2, 7, 4001, 4001, 3600));
        qt().forAll(TestGens.mutations(valid).mix(TestGens.bytes(40))).checkAssert(b -> {
            try {
                NatPmpMessage m = NatPmpCodec.decode(b);
                assertThat(NatPmpCodec.decode(NatPmpCodec.encode(m))).isEqualTo(m);
            } catch (PortmapCodecException refused) {
                // the one way to say no
            }
        });
    }

    @Test
    void mutatedPcpBytesDecodeOrAreRefused() {
        byte[] valid = PcpCodec.encode(new PcpMessage.MapResponse(0, 3600, 9, new PcpMessage.Nonce(1, 2), 6, 4001, 4001, ip(new byte[] {(byte) 192, 0, 1, 1})));
        qt().forAll(TestGens.mutations(valid).mix(TestGens.bytes(1200))).checkAssert(b -> {
            try {
                PcpMessage m = PcpCodec.decode(b);
                assertThat(PcpCodec.decode(PcpCodec.encode(m))).isEqualTo(m);
            } catch (PortmapCodecException refused) {
                // the one way to say no
            }
        });
    }

    @Test
    void pcpRefusesOversizedOddAndOverlongOptions() {
        assertThatThrownBy(() -> PcpCodec.decode(new byte[1104])).isInstanceOf(PortmapCodecException.class).hasMessageContaining("at most 1100");
        byte[] odd = new byte[26];
        odd[0] = 2;
        assertThatThrownBy(() -> PcpCodec.decode(odd)).isInstanceOf(PortmapCodecException.class).hasMessageContaining("multiple of 4");
        byte[] base = PcpCodec.encode(new PcpMessage.HeaderResponse(1, 0, 60, 1));
        byte[] withOption = java.util.Arrays.copyOf(base, base.length + 8);
        withOption[base.length + 2] = (byte) 0xff; // option length 65535 with 4 bytes left
        withOption[base.length + 3] = (byte) 0xff;
        assertThatThrownBy(() -> PcpCodec.decode(withOption)).isInstanceOf(PortmapCodecException.class).hasMessageContaining("option");
    }

    @Test
    void ipv4TravelsAsAMappedAddressInPcp() throws Exception {
        InetAddress v4 = ip(new byte[] {(byte) 192, 0, 1, 1});
        byte[] wire = PcpCodec.encode(new PcpMessage.MapRequest(60, v4, new PcpMessage.Nonce(1, 2), 6, 4001, 4001, PcpCodec.anyIpv4()));
        assertThat(wire).hasSize(60);
        assertThat(java.util.Arrays.copyOfRange(wire, 8, 24)).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 1, 1);
        assertThat(((PcpMessage.MapRequest) PcpCodec.decode(wire)).clientAddress()).isEqualTo(v4);
    }

    @Test
    void natPmpErrorsNeedOnlyTheirHeader() throws Exception {
        byte[] unsupported = {0, (byte) 129, 0, 1, 0, 0, 0, 5};
        assertThat(NatPmpCodec.decode(unsupported)).isEqualTo(new NatPmpMessage.ErrorResponse(129, 1, 5));
        assertThatThrownBy(() -> NatPmpCodec.decode(new byte[] {0, (byte) 130, 0, 0, 0, 0, 0, 1})).isInstanceOf(PortmapCodecException.class);
        assertThatThrownBy(() -> NatPmpCodec.decode(new byte[17])).isInstanceOf(PortmapCodecException.class);
    }
}
