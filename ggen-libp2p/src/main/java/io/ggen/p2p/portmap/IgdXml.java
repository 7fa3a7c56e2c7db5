package io.ggen.p2p.portmap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The XML of UPnP IGD: the device description (which connection service, and its control URL)
 * and SOAP actions (requests out, responses and faults in); pure. What a device sends is
 * hostile: at most {@link #MAX_SIZE} bytes, checked before parsing, and parsed with DTDs refused
 * outright (so no entity, internal or external, is expanded) and nothing fetched.
 */
public final class IgdXml {
    public static final int MAX_SIZE = 64 * 1024;
    /** Output arguments of one SOAP response kept, at most. */
    static final int MAX_ARGS = 32;
    static final int MAX_ARG_LENGTH = 1024;
    /** Connection services we can map ports with, best first. */
    public static final List<String> SERVICE_TYPES = List.of(
            "urn:schemas-upnp-org:service:WANIPConnection:2",
            "urn:schemas-upnp-org:service:WANIPConnection:1",
            "urn:schemas-upnp-org:service:WANPPPConnection:1");
    private static final String SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/";

    /** The service to send actions to. */
    public record ControlPoint(URI controlUrl, String serviceType) {}

    /** What a SOAP action returned: its output arguments by name, or a UPnP error. */
    public sealed interface SoapResult {
        record Ok(Map<String, String> args) implements SoapResult {}

        record Fault(int errorCode, String description) implements SoapResult {}
    }

    private IgdXml() {}

    /**
     * The best connection service in the description fetched from {@code location}. Its control
     * URL must stay on the location's host: a description cannot send us elsewhere.
     */
    public static Optional<ControlPoint> controlPoint(byte[] xml, URI location) throws PortmapCodecException {
        Document doc = parse(xml);
        String base = null;
        NodeList bases = doc.getElementsByTagNameNS("*", "URLBase");
        if (bases.getLength() > 0) base = text(bases.item(0));
        NodeList services = doc.getElementsByTagNameNS("*", "service");
        for (String wanted : SERVICE_TYPES) {
            for (int i = 0; i < services.getLength() && i < 256; i++) {
                Element s = (Element) services.item(i);
                if (!wanted.equals(child(s, "serviceType"))) continue;
                String control = child(s, "controlURL");
                if (control == null || control.isEmpty()) continue;
                URI url = resolve(location, base, control);
                return Optional.of(new ControlPoint(url, wanted));
            }
        }
        return Optional.empty();
    }

    private static URI resolve(URI location, String base, String control) throws PortmapCodecException {
        try {
            URI from = base == null || base.isBlank() ? location : new URI(base.trim());
            URI url = from.resolve(new URI(control.trim()));
            if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null || !url.getHost().equalsIgnoreCase(location.getHost())) {
                throw new PortmapCodecException("control URL " + url + " is not on the gateway " + location.getHost());
            }
            if (url.getPort() < 1 || url.getPort() > 65535) throw new PortmapCodecException("control URL " + url + " has no port");
            return url;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new PortmapCodecException("control URL is not a URL: " + e.getMessage());
        }
    }

    /** A SOAP request for {@code action} of {@code serviceType} with {@code args} in order. */
    public static byte[] soapRequest(String serviceType, String action, Map<String, String> args) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"").append(SOAP_ENV)
                .append("\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body><u:").append(action)
                .append(" xmlns:u=\"").append(escape(serviceType)).append("\">");
        for (Map.Entry<String, String> e : args.entrySet()) {
            sb.append('<').append(e.getKey()).append('>').append(escape(e.getValue())).append("</").append(e.getKey()).append('>');
        }
        sb.append("</u:").append(action).append("></s:Body></s:Envelope>\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The response to {@code action}: its arguments, or the UPnP error of a SOAP fault. */
    public static SoapResult soapResponse(byte[] xml, String action) throws PortmapCodecException {
        Document doc = parse(xml);
        NodeList faults = doc.getElementsByTagNameNS(SOAP_ENV, "Fault");
        if (faults.getLength() > 0) {
            Element fault = (Element) faults.item(0);
            String code = descendant(fault, "errorCode");
            String description = descendant(fault, "errorDescription");
            int n;
            try {
                n = Integer.parseInt(code == null ? "" : code.trim());
            } catch (NumberFormatException e) {
                throw new PortmapCodecException("SOAP fault without a numeric errorCode");
            }
            return new SoapResult.Fault(n, description == null ? "" : truncate(description));
        }
        NodeList found = doc.getElementsByTagNameNS("*", action + "Response");
        if (found.getLength() == 0) throw new PortmapCodecException("no " + action + "Response in the SOAP answer");
        Map<String, String> args = new LinkedHashMap<>();
        for (Node c = found.item(0).getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c.getNodeType() != Node.ELEMENT_NODE) continue;
            if (args.size() == MAX_ARGS) throw new PortmapCodecException("more than " + MAX_ARGS + " arguments in " + action + "Response");
            String name = c.getLocalName() == null ? c.getNodeName() : c.getLocalName();
            String value = text(c);
            if (value.length() > MAX_ARG_LENGTH) throw new PortmapCodecException("argument " + name + " longer than " + MAX_ARG_LENGTH);
            args.putIfAbsent(name, value);
        }
        return new SoapResult.Ok(Map.copyOf(args));
    }

    static Document parse(byte[] xml) throws PortmapCodecException {
        if (xml.length > MAX_SIZE) throw new PortmapCodecException("XML of " + xml.length + " bytes (at most " + MAX_SIZE + ")");
        try {
            DocumentBuilder builder = FACTORY.get().newDocumentBuilder();
            builder.setErrorHandler(QUIET);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused: " + systemId);
            });
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException | ParserConfigurationException | RuntimeException e) {
            throw new PortmapCodecException("malformed XML: " + e.getMessage(), e);
        }
    }

    private static final ThreadLocal<DocumentBuilderFactory> FACTORY = ThreadLocal.withInitial(() -> {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        try {
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            // a description is a few levels deep; a deeper document is an attack on our stack
            f.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", "32");
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be hardened", e);
        }
        return f;
    });

    private static final ErrorHandler QUIET = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private static String child(Element parent, String localName) {
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c.getNodeType() == Node.ELEMENT_NODE && localName.equals(c.getLocalName())) return text(c).trim();
        }
        return null;
    }

    private static String descendant(Element parent, String localName) {
        NodeList l = parent.getElementsByTagNameNS("*", localName);
        return l.getLength() == 0 ? null : text(l.item(0));
    }

    private static String text(Node n) {
        String t = n.getTextContent();
        return t == null ? "" : t;
    }

    private static String truncate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) : one;
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
