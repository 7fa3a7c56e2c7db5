package io.ggen.marketplace.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A tar reader that refuses entry names that are not UTF-8 instead of decoding them to U+FFFD
 * (commons-compress replaces malformed UTF-8, in header fields and in PAX records alike). It
 * watches the raw bytes the reader consumes while it reads one entry's headers: each 512-byte
 * header record, and the bodies of PAX extended headers and GNU long names that come before
 * the entry. The name is where the entry takes it from (a PAX {@code path}, else a GNU long
 * name, else the header's name and prefix fields) and must be strict UTF-8; so must a PAX
 * {@code linkpath} and a GNU long link name. The refusal shows the raw bytes, escaped.
 */
final class StrictTarInputStream extends TarArchiveInputStream {
    /** Header bytes read for one entry (records, PAX records, long names): far above any honest entry. */
    static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int RECORD = 512;

    /** One piece of what was read for an entry's headers: a header record, or the body that followed one. */
    private record Piece(boolean record, ByteArrayOutputStream bytes) {}

    private final List<Piece> pieces = new ArrayList<>();
    private int depth;
    private boolean capturing;
    private int captured;
    /** A global PAX header set a path for every later entry: the header fields no longer name them. */
    private boolean globalPath;

    StrictTarInputStream(InputStream in) {
        super(in, "UTF-8");
    }

    @Override
    public TarArchiveEntry getNextEntry() throws IOException {
        // commons-compress calls this again from inside itself (after a PAX header or a GNU long
        // name) for the entry that follows: only the outermost call starts and checks a capture.
        if (depth > 0) return super.getNextEntry();
        drainCurrentEntry();
        pieces.clear();
        captured = 0;
        capturing = true;
        depth++;
        TarArchiveEntry e;
        try {
            e = super.getNextEntry();
        } finally {
            depth--;
            capturing = false;
        }
        if (e != null) checkNames();
        return e;
    }

    /** What the caller left of the current entry is skipped here, uncaptured (it is content, not header). */
    private void drainCurrentEntry() throws IOException {
        if (getCurrentEntry() == null) return;
        byte[] buf = new byte[8192];
        while (super.read(buf, 0, buf.length) > 0) {
            // content nobody asked for; BombGuard still counts it
        }
    }

    @Override
    protected byte[] readRecord() throws IOException {
        byte[] r = super.readRecord();
        if (capturing && r != null) {
            ByteArrayOutputStream b = new ByteArrayOutputStream(RECORD);
            b.write(r, 0, r.length);
            add(r.length);
            pieces.add(new Piece(true, b));
        }
        return r;
    }

    /** Every read goes through here (commons-compress's single-byte read included). */
    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (capturing && n > 0) {
            add(n);
            if (pieces.isEmpty() || pieces.get(pieces.size() - 1).record()) pieces.add(new Piece(false, new ByteArrayOutputStream()));
            pieces.get(pieces.size() - 1).bytes().write(buf, off, n);
        }
        return n;
    }

    private void add(int n) {
        captured += n;
        if (captured > MAX_HEADER_BYTES) throw new ArchiveException("archive entry headers are larger than " + MAX_HEADER_BYTES + " bytes");
    }

    private void checkNames() {
        boolean named = globalPath;
        byte[] last = null;
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            if (!p.record()) continue;
            byte[] rec = p.bytes().toByteArray();
            if (rec.length < RECORD || isZero(rec)) continue;
            byte type = rec[156];
            byte[] body = i + 1 < pieces.size() && !pieces.get(i + 1).record() ? pieces.get(i + 1).bytes().toByteArray() : new byte[0];
            switch (type) {
                case 'x', 'g', 'X' -> {
                    boolean path = checkPax(body);
                    if (type == 'g') globalPath |= path;
                    else named |= path;
                }
                case 'L' -> {
                    checkUtf8("archive entry name (GNU long name)", trimNul(body));
                    named = true;
                }
                case 'K' -> checkUtf8("archive link target (GNU long link)", trimNul(body));
                default -> last = rec;
            }
        }
        if (last != null && !named) {
            byte[] name = field(last, 0, 100);
            boolean posix = Arrays.equals(Arrays.copyOfRange(last, 257, 263), "ustar\0".getBytes(StandardCharsets.US_ASCII));
            if (posix) {
                byte[] prefix = field(last, 345, 155);
                if (prefix.length > 0) {
                    byte[] full = new byte[prefix.length + 1 + name.length];
                    System.arraycopy(prefix, 0, full, 0, prefix.length);
                    full[prefix.length] = '/';
                    System.arraycopy(name, 0, full, prefix.length + 1, name.length);
                    name = full;
                }
            }
            checkUtf8("archive entry name", name);
        }
    }

    /** Checks a PAX extended header's path and link path; returns whether it sets a path. */
    private static boolean checkPax(byte[] body) {
        boolean path = false;
        int pos = 0;
        while (pos < body.length) {
            int sp = pos;
            while (sp < body.length && body[sp] >= '0' && body[sp] <= '9' && sp - pos < 10) sp++;
            if (sp == pos || sp >= body.length || body[sp] != ' ') return path; // malformed: commons-compress reports it
            // Ten digits at most fit a long; a length past the body is malformed (and would overflow an int).
            long len = Long.parseLong(new String(body, pos, sp - pos, StandardCharsets.US_ASCII));
            if (len <= sp - pos + 1 || len > body.length - pos) return path;
            int end = pos + (int) len;
            int eq = sp + 1;
            while (eq < end && body[eq] != '=') eq++;
            if (eq >= end) return path;
            String key = new String(body, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
            int valueEnd = end > eq + 1 && body[end - 1] == '\n' ? end - 1 : end;
            byte[] value = Arrays.copyOfRange(body, eq + 1, valueEnd);
            switch (key) {
                case "path" -> {
                    checkUtf8("archive entry name (PAX path)", value);
                    path = true;
                }
                case "linkpath" -> checkUtf8("archive link target (PAX linkpath)", value);
                case "hdrcharset" -> {
                    if (!new String(value, StandardCharsets.US_ASCII).equals("ISO-IR 10646 2000 UTF-8")) {
                        throw new ArchiveException("archive entry declares names in another character set (PAX hdrcharset=" + escape(value) + "); names must be UTF-8");
                    }
                }
                default -> {
                    // other records do not name anything
                }
            }
            pos = end;
        }
        return path;
    }

    private static void checkUtf8(String what, byte[] name) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(name));
        } catch (CharacterCodingException e) {
            throw new ArchiveException(what + " '" + escape(name) + "' is not valid UTF-8 (\\xHH are its raw bytes); names in a pack must be UTF-8");
        }
    }

    /** Printable ASCII as it is, every other byte as {@code \xHH}, so the message shows what the archive holds. */
    static String escape(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') sb.append((char) c);
            else sb.append(String.format("\\x%02x", c));
            if (sb.length() > 600) {
                sb.append("...");
                break;
            }
        }
        return sb.toString();
    }

    private static byte[] field(byte[] rec, int off, int len) {
        int end = off;
        while (end < off + len && rec[end] != 0) end++;
        return Arrays.copyOfRange(rec, off, end);
    }

    private static byte[] trimNul(byte[] b) {
        int end = b.length;
        while (end > 0 && b[end - 1] == 0) end--;
        return Arrays.copyOf(b, end);
    }

    private static boolean isZero(byte[] rec) {
        for (byte b : rec) if (b != 0) return false;
        return true;
    }
}
