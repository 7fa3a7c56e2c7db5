package io.ggen.node.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UiLoginsTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    final ManualClock clock = new ManualClock();
    final UiLogins logins = new UiLogins(clock);

    @Test
    void aCodeWorksOnceAndGivesASession() {
        String code = logins.newCode();
        assertThat(code).matches("[0-9a-f]{64}");
        Optional<String> session = logins.exchange(code);
        assertThat(session).isPresent();
        assertThat(session.get()).isNotEqualTo(code);
        assertThat(logins.valid(session.get())).isTrue();
        assertThat(logins.exchange(code)).as("second use").isEmpty();
        assertThat(logins.valid(code)).as("a code is not a session").isFalse();
    }

    @Test
    void aCodeExpires() {
        String code = logins.newCode();
        clock.advance(UiLogins.CODE_LIFETIME);
        assertThat(logins.exchange(code)).isEmpty();
        assertThat(logins.pendingCodes()).isZero();
    }

    @Test
    void aSessionLastsWhileUsedAndEndsWhenIdle() {
        String session = logins.exchange(logins.newCode()).orElseThrow();
        for (int i = 0; i < 5; i++) {
            clock.advance(UiLogins.SESSION_IDLE.minusMinutes(1));
            assertThat(logins.valid(session)).as("used within the idle time").isTrue();
        }
        clock.advance(UiLogins.SESSION_IDLE);
        assertThat(logins.valid(session)).isFalse();
        assertThat(logins.liveSessions()).isZero();
    }

    @Test
    void malformedOrUnknownSecretsAreRefused() {
        logins.exchange(logins.newCode()).orElseThrow();
        for (String bad : new String[] {null, "", "abc", "0".repeat(64), "G".repeat(64), "0".repeat(65)}) {
            assertThat(logins.exchange(bad)).as(String.valueOf(bad)).isEmpty();
            assertThat(logins.valid(bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void bothStoresAreBoundedAndTheOldestGoFirst() {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < UiLogins.MAX_CODES + 5; i++) codes.add(logins.newCode());
        assertThat(logins.pendingCodes()).isEqualTo(UiLogins.MAX_CODES);
        assertThat(logins.exchange(codes.get(0))).as("the oldest code was dropped").isEmpty();
        assertThat(logins.exchange(codes.get(codes.size() - 1))).isPresent();

        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < UiLogins.MAX_SESSIONS + 5; i++) sessions.add(logins.exchange(logins.newCode()).orElseThrow());
        assertThat(logins.liveSessions()).isEqualTo(UiLogins.MAX_SESSIONS);
        assertThat(logins.valid(sessions.get(0))).as("the least recently used session was dropped").isFalse();
        assertThat(logins.valid(sessions.get(sessions.size() - 1))).isTrue();
    }
}
