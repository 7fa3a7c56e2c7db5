package io.ggen.marketplace.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import org.junit.jupiter.api.Test;

class VersionReqTest {
    private static boolean m(String req, String v) {
        return VersionReq.parse(req).matches(Version.parse(v));
    }

    @Test
    void caretFollowsCargo() {
        assertThat(m("^1.2.3", "1.9.0")).isTrue();
        assertThat(m("^1.2.3", "2.0.0")).isFalse();
        assertThat(m("^1.2.3", "1.2.2")).isFalse();
        assertThat(m("^0.1", "0.1.9")).isTrue();
        assertThat(m("^0.1", "0.2.0")).isFalse();
        assertThat(m("^0.0.3", "0.0.3")).isTrue();
        assertThat(m("^0.0.3", "0.0.4")).isFalse();
        assertThat(m("^0", "0.9.0")).isTrue();
        assertThat(m("^0", "1.0.0")).isFalse();
        assertThat(m("1.2", "1.5.0")).as("bare means caret").isTrue();
    }

    @Test
    void tildeComparisonsAndWildcards() {
        assertThat(m("~1.2.3", "1.2.9")).isTrue();
        assertThat(m("~1.2.3", "1.3.0")).isFalse();
        assertThat(m("~1", "1.9.9")).isTrue();
        assertThat(m(">=0.1 <0.2", "0.1.5")).isTrue();
        assertThat(m(">=0.1, <0.2", "0.2.0")).isFalse();
        assertThat(m(">= 1.0.0", "1.0.0")).isTrue();
        assertThat(m(">1.2", "1.2.9")).isFalse();
        assertThat(m(">1.2", "1.3.0")).isTrue();
        assertThat(m("<=1.2", "1.2.9")).isTrue();
        assertThat(m("<=1.2", "1.3.0")).isFalse();
        assertThat(m("=1.2.3", "1.2.3+build")).isTrue();
        assertThat(m("1.x", "1.7.0")).isTrue();
        assertThat(m("1.2.*", "1.3.0")).isFalse();
        assertThat(m("*", "42.0.0")).isTrue();
        assertThat(m("<1.0.0 || >=2.0.0", "1.5.0")).isFalse();
        assertThat(m("<1.0.0 || >=2.0.0", "2.5.0")).isTrue();
    }

    @Test
    void preReleasesMatchOnlyWhenNamedOnTheSameCore() {
        assertThat(m("^1.0", "2.0.0-beta")).isFalse();
        assertThat(m(">=1.0.0", "1.5.0-rc.1")).isFalse();
        assertThat(m(">=1.0.0-alpha", "1.0.0-beta")).isTrue();
        assertThat(m(">=1.0.0-alpha", "1.0.1-beta")).isFalse();
        assertThat(m("*", "1.0.0-alpha")).isFalse();
    }

    @Test
    void exactOnTheCommandLine() {
        assertThat(VersionReq.parse("1.2.3", VersionReq.BareVersion.EXACT).matches(Version.parse("1.2.4"))).isFalse();
        assertThat(VersionReq.parse("1.2", VersionReq.BareVersion.EXACT).matches(Version.parse("1.9.0"))).isTrue();
    }

    @Test
    void errorsSayWhereAndWhy() {
        assertThatThrownBy(() -> VersionReq.parse(">=1.x.3")).isInstanceOf(VersionException.class).hasMessageContaining("cannot follow a wildcard");
        assertThatThrownBy(() -> VersionReq.parse("!1.0")).hasMessageContaining("unexpected '!'");
        assertThatThrownBy(() -> VersionReq.parse(">=")).hasMessageContaining("not followed by a version");
        assertThatThrownBy(() -> VersionReq.parse("1.0 ||")).hasMessageContaining("empty alternative");
        VersionException e = (VersionException) org.assertj.core.api.Assertions.catchThrowable(() -> VersionReq.parse(">=1.0 <a"));
        assertThat(e.column()).isEqualTo(7);
    }

    @Test
    void caretContainsItsBaseAndGreaterEqualMeansGreaterEqual() {
        qt().forAll(VersionTest.versions(), VersionTest.versions()).checkAssert((a, b) -> {
            assertThat(VersionReq.parse("^" + a).matches(a)).isTrue();
            assertThat(VersionReq.parse("=" + a).matches(b)).isEqualTo(a.equals(b));
            if (!b.isPreRelease() || b.sameCore(a) && a.isPreRelease()) {
                assertThat(VersionReq.parse(">=" + a).matches(b)).isEqualTo(b.compareTo(a) >= 0);
            }
        });
    }
}
