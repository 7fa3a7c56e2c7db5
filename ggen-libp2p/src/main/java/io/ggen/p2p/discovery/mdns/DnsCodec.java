package io.ggen.p2p.discovery.mdns;

import io.ggen.p2p.discovery.mdns.DnsMessage.Data;
import io.ggen.p2p.discovery.mdns.DnsMessage.Ptr;
import io.ggen.p2p.discovery.mdns.DnsMessage.Question;
import io.ggen.p2p.discovery.mdns.DnsMessage.Raw;
import io.ggen.p2p.discovery.mdns.DnsMessage.ResourceRecord;
import io.ggen.p2p.discovery.mdns.DnsMessage.Txt;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DNS messages as bytes and back (RFC 1035, with mDNS's use of the class field's top bit).
 * Anyone on the link can send us a packet, so decoding trusts nothing: at most
 * {@link #MAX_MESSAGE} bytes, {@link #MAX_QUESTIONS} questions and {@link #MAX_RECORDS}
 * records, every length checked against what is left, names at most 255 bytes in labels of at
 * most 63, compression pointers only backwards and at most {@link #MAX_POINTERS} per name (no
 * loops); the only exception is {@link DnsException}. Encoding does not compress.
 */
public final class DnsCodec {
    /** The largest mDNS message (RFC 6762 section 17: 9000 bytes). */
    public static final int MAX_MESSAGE = 9000;
    public static final int MAX_QUESTIONS = 64;
    public static final int MAX_RECORDS = 256;
    public static final int MAX_NAME = 255;
    public static final int MAX_POINTERS = 32;

    private DnsCodec() {}

    // ------------------------------------------------------------------ encoding

    public static byte[] encode(DnsMessage m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        u16(out, m.id());
        u16(out, m.response() ? 0x8400 : 0); // QR and AA for responses, as mDNS answers are authoritative
        u16(out, m.questions().size());
        u16(out, m.answers().size());
        u16(out, 0);
        u16(out, m.additionals().size());
        for (Question q : m.questions()) {
            name(out, q.name());
            u16(out, q.type());
            u16(out, DnsMessage.CLASS_IN);
        }
        for (ResourceRecord r : m.answers()) record(out, r);
        for (ResourceRecord r : m.additionals()) record(out, r);
        byte[] bytes = out.toByteArray();
        if (bytes.length > MAX_MESSAGE) throw new IllegalArgumentException("DNS message of " + bytes.length + " bytes exceeds " + MAX_MESSAGE);
        return bytes;
    }

    private static void record(ByteArrayOutputStream out, ResourceRecord r) {
        name(out, r.name());
        u16(out, r.type());
        u16(out, DnsMessage.CLASS_IN);
        out.write((int) (r.ttl() >>> 24) & 0xff);
        out.write((int) (r.ttl() >>> 16) & 0xff);
        out.write((int) (r.ttl() >>> 8) & 0xff);
        out.write((int) r.ttl() & 0xff);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        switch (r.data()) {
            case Ptr p -> name(data, p.target());
            case Txt t -> {
                for (String s : t.strings()) {
                    byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    data.write(b.length);
                    data.writeBytes(b);
                }
            }
            case Raw raw -> data.writeBytes(raw.bytes());
        }
        if (data.size() > 0xffff) throw new IllegalArgumentException("record data longer than 65535 bytes");
        u16(out, data.size());
        out.writeBytes(data.toByteArray());
    }

    private static void name(ByteArrayOutputStream out, String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        int total = 1;
        if (!n.isEmpty()) {
            for (String label : n.split("\\.", -1)) {
                byte[] b = label.getBytes(StandardCharsets.UTF_8);
                if (b.length == 0 || b.length > 63) throw new IllegalArgumentException("DNS label '" + label + "' must be 1..63 bytes");
                total += b.length + 1;
                if (total > MAX_NAME) throw new IllegalArgumentException("DNS name longer than " + MAX_NAME + " bytes");
                out.write(b.length);
                out.writeBytes(b);
            }
        }
        out.write(0);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xff);
        out.write(v & 0xff);
    }

    // ------------------------------------------------------------------ decoding

    public static DnsMessage decode(byte[] b) throws DnsException {
        return decode(b, b.length);
    }

    /** Decodes the first {@code length} bytes of {@code b} (a datagram's buffer). */
    public static DnsMessage decode(byte[] b, int length) throws DnsException {
        if (length > MAX_MESSAGE || length > b.length) throw new DnsException("message of " + length + " bytes exceeds " + MAX_MESSAGE);
        Reader r = new Reader(b, length);
        int id = r.u16();
        int flags = r.u16();
        int qd = r.u16();
        int an = r.u16();
        int ns = r.u16();
        int ar = r.u16();
        if (qd > MAX_QUESTIONS) throw new DnsException(qd + " questions, more than " + MAX_QUESTIONS);
        if (an + ns + ar > MAX_RECORDS) throw new DnsException((an + ns + ar) + " records, more than " + MAX_RECORDS);
        List<Question> questions = new ArrayList<>(qd);
        for (int i = 0; i < qd; i++) {
            String name = r.name();
            int type = r.u16();
            r.u16(); // class, and the unicast-response bit: we always answer by multicast
            questions.add(new Question(name, type));
        }
        List<ResourceRecord> answers = records(r, an);
        records(r, ns);
        List<ResourceRecord> additionals = records(r, ar);
        try {
            return new DnsMessage(id, (flags & 0x8000) != 0, questions, answers, additionals);
        } catch (IllegalArgumentException e) {
            throw new DnsException(e.getMessage());
        }
    }

    private static List<ResourceRecord> records(Reader r, int count) throws DnsException {
        List<ResourceRecord> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = r.name();
            int type = r.u16();
            r.u16(); // class, and the cache-flush bit
            long ttl = ((long) r.u16() << 16) | r.u16();
            int len = r.u16();
            int end = r.pos + len;
            if (end > r.limit) throw new DnsException("record data runs past the end of the message");
            Data data;
            switch (type) {
                case DnsMessage.TYPE_PTR -> {
                    data = new Ptr(r.name());
                    if (r.pos > end) throw new DnsException("PTR name runs past its record");
                }
                case DnsMessage.TYPE_TXT -> {
                    List<String> strings = new ArrayList<>();
                    while (r.pos < end) {
                        int n = r.u8();
                        if (r.pos + n > end) throw new DnsException("TXT string runs past its record");
                        // A string that is not UTF-8 cannot be a dnsaddr; decoding it leniently would
                        // grow it past 255 bytes with replacement characters, so it is dropped.
                        utf8(r.buf, r.pos, n).ifPresent(strings::add);
                        r.pos += n;
                    }
                    data = new Txt(strings);
                }
                default -> data = new Raw(java.util.Arrays.copyOfRange(r.buf, r.pos, end));
            }
            r.pos = end;
            out.add(new ResourceRecord(name, type, ttl, data));
        }
        return out;
    }

    /** The bytes as UTF-8, or empty when they are not valid UTF-8. */
    private static Optional<String> utf8(byte[] buf, int offset, int length) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, offset, length)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static final class Reader {
        final byte[] buf;
        final int limit;
        int pos;

        Reader(byte[] buf, int limit) {
            this.buf = buf;
            this.limit = limit;
        }

        int u8() throws DnsException {
            if (pos >= limit) throw new DnsException("message ends early");
            return buf[pos++] & 0xff;
        }

        int u16() throws DnsException {
            return (u8() << 8) | u8();
        }

        /** A name at the current position (pointers followed), leaving the position after it. */
        String name() throws DnsException {
            StringBuilder sb = new StringBuilder();
            int p = pos;
            int after = -1;
            int jumps = 0;
            int total = 1;
            while (true) {
                if (p >= limit) throw new DnsException("name runs past the end of the message");
                int len = buf[p] & 0xff;
                if ((len & 0xc0) == 0xc0) {
                    if (p + 1 >= limit) throw new DnsException("compression pointer cut short");
                    int target = ((len & 0x3f) << 8) | (buf[p + 1] & 0xff);
                    if (target >= p) throw new DnsException("compression pointer does not point backwards");
                    if (++jumps > MAX_POINTERS) throw new DnsException("more than " + MAX_POINTERS + " compression pointers in a name");
                    if (after < 0) after = p + 2;
                    p = target;
                    continue;
                }
                if ((len & 0xc0) != 0) throw new DnsException("reserved label type");
                if (len == 0) {
                    p++;
                    break;
                }
                total += len + 1;
                if (total > MAX_NAME) throw new DnsException("name longer than " + MAX_NAME + " bytes");
                if (p + 1 + len > limit) throw new DnsException("label runs past the end of the message");
                if (sb.length() > 0) sb.append('.');
                String label = utf8(buf, p + 1, len).orElseThrow(() -> new DnsException("DNS label is not UTF-8"));
                if (label.indexOf('.') >= 0) throw new DnsException("DNS label contains a dot");
                sb.append(label);
                p += 1 + len;
            }
            pos = after >= 0 ? after : p;
            return sb.toString();
        }
    }
}
