package io.ggen.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong now = new AtomicLong();

    @Test
    void perKeyAndGlobalBudgetsRefillWithTime() {
        RateLimiter l = new RateLimiter(5, 2, Duration.ofMinutes(1), 100, now::get);
        assertThat(l.tryAcquire("a")).isTrue();
        assertThat(l.tryAcquire("a")).isTrue();
        assertThat(l.tryAcquire("a")).as("a's burst is 2").isFalse();
        assertThat(l.tryAcquire("b")).isTrue();
        assertThat(l.tryAcquire("b")).isTrue();
        assertThat(l.tryAcquire("c")).isTrue();
        assertThat(l.tryAcquire("d")).as("the global burst is 5").isFalse();
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(l.tryAcquire("a")).as("half a window gives a back one").isTrue();
        assertThat(l.tryAcquire("a")).isFalse();
    }

    @Test
    void keysAreBounded() {
        RateLimiter l = new RateLimiter(1_000_000, 1, Duration.ofMinutes(1), 10, now::get);
        for (int i = 0; i < 1000; i++) l.tryAcquire(i);
        assertThat(l.trackedKeys()).isEqualTo(10);
    }
}
