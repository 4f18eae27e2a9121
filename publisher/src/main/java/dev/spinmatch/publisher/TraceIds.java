package dev.spinmatch.publisher;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** New trace ids in the W3C trace-id form (32 lowercase hex digits, not all zero). */
public final class TraceIds {
    private static final HexFormat HEX = HexFormat.of();

    private TraceIds() {
    }

    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        long low = random.nextLong() | 1L;
        return HEX.toHexDigits(high) + HEX.toHexDigits(low);   // String.format: 5 % of the API's request CPU
    }
}
