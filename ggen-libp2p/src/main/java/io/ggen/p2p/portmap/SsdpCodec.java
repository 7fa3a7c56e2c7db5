package io.ggen.p2p.portmap;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * SSDP (UPnP Device Architecture 1.1, section 1.3) as far as finding an Internet Gateway Device
 * goes: the M-SEARCH request, and the unicast answer's {@code LOCATION} and {@code ST}; pure.
 * An answer is at most {@link #MAX_SIZE} bytes of ASCII header lines.
 */
public final class SsdpCodec {
    public static final String MULTICAST_ADDRESS = "239.255.255.250";
    public static final int PORT = 1900;
    public static final int MAX_SIZE = 2048;
    public static final String IGD_1 = "urn:schemas-upnp-org:device:InternetGatewayDevice:1";

    /** One answer: where the device description is, and what the device said it is. */
    public record Answer(URI location, String searchTarget) {}

    private SsdpCodec() {}

    /** An M-SEARCH for {@code searchTarget}, answered within {@code mxSecs} seconds. */
    public static byte[] search(String searchTarget, int mxSecs) {
        String text = "M-SEARCH * HTTP/1.1\r\n"
                + "HOST: " + MULTICAST_ADDRESS + ":" + PORT + "\r\n"
                + "MAN: \"ssdp:discover\"\r\n"
                + "MX: " + mxSecs + "\r\n"
                + "ST: " + searchTarget + "\r\n"
                + "\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The answer in {@code datagram} ({@code length} bytes): an {@code HTTP/1.1 200} status line
     * and a {@code LOCATION} that is an {@code http} URL with a host and a port.
     */
    public static Answer parseAnswer(byte[] datagram, int length) throws PortmapCodecException {
        if (length > MAX_SIZE || length > datagram.length) throw new PortmapCodecException("SSDP answer of " + length + " bytes (at most " + MAX_SIZE + ")");
        for (int i = 0; i < length; i++) {
            int c = datagram[i] & 0xff;
            if (c > 0x7e || (c < 0x20 && c != '\r' && c != '\n' && c != '\t')) throw new PortmapCodecException("SSDP answer is not printable ASCII");
        }
        String[] lines = new String(datagram, 0, length, StandardCharsets.US_ASCII).split("\r?\n", 64);
        if (!lines[0].startsWith("HTTP/1.1 200") && !lines[0].startsWith("HTTP/1.0 200")) {
            throw new PortmapCodecException("SSDP answer does not start with HTTP/1.1 200");
        }
        String location = null;
        String st = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) continue;
            String name = lines[i].substring(0, colon).trim().toUpperCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("LOCATION") && location == null) location = value;
            else if (name.equals("ST") && st == null) st = value;
        }
        if (location == null) throw new PortmapCodecException("SSDP answer without LOCATION");
        URI uri;
        try {
            uri = new URI(location);
        } catch (java.net.URISyntaxException e) {
            throw new PortmapCodecException("SSDP LOCATION is not a URL: " + e.getMessage());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535) {
            throw new PortmapCodecException("SSDP LOCATION is not an http URL with a host and port");
        }
        return new Answer(uri, st == null ? "" : st);
    }
}
