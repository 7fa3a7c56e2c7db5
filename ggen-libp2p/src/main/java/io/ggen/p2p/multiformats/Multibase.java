package io.ggen.p2p.multiformats;

import java.util.Base64;
import java.util.Locale;

/**
 * Multibase (multiformats/multibase): a one-character prefix naming the base, then the data in
 * that base. Only the bases libp2p and IPFS use in practice are supported; others are rejected.
 *
 * <p>Decoding is strict so that one byte string has one text per base: no padding, no
 * non-zero trailing bits. The case-insensitive bases (base16, base32, base36) accept mixed case,
 * as the multibase test vectors require. Input longer than {@link #MAX_ENCODED_LENGTH}
 * characters is refused before any decoding work.
 */
public final class Multibase {
    /** Longest multibase text accepted, prefix included. base58 and base36 are quadratic. */
    public static final int MAX_ENCODED_LENGTH = 8192;

    /** The supported bases, each with its multibase prefix character. */
    public enum Encoding {
        BASE58BTC('z'),
        BASE32('b'),
        BASE32_UPPER('B'),
        BASE36('k'),
        BASE36_UPPER('K'),
        BASE16('f'),
        BASE16_UPPER('F'),
        BASE64('m'),
        BASE64URL('u');

        private final char prefix;

        Encoding(char prefix) {
            this.prefix = prefix;
        }

        public char prefix() {
            return prefix;
        }

        /** The encoding whose prefix is {@code c}. */
        public static Encoding fromPrefix(char c) {
            for (Encoding e : values()) if (e.prefix == c) return e;
            throw new MultiformatException("multibase: unsupported prefix '" + printable(c) + "'");
        }
    }

    /** The decoded bytes together with the base they were written in. */
    public record Decoded(Encoding encoding, byte[] data) {}

    private static final String BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final String BASE36_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String HEX = "0123456789abcdef";

    private Multibase() {}

    /** {@code encoding}'s prefix followed by {@code data} in that base. */
    public static String encode(Encoding encoding, byte[] data) {
        return encoding.prefix + encodeBare(encoding, data);
    }

    /** {@code data} in the base, without the multibase prefix. */
    public static String encodeBare(Encoding encoding, byte[] data) {
        return switch (encoding) {
            case BASE58BTC -> Base58.encode(data);
            case BASE32 -> base32Encode(data);
            case BASE32_UPPER -> base32Encode(data).toUpperCase(Locale.ROOT);
            case BASE36 -> Radix.encode(data, BASE36_ALPHABET);
            case BASE36_UPPER -> Radix.encode(data, BASE36_ALPHABET).toUpperCase(Locale.ROOT);
            case BASE16 -> hexEncode(data);
            case BASE16_UPPER -> hexEncode(data).toUpperCase(Locale.ROOT);
            case BASE64 -> Base64.getEncoder().withoutPadding().encodeToString(data);
            case BASE64URL -> Base64.getUrlEncoder().withoutPadding().encodeToString(data);
        };
    }

    /** Decodes multibase text (prefix included). */
    public static byte[] decode(String text) {
        return decodeWithEncoding(text).data();
    }

    /** Decodes multibase text and tells which base it was in. */
    public static Decoded decodeWithEncoding(String text) {
        if (text == null || text.isEmpty()) throw new MultiformatException("multibase: empty input");
        if (text.length() > MAX_ENCODED_LENGTH) {
            throw new MultiformatException("multibase: input longer than " + MAX_ENCODED_LENGTH + " characters");
        }
        Encoding encoding = Encoding.fromPrefix(text.charAt(0));
        return new Decoded(encoding, decodeBare(encoding, text.substring(1)));
    }

    /** Decodes text in the given base, without a prefix. */
    public static byte[] decodeBare(Encoding encoding, String body) {
        if (body.length() > MAX_ENCODED_LENGTH) {
            throw new MultiformatException("multibase: input longer than " + MAX_ENCODED_LENGTH + " characters");
        }
        return switch (encoding) {
            case BASE58BTC -> Base58.decode(body);
            case BASE32, BASE32_UPPER -> base32Decode(body);
            case BASE36, BASE36_UPPER -> Radix.decode(body.toLowerCase(Locale.ROOT), BASE36_ALPHABET, "base36");
            case BASE16, BASE16_UPPER -> hexDecode(body);
            case BASE64 -> base64Decode(body, false);
            case BASE64URL -> base64Decode(body, true);
        };
    }

    // ---- base16 ----

    static String hexEncode(byte[] data) {
        char[] out = new char[data.length * 2];
        for (int i = 0; i < data.length; i++) {
            out[2 * i] = HEX.charAt((data[i] >> 4) & 0xf);
            out[2 * i + 1] = HEX.charAt(data[i] & 0xf);
        }
        return new String(out);
    }

    static byte[] hexDecode(String s) {
        if ((s.length() & 1) != 0) throw new MultiformatException("base16: odd number of digits");
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((hexDigit(s, 2 * i) << 4) | hexDigit(s, 2 * i + 1));
        }
        return out;
    }

    private static int hexDigit(String s, int i) {
        int d = Character.digit(s.charAt(i), 16);
        // Character.digit also accepts non-ASCII digits (fullwidth, Arabic-Indic): refuse them.
        if (d < 0 || s.charAt(i) > 'f') throw new MultiformatException("base16: invalid character '" + printable(s.charAt(i)) + "' at " + i);
        return d;
    }

    // ---- base32 (RFC 4648 alphabet, no padding) ----

    private static String base32Encode(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32_ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) sb.append(BASE32_ALPHABET.charAt((buffer << (5 - bits)) & 31));
        return sb.toString();
    }

    private static byte[] base32Decode(String s) {
        int rem = s.length() % 8;
        // 1, 3 or 6 characters in the last group cannot come from whole bytes.
        if (rem == 1 || rem == 3 || rem == 6) throw new MultiformatException("base32: impossible length " + s.length());
        byte[] out = new byte[s.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int o = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int v;
            if (c >= 'a' && c <= 'z') v = c - 'a';
            else if (c >= 'A' && c <= 'Z') v = c - 'A';
            else if (c >= '2' && c <= '7') v = c - '2' + 26;
            else throw new MultiformatException("base32: invalid character '" + printable(c) + "' at " + i);
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[o++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
            buffer &= (1 << bits) - 1;
        }
        if (buffer != 0) throw new MultiformatException("base32: non-zero trailing bits");
        return out;
    }

    // ---- base64 (RFC 4648, no padding) ----

    private static byte[] base64Decode(String s, boolean url) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || (url ? (c == '-' || c == '_') : (c == '+' || c == '/'));
            if (!ok) throw new MultiformatException((url ? "base64url" : "base64") + ": invalid character '" + printable(c) + "' at " + i);
        }
        if (s.length() % 4 == 1) throw new MultiformatException("base64: impossible length " + s.length());
        byte[] out;
        try {
            out = (url ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
        } catch (IllegalArgumentException e) {
            throw new MultiformatException("base64: " + e.getMessage(), e);
        }
        // The JDK decoder ignores non-zero trailing bits; re-encoding catches them.
        String again = (url ? Base64.getUrlEncoder() : Base64.getEncoder()).withoutPadding().encodeToString(out);
        if (!again.equals(s)) throw new MultiformatException("base64: non-zero trailing bits");
        return out;
    }

    static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }

    /** Base conversion for bases that are not a power of two (base36), leading zeros kept. */
    static final class Radix {
        private Radix() {}

        static String encode(byte[] input, String alphabet) {
            int base = alphabet.length();
            int zeros = 0;
            while (zeros < input.length && input[zeros] == 0) zeros++;
            byte[] digits = input.clone();
            // log(256)/log(36) < 1.55, so twice the byte count is always enough room.
            char[] encoded = new char[input.length * 2];
            int out = encoded.length;
            int start = zeros;
            while (start < digits.length) {
                int rem = 0;
                for (int i = start; i < digits.length; i++) {
                    int v = (rem << 8) | (digits[i] & 0xff);
                    digits[i] = (byte) (v / base);
                    rem = v % base;
                }
                encoded[--out] = alphabet.charAt(rem);
                while (start < digits.length && digits[start] == 0) start++;
            }
            for (int i = 0; i < zeros; i++) encoded[--out] = alphabet.charAt(0);
            return new String(encoded, out, encoded.length - out);
        }

        static byte[] decode(String input, String alphabet, String name) {
            int base = alphabet.length();
            int[] values = new int[input.length()];
            for (int i = 0; i < input.length(); i++) {
                int d = alphabet.indexOf(input.charAt(i));
                if (d < 0) throw new MultiformatException(name + ": invalid character '" + printable(input.charAt(i)) + "' at " + i);
                values[i] = d;
            }
            int zeros = 0;
            while (zeros < values.length && values[zeros] == 0) zeros++;
            byte[] decoded = new byte[input.length()];
            int out = decoded.length;
            int start = zeros;
            while (start < values.length) {
                int rem = 0;
                for (int i = start; i < values.length; i++) {
                    int v = rem * base + values[i];
                    values[i] = v / 256;
                    rem = v % 256;
                }
                decoded[--out] = (byte) rem;
                while (start < values.length && values[start] == 0) start++;
            }
            while (out < decoded.length && decoded[out] == 0) out++;
            byte[] result = new byte[zeros + decoded.length - out];
            System.arraycopy(decoded, out, result, zeros, decoded.length - out);
            return result;
        }
    }
}
