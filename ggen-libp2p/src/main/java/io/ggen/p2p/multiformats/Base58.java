package io.ggen.p2p.multiformats;

/**
 * Base58 with the Bitcoin alphabet (multibase {@code z}, base58btc), as used by peer ids. The
 * conversion is the radix code {@link Multibase} uses for base36 too.
 */
public final class Base58 {
    private static final String ALPHABET_TEXT = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    /** Refuse to decode absurdly long text: the algorithm is quadratic. */
    public static final int MAX_ENCODED_LENGTH = 8192;

    private Base58() {}

    public static String encode(byte[] input) {
        return Multibase.Radix.encode(input, ALPHABET_TEXT);
    }

    public static byte[] decode(String input) {
        if (input.length() > MAX_ENCODED_LENGTH) throw new MultiformatException("base58: input longer than " + MAX_ENCODED_LENGTH + " characters");
        return Multibase.Radix.decode(input, ALPHABET_TEXT, "base58");
    }
}
