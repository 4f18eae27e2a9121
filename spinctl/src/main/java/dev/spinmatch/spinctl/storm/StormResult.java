package dev.spinmatch.spinctl.storm;

import dev.spinmatch.simulation.Crowd;
import dev.spinmatch.spinctl.check.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a storm saw. {@code unresolvedSpins} are spins accepted with a 202 that reached no outcome
 * (matched, cancelled, expired) by the end of the drain: lost spins, a broken invariant 7.
 * {@code violations} is null when no database was given. {@code failures} says why it failed (empty: passed).
 */
public record StormResult(String runId, double seconds, long requests, long accepted, long matches, long cancelled,
        long expired, long superseded, long matchesEnded, long duplicateEvents, long unresolvedSpins,
        Map<String, Long> errors,
        Map<String, Double> latencyMillis, List<StormStats.Second> timeline, double drainSeconds,
        List<Violation> violations, List<String> failures) {

    private static final double[] PERCENTILES = {50, 90, 99, 99.9};

    static StormResult of(StormOptions o, StormStats s, Crowd crowd, long nanos, long drainNanos,
            List<Violation> violations) {
        long unresolved = crowd.unresolvedSpins();
        long requests = s.requests.sum();
        long errors = s.errorCount();
        return new StormResult(o.runId(), nanos / 1e9, requests, s.accepted.sum(), s.matchedSpins.sum() / 2,
                s.cancelled.sum(), s.expired.sum(), crowd.supersededSpins(), s.matchesEnded.sum() / 2,
                s.duplicateEvents.sum(), unresolved, s.errorsByKind(), percentiles(s.latencyMicros()), s.timeline(), drainNanos / 1e9, violations,
                failures(o, requests, s.accepted.sum(), errors, unresolved, violations));
    }

    /**
     * Why a storm failed: no spin accepted (an unreachable API or a refused token answers every request with an
     * error), errors above {@code --max-error-rate} of the requests, an accepted spin lost, a broken invariant.
     */
    static List<String> failures(StormOptions o, long requests, long accepted, long errors, long unresolved,
            List<Violation> violations) {
        List<String> why = new ArrayList<>();
        if (accepted == 0) {
            why.add("no spin was accepted (" + requests + " requests sent)");
        }
        if (errors > o.maxErrorRate() * Math.max(1, requests)) {
            why.add(String.format(Locale.ROOT, "%,d errors for %,d requests (%.2f %%), above --max-error-rate %.2f %%",
                    errors, requests, 100.0 * errors / Math.max(1, requests), 100 * o.maxErrorRate()));
        }
        if (unresolved > 0) {
            why.add(unresolved + " accepted spins reached no outcome");
        }
        if (violations != null && !violations.isEmpty()) {
            why.add(violations.size() + " invariant violations");
        }
        return why;
    }

    public boolean passed() {
        return failures.isEmpty();
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
