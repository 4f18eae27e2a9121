package dev.spinmatch.publisher;

import java.util.concurrent.ThreadLocalRandom;

/** New trace ids in the W3C trace-id form (32 lowercase hex digits, not all zero). */
public final class TraceIds {
    private TraceIds() {
    }

    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        long low = random.nextLong() | 1L;
        return String.format("%016x%016x", high, low);
    }
}
