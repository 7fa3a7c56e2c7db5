package io.ggen.p2p.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;

/**
 * What a gateway sends: NAT-PMP and PCP datagrams, SSDP answers, device descriptions and SOAP
 * responses. Only {@link PortmapCodecException} escapes, and what decodes re-encodes stably.
 */
class PortmapFuzzTest {
    private static final URI LOCATION = URI.create("http://10.0.1.1:5000/rootDesc.xml");

    @FuzzTest
    void natPmp(byte[] input) throws PortmapCodecException {
        NatPmpMessage m;
        try {
            m = NatPmpCodec.decode(input);
        } catch (PortmapCodecException refused) {
            return;
        }
        assertThat(NatPmpCodec.decode(NatPmpCodec.encode(m))).isEqualTo(m);
    }

    @FuzzTest
    void pcp(byte[] input) throws PortmapCodecException {
        PcpMessage m;
        try {
            m = PcpCodec.decode(input);
        } catch (PortmapCodecException refused) {
            return;
        }
        assertThat(PcpCodec.decode(PcpCodec.encode(m))).isEqualTo(m);
    }

    @FuzzTest
    void ssdp(byte[] input) {
        try {
            SsdpCodec.Answer a = SsdpCodec.parseAnswer(input, input.length);
            assertThat(a.location().getScheme()).isEqualToIgnoringCase("http");
        } catch (PortmapCodecException refused) {
            // the one way to say no
        }
    }

    @FuzzTest
    void igdXml(byte[] input) {
        try {
            IgdXml.controlPoint(input, LOCATION).ifPresent(cp -> assertThat(cp.controlUrl().getHost()).isEqualTo("10.0.1.1"));
        } catch (PortmapCodecException refused) {
            // the one way to say no
        }
        try {
            IgdXml.soapResponse(input, "AddPortMapping");
        } catch (PortmapCodecException refused) {
            // the one way to say no
        }
    }
}
