package io.ggen.marketplace.manifest;

import java.util.regex.Pattern;

/**
 * Glob patterns over '/'-separated relative paths, with the meaning ggen's (Rust glob crate)
 * patterns have: {@code *} and {@code ?} stay within one path segment, {@code **}/ matches zero
 * or more directories, {@code [abc]}/{@code [!a-z]} classes, {@code {a,b}} alternatives. (The
 * JDK's glob differs: its {@code templates/**}{@code /*.tmpl} misses {@code templates/x.tmpl}.)
 */
public final class Glob {
    public static final int MAX_LENGTH = 1024;
    private final String text;
    private final Pattern regex;

    private Glob(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /** Compiles a pattern; throws IllegalArgumentException with the reason if it is malformed. */
    public static Glob compile(String glob) {
        if (glob.isEmpty()) throw new IllegalArgumentException("empty pattern");
        if (glob.length() > MAX_LENGTH) throw new IllegalArgumentException("pattern longer than " + MAX_LENGTH + " characters");
        if (glob.startsWith("/") || glob.matches("^[A-Za-z]:.*")) throw new IllegalArgumentException("pattern must be relative to the pack directory");
        if (glob.contains("\\")) throw new IllegalArgumentException("use '/' as the path separator");
        for (String seg : glob.split("/")) {
            if (seg.equals("..")) throw new IllegalArgumentException("pattern must not leave the pack directory ('..')");
        }
        String g = glob.startsWith("./") ? glob.substring(2) : glob;
        StringBuilder re = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
                        boolean segmentStart = i == 0 || g.charAt(i - 1) == '/';
                        if (i + 2 < g.length() && g.charAt(i + 2) == '/' && segmentStart) {
                            re.append("(?:[^/]+/)*");
                            i += 2;
                        } else if (i + 2 == g.length() && segmentStart) {
                            re.append(".*");
                            i += 1;
                        } else {
                            throw new IllegalArgumentException("'**' must be a whole path segment (like a/**/b)");
                        }
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = g.indexOf(']', i + 2);
                    if (end < 0) throw new IllegalArgumentException("unclosed '[' at position " + (i + 1));
                    String cls = g.substring(i + 1, end);
                    re.append('[');
                    if (cls.startsWith("!")) {
                        re.append('^');
                        cls = cls.substring(1);
                    }
                    // Checked here so that no user pattern reaches Pattern.compile malformed
                    // (fuzzing: a backwards range such as [z-a] surfaced as a regex syntax error).
                    if (cls.isEmpty()) throw new IllegalArgumentException("empty character class at position " + (i + 1));
                    for (int k = 0; k + 2 < cls.length(); k++) {
                        if (cls.charAt(k + 1) == '-' && cls.charAt(k) > cls.charAt(k + 2)) {
                            throw new IllegalArgumentException("character range '" + cls.substring(k, k + 3) + "' is backwards");
                        }
                    }
                    for (char k : cls.toCharArray()) {
                        if (k == '\\' || k == '[' || k == ']' || k == '&' || k == '^') re.append('\\');
                        re.append(k);
                    }
                    re.append(']');
                    i = end;
                }
                case '{' -> {
                    depth++;
                    re.append("(?:");
                }
                case '}' -> {
                    if (depth == 0) throw new IllegalArgumentException("unmatched '}'");
                    depth--;
                    re.append(')');
                }
                case ',' -> re.append(depth > 0 ? "|" : ",");
                default -> {
                    if ("\\.^$+()|".indexOf(c) >= 0) re.append('\\');
                    re.append(c);
                }
            }
        }
        if (depth != 0) throw new IllegalArgumentException("unclosed '{'");
        return new Glob(glob, Pattern.compile(re.toString()));
    }

    public boolean matches(String relativePath) {
        return regex.matcher(relativePath).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
