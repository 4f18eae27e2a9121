package dev.spinmatch.spinctl.bench;

import java.util.Arrays;

final class Stats {
    private Stats() {
    }

    static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }
}
