package io.ggen.marketplace.text;

/**
 * Text for a message that must stay one line although it quotes what a user or a peer wrote:
 * control characters (a TOML string can hold any, {@code "a\nb"}) are shown escaped, so a
 * value can neither break the line nor forge the lines after it.
 */
public final class OneLine {
    private OneLine() {}

    /** {@code s} with line breaks and other control characters written as {@code \n}, {@code \u001b}... */
    public static String of(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == '\n') sb.append("\\n");
            else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) sb.append(String.format("\\u%04x", c));
            else sb.appendCodePoint(c);
        });
        return sb.toString();
    }
}
