package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final RateLimiter limiter = new RateLimiter(2, 3, now::get);

    @Test
    void burstThenRefillAtTheRate() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("u")).isZero();
        }
        assertThat(limiter.acquire("u")).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(limiter.acquire("u")).isZero();
        assertThat(limiter.acquire("u")).isPositive();
    }

    @Test
    void usersHaveTheirOwnBuckets() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("a");
        }
        assertThat(limiter.acquire("a")).isPositive();
        assertThat(limiter.acquire("b")).isZero();
    }

    @Test
    void idleUsersAreForgottenSoMemoryFollowsActiveUsers() {
        limiter.acquire("idle");
        now.addAndGet(RateLimiter.SWEEP_INTERVAL_NANOS);
        limiter.acquire("active");

        assertThat(limiter.trackedKeys()).isEqualTo(1);
    }

    @Test
    void zeroRateTurnsTheLimitOff() {
        RateLimiter off = new RateLimiter(0, 0, now::get);
        for (int i = 0; i < 100; i++) {
            assertThat(off.acquire("u")).isZero();
        }
    }
}
