package io.ggen.marketplace.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Semantic Versioning 2.0.0 version. Ordering is semver precedence (spec item 11): numeric
 * core, then a pre-release sorts below the release, identifiers compared numerically when both
 * are numeric, numeric below alphanumeric, shorter list below longer; build metadata is ignored,
 * so {@code 1.0.0+a} and {@code 1.0.0+b} compare equal (and {@link #equals} agrees with that).
 * Numbers are arbitrary precision because the spec puts no bound on them.
 */
public final class Version implements Comparable<Version> {
    /** Longest version text we parse; longer input is hostile or a mistake. */
    public static final int MAX_LENGTH = 256;

    private final BigInteger major;
    private final BigInteger minor;
    private final BigInteger patch;
    private final List<String> preRelease;
    private final String build;

    private Version(BigInteger major, BigInteger minor, BigInteger patch, List<String> preRelease, String build) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.preRelease = List.copyOf(preRelease);
        this.build = build;
    }

    public static Version of(long major, long minor, long patch) {
        return new Version(BigInteger.valueOf(major), BigInteger.valueOf(minor), BigInteger.valueOf(patch), List.of(), "");
    }

    static Version of(BigInteger major, BigInteger minor, BigInteger patch, List<String> pre) {
        return new Version(major, minor, patch, pre, "");
    }

    /**
     * Versions parsed, by text: a catalog's releases share a few version strings, and a release
     * synced or indexed has its version parsed several times (checks, keys, ordering). Bounded:
     * emptied when full. Versions are immutable, so sharing them is safe.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, Version> PARSED = new java.util.concurrent.ConcurrentHashMap<>();
    static final int MAX_PARSED = 4096;

    /** How many parsed versions are kept (tests). */
    static int parsedKept() {
        return PARSED.size();
    }

    /** Parses strict semver 2.0.0 text; the exception's message names the rule broken. */
    public static Version parse(String text) {
        Version cached = text == null ? null : PARSED.get(text);
        if (cached != null) return cached;
        Version v = parseUncached(text);
        if (PARSED.size() >= MAX_PARSED) PARSED.clear();
        PARSED.put(text, v);
        return v;
    }

    private static Version parseUncached(String text) {
        if (text == null || text.isEmpty()) throw new VersionException("empty version (expected MAJOR.MINOR.PATCH, e.g. 1.0.0)", 0);
        if (text.length() > MAX_LENGTH) throw new VersionException("version longer than " + MAX_LENGTH + " characters", 0);
        String rest = text;
        String build = "";
        int plus = rest.indexOf('+');
        if (plus >= 0) {
            build = rest.substring(plus + 1);
            rest = rest.substring(0, plus);
            checkIdentifiers(build, plus + 1, false, "build metadata");
        }
        List<String> pre = List.of();
        int dash = rest.indexOf('-');
        if (dash >= 0) {
            String p = rest.substring(dash + 1);
            checkIdentifiers(p, dash + 1, true, "pre-release");
            pre = List.of(p.split("\\.", -1));
            rest = rest.substring(0, dash);
        }
        String[] core = rest.split("\\.", -1);
        if (core.length != 3) {
            throw new VersionException("'" + text + "' is not semver 2.0: expected MAJOR.MINOR.PATCH with three numbers (e.g. 1.0.0), found " + core.length + " part" + (core.length == 1 ? "" : "s"), 0);
        }
        BigInteger[] nums = new BigInteger[3];
        int col = 0;
        for (int i = 0; i < 3; i++) {
            nums[i] = numeric(core[i], col, text);
            col += core[i].length() + 1;
        }
        return new Version(nums[0], nums[1], nums[2], pre, build);
    }

    /** True if the text is a full semver version (used to tell {@code id@1.2.3} from a range). */
    public static boolean isVersion(String text) {
        try {
            parse(text);
            return true;
        } catch (VersionException e) {
            return false;
        }
    }

    private static BigInteger numeric(String s, int col, String whole) {
        if (s.isEmpty()) throw new VersionException("'" + whole + "': empty number in the version core", col);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new VersionException("'" + whole + "': '" + s + "' is not a number (version core is MAJOR.MINOR.PATCH)", col + i);
        }
        if (s.length() > 1 && s.charAt(0) == '0') throw new VersionException("'" + whole + "': numbers must not have leading zeros ('" + s + "')", col);
        return number(s);
    }

    /**
     * The value of {@code digits} (ASCII digits only, checked by the caller). Nearly every version
     * number fits a long (18 digits always do), where BigInteger.valueOf is cheap (a shared
     * constant up to 16) and the text constructor is not; a node parses versions for each release
     * it syncs.
     */
    static BigInteger number(String digits) {
        return digits.length() <= 18 ? BigInteger.valueOf(Long.parseLong(digits)) : new BigInteger(digits);
    }

    private static void checkIdentifiers(String ids, int col, boolean noLeadingZeros, String what) {
        if (ids.isEmpty()) throw new VersionException(what + " is empty after its separator", col);
        int start = 0;
        for (String id : ids.split("\\.", -1)) {
            if (id.isEmpty()) throw new VersionException(what + " has an empty identifier", col + start);
            boolean numeric = true;
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
                if (!ok) throw new VersionException(what + " may contain only [0-9A-Za-z-], found '" + c + "'", col + start + i);
                if (c < '0' || c > '9') numeric = false;
            }
            if (noLeadingZeros && numeric && id.length() > 1 && id.charAt(0) == '0') {
                throw new VersionException(what + " numeric identifier '" + id + "' has a leading zero", col + start);
            }
            start += id.length() + 1;
        }
    }

    public BigInteger major() { return major; }
    public BigInteger minor() { return minor; }
    public BigInteger patch() { return patch; }
    public List<String> preRelease() { return preRelease; }
    public String build() { return build; }

    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    /** Same major, minor and patch (the pre-release matching rule of ranges needs this). */
    public boolean sameCore(Version o) {
        return major.equals(o.major) && minor.equals(o.minor) && patch.equals(o.patch);
    }

    /** This version without pre-release and build. */
    public Version core() {
        return new Version(major, minor, patch, List.of(), "");
    }

    /** This version without build metadata: the identity of a release (id@version). */
    public Version withoutBuild() {
        return build.isEmpty() ? this : new Version(major, minor, patch, preRelease, "");
    }

    @Override
    public int compareTo(Version o) {
        int c = major.compareTo(o.major);
        if (c != 0) return c;
        c = minor.compareTo(o.minor);
        if (c != 0) return c;
        c = patch.compareTo(o.patch);
        if (c != 0) return c;
        if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
        }
        int n = Math.min(preRelease.size(), o.preRelease.size());
        for (int i = 0; i < n; i++) {
            c = compareIdentifier(preRelease.get(i), o.preRelease.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(preRelease.size(), o.preRelease.size());
    }

    private static int compareIdentifier(String a, String b) {
        boolean an = isNumeric(a);
        boolean bn = isNumeric(b);
        if (an && bn) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (an) return -1;
        if (bn) return 1;
        return a.compareTo(b);
    }

    private static boolean isNumeric(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(major, minor, patch, preRelease);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(major).append('.').append(minor).append('.').append(patch);
        if (!preRelease.isEmpty()) sb.append('-').append(String.join(".", preRelease));
        if (!build.isEmpty()) sb.append('+').append(build);
        return sb.toString();
    }

    static List<String> preList(String... ids) {
        return new ArrayList<>(List.of(ids));
    }
}
