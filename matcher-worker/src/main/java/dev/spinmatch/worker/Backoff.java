package dev.spinmatch.worker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter, capped: attempt n waits a random time in [base*2^n / 2, base*2^n]. */
final class Backoff {
    private final Duration base;
    private final Duration max;

    Backoff(Duration base, Duration max) {
        this.base = base;
        this.max = max;
    }

    Duration delay(int attempt) {
        long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(attempt, 20));
        long millis = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        return Duration.ofMillis(Math.max(1, millis));
    }

    /** Sleeps; returns false when interrupted (the caller should stop). */
    boolean sleep(int attempt) {
        try {
            Thread.sleep(delay(attempt).toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
