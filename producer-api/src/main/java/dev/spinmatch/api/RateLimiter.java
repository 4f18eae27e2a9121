package dev.spinmatch.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket per user: {@code burst} requests at once, refilled at {@code perSecond}. A rate of 0
 * or less turns the limit off. Buckets that have refilled completely are equivalent to no bucket, so a
 * sweep (at most once per {@link #SWEEP_INTERVAL_NANOS}) drops them and memory follows active users only.
 */
final class RateLimiter {
    static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private final double perNano;
    private final int burst;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    RateLimiter(double perSecond, int burst, LongSupplier nanoClock) {
        this.perNano = perSecond / TimeUnit.SECONDS.toNanos(1);
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.lastSweep = new AtomicLong(nanoClock.getAsLong());
    }

    /** Takes one token for {@code key}: 0 when allowed, else the nanoseconds until one is available. */
    long acquire(String key) {
        if (perNano <= 0) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        sweepIfDue(now);
        return buckets.computeIfAbsent(key, k -> new Bucket(burst, now)).take(now);
    }

    int trackedKeys() {
        return buckets.size();
    }

    private void sweepIfDue(long now) {
        long last = lastSweep.get();
        if (now - last >= SWEEP_INTERVAL_NANOS && lastSweep.compareAndSet(last, now)) {
            // a request racing this removal takes its token from the dropped (full) bucket: at worst one extra request
            buckets.values().removeIf(bucket -> bucket.isFull(now));
        }
    }

    /** Guarded by its own monitor: one user's requests may arrive on several threads at once. */
    private final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - updated) * perNano);
            updated = now;
        }
    }
}
