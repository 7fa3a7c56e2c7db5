package io.ggen.p2p.multistream;

import io.ggen.p2p.multiformats.MultiformatException;
import io.ggen.p2p.multiformats.Varint;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Wire format of multistream-select 1.0: each message is an unsigned-varint length, then that
 * many bytes of UTF-8 text whose last byte is {@code '\n'} (the length counts the newline).
 * Pure functions, no state.
 */
public final class MultistreamCodec {
    public static final String PROTOCOL_ID = "/multistream/1.0.0";
    public static final String NA = "na";
    public static final String LS = "ls";
    private static final byte NEWLINE = '\n';

    private MultistreamCodec() {}

    /** A decoded message: its text without the newline, and how many bytes (prefix included) it took. */
    public record Frame(String text, int consumed) {}

    /**
     * A protocol id we are willing to send or accept as ours: non-empty, starting with '/', no
     * whitespace or control characters (the newline is the message terminator, and js trims
     * trailing whitespace from what it reads, so such ids could never round-trip).
     */
    public static boolean isValidProtocolId(String id) {
        if (id == null || id.isEmpty() || id.charAt(0) != '/') return false;
        for (int i = 0; i < id.length(); ) {
            int cp = id.codePointAt(i);
            if (Character.isISOControl(cp) || Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                    || Character.getType(cp) == Character.SURROGATE) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** Throws if {@code id} is not a valid protocol id or too long for {@code maxMessageLength}. */
    public static void checkProtocolId(String id, int maxMessageLength) {
        if (!isValidProtocolId(id)) throw new IllegalArgumentException("invalid protocol id: " + printable(id));
        if (id.getBytes(StandardCharsets.UTF_8).length + 1 > maxMessageLength) {
            throw new IllegalArgumentException("protocol id longer than " + (maxMessageLength - 1) + " bytes: " + printable(id));
        }
    }

    /** Encodes one message: the length prefix, the text, the newline. */
    public static byte[] encode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 3);
        encodeTo(text, out);
        return out.toByteArray();
    }

    public static void encodeTo(String text, ByteArrayOutputStream out) {
        if (text.indexOf('\n') >= 0) throw new IllegalArgumentException("message text must not contain a newline");
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(Varint.encode(utf8.length + 1L));
        out.writeBytes(utf8);
        out.write(NEWLINE);
    }

    /**
     * Encodes the answer to {@code ls}: one message whose body is the concatenation of one
     * message per protocol, followed by the newline that ends the outer message. With no
     * protocols the body is just the newline.
     */
    public static byte[] encodeListResponse(Collection<String> protocols) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String p : protocols) encodeTo(p, body);
        body.write(NEWLINE);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 3);
        out.writeBytes(Varint.encode(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /**
     * Decodes the body of an {@code ls} answer (what follows the outer length prefix, final
     * newline included) into its protocol ids.
     */
    public static List<String> decodeListBody(byte[] body, int maxMessageLength) throws ProtocolNegotiationException {
        if (body.length == 0 || body[body.length - 1] != NEWLINE) {
            throw new ProtocolNegotiationException("ls response does not end with a newline");
        }
        List<String> protocols = new ArrayList<>();
        int off = 0;
        int end = body.length - 1;
        while (off < end) {
            Frame f = tryDecode(body, off, end - off, maxMessageLength);
            if (f == null) throw new ProtocolNegotiationException("ls response: truncated protocol entry");
            protocols.add(f.text());
            off += f.consumed();
        }
        return protocols;
    }

    /**
     * Decodes one message from {@code buf[off..off+len)} if it is complete.
     *
     * @return the message, or {@code null} if more bytes are needed
     * @throws ProtocolNegotiationException if the bytes can never form a valid message: a length
     *     of zero or above {@code maxMessageLength} (checked before anything is allocated), a
     *     missing final newline, a newline or control character inside, or invalid UTF-8
     */
    public static Frame tryDecode(byte[] buf, int off, int len, int maxMessageLength) throws ProtocolNegotiationException {
        long token;
        try {
            token = Varint.peek(buf, off, len, maxMessageLength);
        } catch (MultiformatException e) {
            throw new ProtocolNegotiationException("bad message length: " + e.getMessage(), e);
        }
        if (token < 0) return null;
        int bodyLength = (int) token;
        if (bodyLength == 0) throw new ProtocolNegotiationException("empty message");
        int prefix = Varint.encodedLength(bodyLength);
        // A non-minimal prefix is refused by Varint.peek, so the prefix is exactly this long.
        if (len - prefix < bodyLength) return null;
        String text = decodeBody(buf, off + prefix, bodyLength);
        return new Frame(text, prefix + bodyLength);
    }

    /** Validates and decodes a message body (text plus newline). */
    static String decodeBody(byte[] buf, int off, int bodyLength) throws ProtocolNegotiationException {
        if (buf[off + bodyLength - 1] != NEWLINE) throw new ProtocolNegotiationException("message does not end with a newline");
        for (int i = off; i < off + bodyLength - 1; i++) {
            int b = buf[i] & 0xff;
            if (b < 0x20 || b == 0x7f) throw new ProtocolNegotiationException("message contains a control character (0x" + Integer.toHexString(b) + ")");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, off, bodyLength - 1))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolNegotiationException("message is not valid UTF-8", e);
        }
    }

    /** Quotes untrusted text for error messages, bounded and with controls escaped. */
    static String printable(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder("\"");
        int n = Math.min(s.length(), 100);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        if (s.length() > n) b.append("...");
        return b.append('"').toString();
    }
}
