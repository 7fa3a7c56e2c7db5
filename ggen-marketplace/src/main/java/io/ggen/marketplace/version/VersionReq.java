package io.ggen.marketplace.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A version range as ggen (a Rust tool, so Cargo's rules) writes them: {@code ^ ~ = > >= < <=},
 * {@code *} and {@code x}/{@code X}/{@code *} wildcards in place of a number, partial versions
 * ({@code >=0.1}), conjunctions separated by commas or spaces ({@code ">=0.1, <0.2"} or
 * {@code ">=0.1 <0.2"}) and, as npm allows, alternatives joined by {@code ||}.
 *
 * <p>A bare version means {@code ^version} (Cargo), except where the caller asks for
 * {@link BareVersion#EXACT} (the command line: {@code install id@1.2.3} means exactly 1.2.3, as in
 * {@code cargo install foo@1.2.3}). A pre-release version satisfies a range only if some
 * comparator of the same alternative names a pre-release with the same major.minor.patch, so
 * {@code ^1.0} never picks {@code 2.0.0-beta}.
 */
public final class VersionReq {
    /** "||" between alternatives; compiled once (String.split compiles a two-character pattern on every call). */
    private static final java.util.regex.Pattern ALTERNATIVES = java.util.regex.Pattern.compile("\\|\\|");

    public static final int MAX_LENGTH = 1024;
    private static final int MAX_COMPARATORS = 64;

    public enum BareVersion { CARET, EXACT }

    enum Op { EQ, GT, GE, LT, LE }

    record Comparator(Op op, Version bound) {
        boolean matches(Version v) {
            int c = v.compareTo(bound);
            return switch (op) {
                case EQ -> c == 0;
                case GT -> c > 0;
                case GE -> c >= 0;
                case LT -> c < 0;
                case LE -> c <= 0;
            };
        }
    }

    /** One alternative: all comparators must match; pre-releases allowed for these cores. */
    record Conjunction(List<Comparator> comparators, List<Version> preReleaseCores) {
        boolean matches(Version v) {
            for (Comparator c : comparators) if (!c.matches(v)) return false;
            if (!v.isPreRelease()) return true;
            for (Version core : preReleaseCores) if (core.sameCore(v)) return true;
            return false;
        }
    }

    public static final VersionReq ANY = new VersionReq("*", List.of(new Conjunction(List.of(), List.of())));

    private final String text;
    private final List<Conjunction> alternatives;

    private VersionReq(String text, List<Conjunction> alternatives) {
        this.text = text;
        this.alternatives = List.copyOf(alternatives);
    }

    public static VersionReq parse(String text) {
        return parse(text, BareVersion.CARET);
    }

    public static VersionReq exactly(Version v) {
        return new VersionReq("=" + v, List.of(new Conjunction(List.of(new Comparator(Op.EQ, v)), v.isPreRelease() ? List.of(v.core()) : List.of())));
    }

    public static VersionReq parse(String text, BareVersion bare) {
        if (text == null) throw new VersionException("missing version range", 0);
        if (text.length() > MAX_LENGTH) throw new VersionException("version range longer than " + MAX_LENGTH + " characters", 0);
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.equals("*")) return new VersionReq(trimmed.isEmpty() ? "*" : trimmed, ANY.alternatives);
        List<Conjunction> alts = new ArrayList<>();
        int offset = 0;
        int total = 0;
        for (String alt : ALTERNATIVES.split(text, -1)) {
            Parser p = new Parser(alt, offset, bare);
            Conjunction c = p.conjunction();
            total += c.comparators.size();
            if (total > MAX_COMPARATORS) throw new VersionException("version range has more than " + MAX_COMPARATORS + " comparators", offset);
            alts.add(c);
            offset += alt.length() + 2;
        }
        return new VersionReq(trimmed, alts);
    }

    public boolean matches(Version v) {
        for (Conjunction c : alternatives) if (c.matches(v)) return true;
        return false;
    }

    /** True if this range pins exactly one version (like {@code =1.2.3}). */
    public boolean isExact() {
        return alternatives.size() == 1 && alternatives.get(0).comparators.size() == 1 && alternatives.get(0).comparators.get(0).op == Op.EQ;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionReq r && r.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    private static final class Parser {
        private final String s;
        private final int base;
        private final BareVersion bare;
        private int i;

        Parser(String s, int base, BareVersion bare) {
            this.s = s;
            this.base = base;
            this.bare = bare;
        }

        private VersionException error(String msg, int at) {
            return new VersionException(msg, base + at);
        }

        Conjunction conjunction() {
            List<Comparator> out = new ArrayList<>();
            List<Version> pre = new ArrayList<>();
            skipSeparators();
            if (i >= s.length()) throw error("empty alternative in version range (nothing around '||')", i);
            while (i < s.length()) {
                comparator(out, pre);
                int before = i;
                skipSeparators();
                if (i < s.length() && i == before) throw error("expected ',' or a space between comparators", i);
            }
            return new Conjunction(out, pre);
        }

        private void skipSeparators() {
            while (i < s.length() && (s.charAt(i) == ',' || Character.isWhitespace(s.charAt(i)))) i++;
        }

        private void comparator(List<Comparator> out, List<Version> pre) {
            int start = i;
            String op = "";
            if (s.startsWith(">=", i) || s.startsWith("<=", i)) {
                op = s.substring(i, i + 2);
                i += 2;
            } else if (i < s.length() && "^~=><".indexOf(s.charAt(i)) >= 0) {
                op = String.valueOf(s.charAt(i));
                i++;
            }
            while (i < s.length() && s.charAt(i) == ' ') i++;
            int vStart = i;
            while (i < s.length() && isVersionChar(s.charAt(i))) i++;
            if (vStart == i) {
                if (i < s.length()) throw error("unexpected '" + s.charAt(i) + "' in version range (allowed operators: ^ ~ = > >= < <=)", i);
                throw error("operator '" + op + "' is not followed by a version", start);
            }
            Partial p = partial(s.substring(vStart, i), vStart);
            if (p.pre != null) pre.add(Version.of(p.major, p.minor, p.patch, List.of()));
            if (op.isEmpty()) op = p.wildcard() ? "=" : bare == BareVersion.EXACT && p.full() ? "=" : "^";
            expand(op, p, out, start);
        }

        private static boolean isVersionChar(char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '-' || c == '+' || c == '*';
        }

        /** major, minor, patch; null where missing or a wildcard. */
        record Partial(BigInteger major, BigInteger minor, BigInteger patch, List<String> pre, boolean wildcard) {
            boolean full() { return patch != null; }
            Version version() { return Version.of(major, minor, patch, pre == null ? List.of() : pre); }
        }

        private Partial partial(String v, int at) {
            if (v.equals("*") || v.equalsIgnoreCase("x")) return new Partial(null, null, null, null, true);
            String core = v;
            List<String> pre = null;
            int plus = core.indexOf('+');
            if (plus >= 0) core = core.substring(0, plus);
            int dash = core.indexOf('-');
            if (dash >= 0) {
                try {
                    pre = Version.parse("0.0.0-" + core.substring(dash + 1)).preRelease();
                } catch (VersionException e) {
                    throw error("bad pre-release in '" + v + "': " + e.getMessage(), at + dash + 1);
                }
                core = core.substring(0, dash);
            }
            String[] parts = core.split("\\.", -1);
            if (parts.length > 3) throw error("'" + v + "' has more than three numbers", at);
            BigInteger[] nums = new BigInteger[3];
            int col = at;
            boolean wildSeen = false;
            for (int k = 0; k < parts.length; k++) {
                String part = parts[k];
                if (part.equals("*") || part.equalsIgnoreCase("x")) {
                    wildSeen = true;
                } else {
                    if (wildSeen) throw error("'" + v + "': a number cannot follow a wildcard", col);
                    if (part.isEmpty() || !part.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                        throw error("'" + part + "' in '" + v + "' is not a number or wildcard (x, X, *)", col);
                    }
                    if (part.length() > 1 && part.charAt(0) == '0') throw error("'" + v + "': numbers must not have leading zeros", col);
                    nums[k] = Version.number(part);
                }
                col += part.length() + 1;
            }
            if (pre != null && nums[2] == null) throw error("'" + v + "': a pre-release needs a full MAJOR.MINOR.PATCH version", at);
            if (nums[0] == null) return new Partial(null, null, null, null, true);
            return new Partial(nums[0], nums[1], nums[1] == null ? null : nums[2], pre, wildSeen);
        }

        private static Version v(BigInteger a, BigInteger b, BigInteger c) {
            return Version.of(a, b == null ? BigInteger.ZERO : b, c == null ? BigInteger.ZERO : c, List.of());
        }

        private static final BigInteger ONE = BigInteger.ONE;
        private static final BigInteger ZERO = BigInteger.ZERO;

        private void expand(String op, Partial p, List<Comparator> out, int at) {
            if (p.major == null) {
                if (op.equals("<") || op.equals(">")) throw error("'" + op + "*' matches nothing", at);
                return; // '*', '>=*', '=*', '^*' ... match everything
            }
            BigInteger M = p.major, m = p.minor, pt = p.patch;
            switch (op) {
                case "=" -> {
                    if (p.full()) out.add(new Comparator(Op.EQ, p.version()));
                    else if (m == null) { out.add(ge(v(M, ZERO, ZERO))); out.add(lt(v(M.add(ONE), ZERO, ZERO))); }
                    else { out.add(ge(v(M, m, ZERO))); out.add(lt(v(M, m.add(ONE), ZERO))); }
                }
                case ">" -> {
                    if (p.full()) out.add(new Comparator(Op.GT, p.version()));
                    else if (m == null) out.add(ge(v(M.add(ONE), ZERO, ZERO)));
                    else out.add(ge(v(M, m.add(ONE), ZERO)));
                }
                case ">=" -> out.add(p.full() ? ge(p.version()) : ge(v(M, m, ZERO)));
                case "<" -> out.add(p.full() ? lt(p.version()) : lt(v(M, m, ZERO)));
                case "<=" -> {
                    if (p.full()) out.add(new Comparator(Op.LE, p.version()));
                    else if (m == null) out.add(lt(v(M.add(ONE), ZERO, ZERO)));
                    else out.add(lt(v(M, m.add(ONE), ZERO)));
                }
                case "~" -> {
                    out.add(ge(p.full() ? p.version() : v(M, m, ZERO)));
                    out.add(lt(m == null ? v(M.add(ONE), ZERO, ZERO) : v(M, m.add(ONE), ZERO)));
                }
                case "^" -> {
                    out.add(ge(p.full() ? p.version() : v(M, m, ZERO)));
                    Version upper;
                    if (M.signum() > 0 || m == null) upper = v(M.add(ONE), ZERO, ZERO);
                    else if (m.signum() > 0 || pt == null) upper = v(M, m.add(ONE), ZERO);
                    else upper = v(M, m, pt.add(ONE));
                    out.add(lt(upper));
                }
                default -> throw error("unknown operator '" + op + "'", at);
            }
        }

        private static Comparator ge(Version v) { return new Comparator(Op.GE, v); }
        private static Comparator lt(Version v) { return new Comparator(Op.LT, v); }
    }
}
