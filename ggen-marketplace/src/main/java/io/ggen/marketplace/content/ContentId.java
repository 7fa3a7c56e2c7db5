package io.ggen.marketplace.content;

import io.ggen.marketplace.MarketplaceException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The address of a package archive: a CIDv1 with the raw codec (0x55) and a sha2-256 multihash
 * (0x12, 32 bytes), printed in multibase base32 (RFC 4648 lower case, no padding, prefix 'b'),
 * so it starts with {@code bafkrei}. On input {@code sha256:<64 hex>} is accepted too.
 *
 * <p>Kept small and self-contained on purpose: when ggen-libp2p's multiformats {@code Cid}
 * lands, this class becomes a thin wrapper around it.
 */
public final class ContentId implements Comparable<ContentId> {
    private static final byte[] PREFIX = {0x01, 0x55, 0x12, 0x20};
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final HexFormat HEX = HexFormat.of();
    /** Longest text we try to parse as a content id. */
    public static final int MAX_TEXT = 128;

    private final byte[] digest;

    private ContentId(byte[] digest) {
        this.digest = digest;
    }

    public static ContentId ofDigest(byte[] sha256) {
        if (sha256.length != 32) throw new IllegalArgumentException("sha2-256 digest must be 32 bytes");
        return new ContentId(sha256.clone());
    }

    public static ContentId of(byte[] content) {
        return new ContentId(sha256().digest(content));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The binary CID: 0x01 0x55 0x12 0x20 followed by the digest. */
    public byte[] bytes() {
        byte[] out = new byte[PREFIX.length + 32];
        System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
        System.arraycopy(digest, 0, out, PREFIX.length, 32);
        return out;
    }

    public static ContentId fromBytes(byte[] cid) {
        if (cid.length != 36 || !Arrays.equals(cid, 0, 4, PREFIX, 0, 4)) {
            throw new MarketplaceException(MarketplaceException.Kind.INVALID, "not a CIDv1 raw sha2-256 content id (expected bytes 01 55 12 20 + 32-byte digest)");
        }
        return new ContentId(Arrays.copyOfRange(cid, 4, 36));
    }

    public byte[] digest() {
        return digest.clone();
    }

    public String hex() {
        return HEX.formatHex(digest);
    }

    /** Parses {@code bafkrei...} (base32 CIDv1 raw sha2-256) or {@code sha256:<hex>}. */
    public static ContentId parse(String text) {
        if (text == null || text.isEmpty()) throw bad(text, "empty");
        if (text.length() > MAX_TEXT) throw bad(text.substring(0, 16) + "...", "too long");
        if (text.startsWith("sha256:")) {
            String hex = text.substring(7);
            if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) throw bad(text, "expected 64 hex digits after sha256:");
            return new ContentId(HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT)));
        }
        char base = text.charAt(0);
        if (base != 'b' && base != 'B') throw bad(text, "only base32 CIDv1 ('b...') and sha256:<hex> are accepted");
        String body = base == 'B' ? text.substring(1).toLowerCase(java.util.Locale.ROOT) : text.substring(1);
        byte[] raw = decodeBase32(body, text);
        try {
            return fromBytes(raw);
        } catch (MarketplaceException e) {
            throw bad(text, "not a CIDv1 with raw codec and sha2-256");
        }
    }

    private static MarketplaceException bad(String text, String why) {
        return new MarketplaceException(MarketplaceException.Kind.USAGE, "invalid content id '" + text + "': " + why);
    }

    static String encodeBase32(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) sb.append(BASE32[(buffer << (5 - bits)) & 31]);
        return sb.toString();
    }

    static byte[] decodeBase32(String s, String whole) {
        byte[] out = new byte[s.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int v = c >= 'a' && c <= 'z' ? c - 'a' : c >= '2' && c <= '7' ? c - '2' + 26 : -1;
            if (v < 0) throw bad(whole, "invalid base32 character '" + c + "'");
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        if (bits > 0 && (buffer & ((1 << bits) - 1)) != 0) throw bad(whole, "non-canonical base32 (trailing bits set)");
        return out;
    }

    @Override
    public String toString() {
        return "b" + encodeBase32(bytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentId c && Arrays.equals(c.digest, digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    @Override
    public int compareTo(ContentId o) {
        return Arrays.compareUnsigned(digest, o.digest);
    }
}
