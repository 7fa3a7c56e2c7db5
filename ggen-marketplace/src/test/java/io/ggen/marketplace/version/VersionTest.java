package io.ggen.marketplace.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class VersionTest {
    static final String[] PRE_IDS = {"alpha", "beta", "rc", "0", "1", "2", "11", "x-y", "a1"};

    static Gen<Version> versions() {
        Gen<Integer> n = integers().between(0, 3);
        Gen<List<String>> pre = lists().of(Generate.pick(List.of(PRE_IDS))).ofSizeBetween(0, 3);
        return n.zip(n, n, (a, b, c) -> new int[] {a, b, c}).zip(pre, (abc, p) -> {
            String s = abc[0] + "." + abc[1] + "." + abc[2] + (p.isEmpty() ? "" : "-" + String.join(".", p));
            return Version.parse(s);
        });
    }

    @Test
    void precedenceFollowsTheSpecExample() {
        String[] ordered = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1", "10.0.0"};
        for (int i = 0; i + 1 < ordered.length; i++) {
            assertThat(Version.parse(ordered[i])).as(ordered[i] + " < " + ordered[i + 1]).isLessThan(Version.parse(ordered[i + 1]));
        }
    }

    @Test
    void buildMetadataIsIgnoredForPrecedence() {
        assertThat(Version.parse("1.0.0+build.1")).isEqualByComparingTo(Version.parse("1.0.0+other"));
        assertThat(Version.parse("1.0.0+build.1")).isEqualTo(Version.parse("1.0.0"));
        assertThat(Version.parse("1.0.0+build.1").toString()).isEqualTo("1.0.0+build.1");
    }

    @Test
    void rejectsWhatSemverForbidsNamingTheRule() {
        assertThatThrownBy(() -> Version.parse("1.0")).hasMessageContaining("MAJOR.MINOR.PATCH");
        assertThatThrownBy(() -> Version.parse("01.0.0")).hasMessageContaining("leading zero");
        assertThatThrownBy(() -> Version.parse("1.0.0-01")).hasMessageContaining("leading zero");
        assertThatThrownBy(() -> Version.parse("1.0.0-")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Version.parse("1.0.0-a..b")).hasMessageContaining("empty identifier");
        assertThatThrownBy(() -> Version.parse("v1.0.0")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> Version.parse("1.0.0-é")).hasMessageContaining("[0-9A-Za-z-]");
        assertThat(Version.parse("99999999999999999999.0.0").major().toString()).isEqualTo("99999999999999999999");
    }

    /** Numbers that fit a long take a cheaper path than longer ones; both give the same value and order. */
    @Test
    void numbersOnEitherSideOfTheLongPathParseAndOrderAlike() {
        List<Version> ascending = new ArrayList<>();
        for (int digits = 1; digits <= 40; digits++) {
            String smallest = "1" + "0".repeat(digits - 1), largest = "9".repeat(digits);
            for (String n : List.of(smallest, largest)) {
                Version v = Version.parse(n + "." + n + "." + n);
                assertThat(v.major()).isEqualTo(new java.math.BigInteger(n));
                assertThat(v.patch()).isEqualTo(new java.math.BigInteger(n));
                ascending.add(v);
            }
        }
        assertThat(ascending).isSorted().doesNotHaveDuplicates();
        assertThat(VersionReq.parse(">=9223372036854775808").matches(Version.parse("9223372036854775808.0.0"))).isTrue();
        assertThat(VersionReq.parse(">=9223372036854775808").matches(Version.parse("922337203685477580.0.0"))).isFalse();
    }

    @Test
    void printsAndParsesBack() {
        qt().forAll(versions()).checkAssert(v -> assertThat(Version.parse(v.toString())).isEqualTo(v));
    }

    @Test
    void orderIsATotalOrder() {
        qt().forAll(versions(), versions(), versions()).checkAssert((a, b, c) -> {
            assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
            if (a.compareTo(b) <= 0 && b.compareTo(c) <= 0) assertThat(a.compareTo(c)).isLessThanOrEqualTo(0);
            assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
            if (a.equals(b)) assertThat(a.hashCode()).isEqualTo(b.hashCode());
        });
    }

    @Test
    void aPreReleaseSortsBelowItsRelease() {
        qt().forAll(versions()).checkAssert(v -> {
            if (v.isPreRelease()) assertThat(v).isLessThan(v.core());
        });
    }

    @Test
    void sortingMatchesTheOrderedList() {
        List<Version> list = new ArrayList<>(List.of(Version.parse("1.0.0"), Version.parse("1.0.0-rc.1"), Version.parse("0.9.10"), Version.parse("0.9.9")));
        list.sort(null);
        assertThat(list).extracting(Version::toString).containsExactly("0.9.9", "0.9.10", "1.0.0-rc.1", "1.0.0");
    }

    @Test
    void parsedVersionsAreSharedWithinABoundAndRefusalsAreNotRemembered() {
        assertThat(Version.parse("1.2.3-rc.1+build.5")).isSameAs(Version.parse("1.2.3-rc.1+build.5"));
        for (int i = 0; i < 3 * Version.MAX_PARSED; i++) assertThat(Version.parse("7." + i + ".0").minor().intValue()).isEqualTo(i);
        assertThat(Version.parsedKept()).isBetween(1, Version.MAX_PARSED);
        for (int i = 0; i < 2; i++) assertThatThrownBy(() -> Version.parse("01.2.3")).isInstanceOf(VersionException.class).hasMessageContaining("leading zeros");
    }
}
