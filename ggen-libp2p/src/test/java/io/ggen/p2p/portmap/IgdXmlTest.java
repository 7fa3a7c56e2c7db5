package io.ggen.p2p.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** UPnP's XML and SSDP: what a gateway sends is parsed within bounds, and what it cannot make us do. */
class IgdXmlTest {
    private static final URI LOCATION = URI.create("http://10.0.1.1:5000/rootDesc.xml");

    static String description(String serviceType, String controlUrl) {
        return """
                <?xml version="1.0"?>
                <root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>1</minor></specVersion>
                <device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>
                 <serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><controlURL>/ctl/L3F</controlURL></service></serviceList>
                 <deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType><deviceList><device>
                  <deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>
                  <serviceList><service><serviceType>%s</serviceType><controlURL>%s</controlURL></service></serviceList>
                 </device></deviceList></device></deviceList>
                </device></root>
                """.formatted(serviceType, controlUrl);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void findsTheConnectionServiceAndResolvesItsControlUrl() throws Exception {
        IgdXml.ControlPoint cp = IgdXml.controlPoint(utf8(description("urn:schemas-upnp-org:service:WANIPConnection:1", "/ctl/IPConn")), LOCATION).orElseThrow();
        assertThat(cp.controlUrl()).isEqualTo(URI.create("http://10.0.1.1:5000/ctl/IPConn"));
        assertThat(cp.serviceType()).isEqualTo("urn:schemas-upnp-org:service:WANIPConnection:1");
        assertThat(IgdXml.controlPoint(utf8(description("urn:schemas-upnp-org:service:WANPPPConnection:1", "ctl/PPP")), LOCATION).orElseThrow().controlUrl())
                .isEqualTo(URI.create("http://10.0.1.1:5000/ctl/PPP"));
        assertThat(IgdXml.controlPoint(utf8(description("urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1", "/x")), LOCATION)).isEmpty();
    }

    @Test
    void aControlUrlOnAnotherHostIsRefused() {
        assertThatThrownBy(() -> IgdXml.controlPoint(utf8(description("urn:schemas-upnp-org:service:WANIPConnection:2", "http://192.0.2.7:80/steal")), LOCATION))
                .isInstanceOf(PortmapCodecException.class).hasMessageContaining("not on the gateway");
        assertThatThrownBy(() -> IgdXml.controlPoint(utf8(description("urn:schemas-upnp-org:service:WANIPConnection:2", "file:///etc/passwd")), LOCATION))
                .isInstanceOf(PortmapCodecException.class);
    }

    @Test
    void doctypesAndSoEntitiesAreRefused() {
        String laughs = """
                <?xml version="1.0"?>
                <!DOCTYPE root [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
                <root><URLBase>&c;</URLBase></root>
                """;
        String external = """
                <?xml version="1.0"?>
                <!DOCTYPE root [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <root><URLBase>&x;</URLBase></root>
                """;
        for (String xml : new String[] {laughs, external}) {
            assertThatThrownBy(() -> IgdXml.controlPoint(utf8(xml), LOCATION)).isInstanceOf(PortmapCodecException.class).hasMessageContaining("DOCTYPE");
        }
    }

    @Test
    void sizeAndDepthAreBoundedBeforeAnythingIsBuilt() {
        byte[] big = new byte[IgdXml.MAX_SIZE + 1];
        assertThatThrownBy(() -> IgdXml.controlPoint(big, LOCATION)).isInstanceOf(PortmapCodecException.class).hasMessageContaining("at most");
        String deep = "<a>".repeat(5000) + "</a>".repeat(5000);
        assertThatThrownBy(() -> IgdXml.controlPoint(utf8(deep), LOCATION)).isInstanceOf(PortmapCodecException.class);
    }

    @Test
    void soapRequestsEscapeTheirArgumentsAndResponsesAndFaultsAreRead() throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("NewPortMappingDescription", "<ggen & co>");
        String req = new String(IgdXml.soapRequest("urn:schemas-upnp-org:service:WANIPConnection:1", "AddPortMapping", args), StandardCharsets.UTF_8);
        assertThat(req).contains("<NewPortMappingDescription>&lt;ggen &amp; co&gt;</NewPortMappingDescription>");

        String ok = """
                <?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
                <u:GetExternalIPAddressResponse xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1"><NewExternalIPAddress>192.0.1.1</NewExternalIPAddress>
                </u:GetExternalIPAddressResponse></s:Body></s:Envelope>""";
        assertThat(IgdXml.soapResponse(utf8(ok), "GetExternalIPAddress")).isEqualTo(new IgdXml.SoapResult.Ok(Map.of("NewExternalIPAddress", "192.0.1.1")));

        String fault = """
                <?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode>
                <faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>718</errorCode>
                <errorDescription>ConflictInMappingEntry</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>""";
        assertThat(IgdXml.soapResponse(utf8(fault), "AddPortMapping")).isEqualTo(new IgdXml.SoapResult.Fault(718, "ConflictInMappingEntry"));
        assertThatThrownBy(() -> IgdXml.soapResponse(utf8("<x/>"), "AddPortMapping")).isInstanceOf(PortmapCodecException.class);
    }

    @Test
    void ssdpAnswersNeedAStatusAndAnHttpLocation() throws Exception {
        byte[] answer = utf8("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                + "Location: http://10.0.1.1:5000/rootDesc.xml\r\n\r\n");
        SsdpCodec.Answer a = SsdpCodec.parseAnswer(answer, answer.length);
        assertThat(a.location()).isEqualTo(LOCATION);
        assertThat(a.searchTarget()).isEqualTo(SsdpCodec.IGD_1);
        for (String bad : new String[] {"NOTIFY * HTTP/1.1\r\nLOCATION: http://10.0.1.1:5000/\r\n\r\n", "HTTP/1.1 200 OK\r\nST: x\r\n\r\n",
                "HTTP/1.1 200 OK\r\nLOCATION: file:///etc/passwd\r\n\r\n", "HTTP/1.1 200 OK\r\nLOCATION: http://10.0.1.1/\r\n\r\n", "HTTP/1.1 200 OK\r\n\u0000\r\n"}) {
            byte[] b = utf8(bad);
            assertThatThrownBy(() -> SsdpCodec.parseAnswer(b, b.length)).as(bad).isInstanceOf(PortmapCodecException.class);
        }
        assertThat(new String(SsdpCodec.search(SsdpCodec.IGD_1, 2), StandardCharsets.US_ASCII)).startsWith("M-SEARCH * HTTP/1.1\r\n").contains("MAN: \"ssdp:discover\"");
    }

    @Test
    void theDefaultRouteIsReadFromProcNetRoute() {
        String routes = """
                Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
                eth0	0001000A	00000000	0001	0	0	0	00FFFFFF	0	0	0
                wlan0	00000000	FE01A8C0	0003	0	0	600	00000000	0	0	0
                eth0	00000000	0101000A	0003	0	0	100	00000000	0	0	0
                """;
        Gateway.DefaultRoute r = Gateway.defaultRoute(routes).orElseThrow();
        assertThat(r.interfaceName()).isEqualTo("eth0");
        assertThat(r.gateway().getHostAddress()).isEqualTo("10.0.1.1");
        assertThat(Gateway.defaultRoute("Iface\tDestination\ngarbage\n")).isEmpty();
    }
}
