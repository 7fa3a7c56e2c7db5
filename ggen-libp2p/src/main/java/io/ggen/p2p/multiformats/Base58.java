package io.ggen.p2p.multiformats;

/** Base58 with the Bitcoin alphabet (multibase {@code z}, base58btc), as used by peer ids. */
public final class Base58 {
    private static final char[] ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
    private static final int[] INDEXES = new int[128];
    /** Refuse to decode absurdly long text: the algorithm is quadratic. */
    public static final int MAX_ENCODED_LENGTH = 8192;

    static {
        java.util.Arrays.fill(INDEXES, -1);
        for (int i = 0; i < ALPHABET.length; i++) INDEXES[ALPHABET[i]] = i;
    }

    private Base58() {}

    public static String encode(byte[] input) {
        if (input.length == 0) return "";
        int zeros = 0;
        while (zeros < input.length && input[zeros] == 0) zeros++;
        byte[] digits = input.clone();
        char[] encoded = new char[input.length * 2];
        int out = encoded.length;
        int start = zeros;
        while (start < digits.length) {
            int rem = 0;
            for (int i = start; i < digits.length; i++) {
                int v = (rem << 8) | (digits[i] & 0xff);
                digits[i] = (byte) (v / 58);
                rem = v % 58;
            }
            encoded[--out] = ALPHABET[rem];
            while (start < digits.length && digits[start] == 0) start++;
        }
        while (out < encoded.length && encoded[out] == ALPHABET[0]) out++;
        while (--zeros >= 0) encoded[--out] = ALPHABET[0];
        return new String(encoded, out, encoded.length - out);
    }

    public static byte[] decode(String input) {
        if (input.isEmpty()) return new byte[0];
        if (input.length() > MAX_ENCODED_LENGTH) throw new MultiformatException("base58: input longer than " + MAX_ENCODED_LENGTH + " characters");
        byte[] input58 = new byte[input.length()];
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            int digit = c < 128 ? INDEXES[c] : -1;
            if (digit < 0) throw new MultiformatException("base58: invalid character '" + c + "' at " + i);
            input58[i] = (byte) digit;
        }
        int zeros = 0;
        while (zeros < input58.length && input58[zeros] == 0) zeros++;
        byte[] decoded = new byte[input.length()];
        int out = decoded.length;
        int start = zeros;
        while (start < input58.length) {
            int rem = 0;
            for (int i = start; i < input58.length; i++) {
                int v = rem * 58 + (input58[i] & 0xff);
                input58[i] = (byte) (v / 256);
                rem = v % 256;
            }
            decoded[--out] = (byte) rem;
            while (start < input58.length && input58[start] == 0) start++;
        }
        while (out < decoded.length && decoded[out] == 0) out++;
        byte[] result = new byte[zeros + decoded.length - out];
        System.arraycopy(decoded, out, result, zeros, decoded.length - out);
        return result;
    }
}
