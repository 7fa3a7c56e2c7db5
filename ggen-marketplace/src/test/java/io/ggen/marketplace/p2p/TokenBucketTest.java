package io.ggen.marketplace.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The bucket on a clock the test drives: its waits advance the clock, so what a transfer took is
 * counted, not timed. Whatever the takes, the bytes handed out never exceed the burst plus the
 * rate times the time passed.
 */
class TokenBucketTest {
    /** A clock that only moves when the bucket makes someone wait (or the test says so). */
    static final class TestClock implements TokenBucket.Clock {
        final AtomicLong now = new AtomicLong();

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void sleepNanos(long nanos) {
            now.addAndGet(nanos);
        }
    }

    @Test
    void takingMoreThanTheBurstWaitsForTheRestAtTheRate() throws Exception {
        TestClock clock = new TestClock();
        TokenBucket bucket = new TokenBucket(1_000_000, 100_000, clock);
        for (int i = 0; i < 100; i++) bucket.take(65_536);
        long taken = 100L * 65_536;
        assertThat(bucket.granted()).isEqualTo(taken);
        // (taken - burst) bytes at 1 MB/s: the time the clock had to move, within a nanosecond per take
        assertThat(clock.now.get()).isBetween((taken - 100_000) * 1000 - 100, (taken - 100_000) * 1000 + 100);
        assertThat(bucket.waits()).isPositive();
    }

    @Test
    void anIdleBucketSavesUpToTheBurstAndNoMore() throws Exception {
        TestClock clock = new TestClock();
        TokenBucket bucket = new TokenBucket(1_000, 5_000, clock);
        bucket.take(5_000);
        assertThat(clock.now.get()).isZero();
        clock.now.addAndGet(3_600_000_000_000L); // an hour idle
        bucket.take(5_000);
        assertThat(bucket.waits()).isZero();
        bucket.take(1_000);
        assertThat(bucket.waits()).isEqualTo(1);
        assertThat(bucket.waitedNanos()).isEqualTo(1_000_000_000L);
    }

    @Test
    void unlimitedNeverWaits() throws Exception {
        TestClock clock = new TestClock();
        TokenBucket bucket = new TokenBucket(0, 1, clock);
        bucket.take(Long.MAX_VALUE / 2);
        assertThat(clock.now.get()).isZero();
        assertThat(bucket.limited()).isFalse();
    }

    @Test
    void neverMoreThanBurstPlusRateTimesElapsed() {
        qt().forAll(longs().between(1_000, 10_000_000), longs().between(1, 1_000_000), lists().of(integers().between(1, 2_000_000)).ofSizeBetween(1, 50))
                .checkAssert((rate, burst, takes) -> {
                    TestClock clock = new TestClock();
                    TokenBucket bucket = new TokenBucket(rate, burst, clock);
                    for (int n : takes) {
                        try {
                            bucket.take(n);
                        } catch (java.io.InterruptedIOException e) {
                            throw new AssertionError(e);
                        }
                        double allowed = burst + clock.now.get() * (rate / 1e9);
                        assertThat((double) bucket.granted()).isLessThanOrEqualTo(allowed + 1);
                    }
                });
    }
}
