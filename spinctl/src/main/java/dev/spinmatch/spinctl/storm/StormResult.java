package dev.spinmatch.spinctl.storm;

import dev.spinmatch.spinctl.check.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a storm saw. {@code unresolvedSpins} are spins accepted with a 202 that reached no outcome
 * (matched, cancelled, expired) by the end of the drain: lost spins, a broken invariant 7.
 * {@code violations} is null when no database was given.
 */
public record StormResult(String runId, double seconds, long accepted, long matches, long cancelled, long expired,
        long matchesEnded, long duplicateEvents, long unresolvedSpins, Map<String, Long> errors,
        Map<String, Double> latencyMillis, List<StormStats.Second> timeline, double drainSeconds,
        List<Violation> violations) {

    private static final double[] PERCENTILES = {50, 90, 99, 99.9};

    static StormResult of(StormOptions o, StormStats s, int unresolved, long nanos, long drainNanos,
            List<Violation> violations) {
        return new StormResult(o.runId(), nanos / 1e9, s.accepted.sum(), s.matchedSpins.sum() / 2, s.cancelled.sum(),
                s.expired.sum(), s.matchesEnded.sum() / 2, s.duplicateEvents.sum(), unresolved, s.errorsByKind(),
                percentiles(s.latencyMicros()), s.timeline(), drainNanos / 1e9, violations);
    }

    /** Passed: no invariant violated (stranded users included) and no accepted spin lost. */
    public boolean passed() {
        return unresolvedSpins == 0 && (violations == null || violations.isEmpty());
    }

    private static Map<String, Double> percentiles(Histogram micros) {
        Map<String, Double> p = new LinkedHashMap<>();
        for (double q : PERCENTILES) {
            p.put("p" + (q == Math.rint(q) ? String.valueOf((int) q) : String.valueOf(q)),
                    micros.getValueAtPercentile(q) / 1000.0);
        }
        p.put("max", micros.getMaxValue() / 1000.0);
        p.put("count", (double) micros.getTotalCount());
        return p;
    }
}
