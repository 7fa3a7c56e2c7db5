package io.ggen.p2p.multiaddr;



import io.ggen.p2p.multiformats.MultiformatException;
import io.ggen.p2p.multiformats.Multibase;
import io.ggen.p2p.multiformats.Multihash;
import io.ggen.p2p.crypto.InvalidKeyException;
import io.ggen.p2p.crypto.PeerId;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Text and binary forms of multiaddr component values, with their checks. */
final class MultiaddrValues {
    /** Longest variable value (name, path, peer id, certhash) accepted. */
    static final int MAX_VALUE_BYTES = 512;

    private MultiaddrValues() {}

    /** Parses the text value of {@code p} into its binary value (without a length prefix). */
    static byte[] textToBytes(Protocol p, String text) {
        byte[] value = switch (p.kind()) {
            case NONE -> throw new IllegalStateException("no value");
            case IP4 -> parseIp4(text);
            case IP6 -> parseIp6(text);
            case PORT -> parsePort(text);
            case BYTE -> parseByte(text);
            case NAME -> text.getBytes(StandardCharsets.UTF_8);
            case PERCENT_ENCODED -> percentDecode(text);
            case PEER_ID -> peerIdFromText(text);
            case MULTIBASE_MULTIHASH -> Multihash.fromBytes(Multibase.decode(text)).toBytes();
        };
        check(p, value);
        return value;
    }

    /** Checks a binary value of {@code p} and returns its text form. */
    static String bytesToText(Protocol p, byte[] value) {
        check(p, value);
        return switch (p.kind()) {
            case NONE -> "";
            case IP4 -> (value[0] & 0xff) + "." + (value[1] & 0xff) + "." + (value[2] & 0xff) + "." + (value[3] & 0xff);
            case IP6 -> formatIp6(value);
            case PORT -> Integer.toString(((value[0] & 0xff) << 8) | (value[1] & 0xff));
            case BYTE -> Integer.toString(value[0] & 0xff);
            case NAME -> new String(value, StandardCharsets.UTF_8);
            case PERCENT_ENCODED -> percentEncode(utf8(p, value));
            case PEER_ID -> peerIdFromBytes(value).toBase58();
            case MULTIBASE_MULTIHASH -> Multibase.encode(Multibase.Encoding.BASE64URL, value);
        };
    }

    private static void check(Protocol p, byte[] value) {
        if (p.size() > 0 && value.length * 8 != p.size()) {
            throw new MultiformatException("multiaddr: /" + p.protocolName() + " value must be " + p.size() / 8 + " bytes");
        }
        if (p.size() != Protocol.VARIABLE) return;
        if (value.length == 0) throw new MultiformatException("multiaddr: /" + p.protocolName() + " value is empty");
        if (value.length > MAX_VALUE_BYTES) throw new MultiformatException("multiaddr: /" + p.protocolName() + " value longer than " + MAX_VALUE_BYTES + " bytes");
        switch (p.kind()) {
            case NAME -> {
                // A '/' would not survive the text form; the value must be text at all.
                String s = utf8(p, value);
                if (s.indexOf('/') >= 0) throw new MultiformatException("multiaddr: /" + p.protocolName() + " value contains '/'");
                for (int i = 0; i < s.length(); i++) {
                    if (Character.isISOControl(s.charAt(i))) throw new MultiformatException("multiaddr: /" + p.protocolName() + " value contains a control character");
                }
            }
            case PERCENT_ENCODED -> utf8(p, value);
            case PEER_ID -> peerIdFromBytes(value);
            case MULTIBASE_MULTIHASH -> Multihash.fromBytes(value);
            default -> {}
        }
    }

    private static String utf8(Protocol p, byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MultiformatException("multiaddr: /" + p.protocolName() + " value is not UTF-8", e);
        }
    }

    private static PeerId peerIdFromBytes(byte[] value) {
        try {
            return PeerId.fromBytes(value);
        } catch (InvalidKeyException e) {
            throw new MultiformatException("multiaddr: /p2p value is not a peer id: " + e.getMessage(), e);
        }
    }

    private static byte[] peerIdFromText(String text) {
        try {
            return PeerId.fromString(text).toBytes();
        } catch (InvalidKeyException e) {
            throw new MultiformatException("multiaddr: /p2p value is not a peer id: " + e.getMessage(), e);
        }
    }

    // ---- numbers ----

    private static int parseDecimal(String text, int max, String what) {
        if (text.isEmpty() || text.length() > 5) throw new MultiformatException("multiaddr: invalid " + what + " '" + clip(text) + "'");
        int v = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') throw new MultiformatException("multiaddr: invalid " + what + " '" + clip(text) + "'");
            v = v * 10 + (c - '0');
        }
        if (v > max) throw new MultiformatException("multiaddr: " + what + " " + v + " out of range 0.." + max);
        return v;
    }

    private static byte[] parsePort(String text) {
        int port = parseDecimal(text, 65535, "port");
        return new byte[] {(byte) (port >> 8), (byte) port};
    }

    private static byte[] parseByte(String text) {
        return new byte[] {(byte) parseDecimal(text, 255, "number")};
    }

    // ---- IP addresses, parsed by hand: InetAddress.getByName would resolve names ----

    static byte[] parseIp4(String text) {
        byte[] out = new byte[4];
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) throw new MultiformatException("multiaddr: invalid ip4 address '" + clip(text) + "'");
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            // Leading zeros are refused: some parsers read them as octal.
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                throw new MultiformatException("multiaddr: invalid ip4 address '" + clip(text) + "'");
            }
            out[i] = (byte) parseDecimal(part, 255, "ip4 octet");
        }
        return out;
    }

    static byte[] parseIp6(String text) {
        if (text.isEmpty() || text.length() > 45) throw new MultiformatException("multiaddr: invalid ip6 address '" + clip(text) + "'");
        byte[] out = new byte[16];
        String head = text;
        String tail = null;
        int dc = text.indexOf("::");
        if (dc >= 0) {
            if (text.indexOf("::", dc + 1) >= 0) throw new MultiformatException("multiaddr: invalid ip6 address '" + clip(text) + "' (two '::')");
            head = text.substring(0, dc);
            tail = text.substring(dc + 2);
        }
        int[] headGroups = ip6Groups(head, text, tail == null || tail.isEmpty());
        int[] tailGroups = tail == null ? new int[0] : ip6Groups(tail, text, true);
        int total = headGroups.length + tailGroups.length;
        if (tail == null ? total != 8 : total > 7) throw new MultiformatException("multiaddr: invalid ip6 address '" + clip(text) + "'");
        for (int i = 0; i < headGroups.length; i++) {
            out[2 * i] = (byte) (headGroups[i] >> 8);
            out[2 * i + 1] = (byte) headGroups[i];
        }
        for (int i = 0; i < tailGroups.length; i++) {
            int g = 8 - tailGroups.length + i;
            out[2 * g] = (byte) (tailGroups[i] >> 8);
            out[2 * g + 1] = (byte) tailGroups[i];
        }
        return out;
    }

    /** 16-bit groups of one side of '::'; a dotted ip4 may end the last side (two groups). */
    private static int[] ip6Groups(String part, String whole, boolean mayEndWithIp4) {
        if (part.isEmpty()) return new int[0];
        String[] groups = part.split(":", -1);
        int n = groups.length;
        boolean ip4 = mayEndWithIp4 && groups[n - 1].indexOf('.') >= 0;
        int[] out = new int[ip4 ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            String g = groups[i];
            if (ip4 && i == n - 1) {
                byte[] v4 = parseIp4(g);
                out[i] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                out[i + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                break;
            }
            if (g.isEmpty() || g.length() > 4) throw new MultiformatException("multiaddr: invalid ip6 address '" + clip(whole) + "'");
            int v = 0;
            for (int k = 0; k < g.length(); k++) {
                int d = Character.digit(g.charAt(k), 16);
                if (d < 0 || g.charAt(k) > 'f') throw new MultiformatException("multiaddr: invalid ip6 address '" + clip(whole) + "'");
                v = (v << 4) | d;
            }
            out[i] = v;
        }
        return out;
    }

    /** RFC 5952 text: lower case hex, no leading zeros, the longest run of two or more zero groups as '::'. */
    static String formatIp6(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) bestStart = -1;
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    // ---- percent encoding, with the character set of JavaScript's encodeURIComponent ----

    private static boolean unreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.!~*'()".indexOf(c) >= 0;
    }

    static String percentEncode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(b.length * 3);
        for (byte x : b) {
            int c = x & 0xff;
            if (c < 0x80 && unreserved(c)) sb.append((char) c);
            else sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
        }
        return sb.toString();
    }

    static byte[] percentDecode(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) == '%') {
                if (i + 2 >= s.length()) throw new MultiformatException("multiaddr: truncated percent escape");
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0 || s.charAt(i + 1) > 'f' || s.charAt(i + 2) > 'f') throw new MultiformatException("multiaddr: invalid percent escape");
                out.write((hi << 4) | lo);
                i += 3;
            } else {
                int j = s.indexOf('%', i);
                if (j < 0) j = s.length();
                try {
                    ByteBuffer enc = StandardCharsets.UTF_8.newEncoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .encode(CharBuffer.wrap(s, i, j));
                    out.write(enc.array(), enc.arrayOffset() + enc.position(), enc.remaining());
                } catch (CharacterCodingException e) {
                    throw new MultiformatException("multiaddr: value is not valid Unicode", e);
                }
                i = j;
            }
        }
        return out.toByteArray();
    }

    static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
