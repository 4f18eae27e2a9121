package dev.spinmatch.fleet;

import dev.spinmatch.testkit.OutcomeFeed;
import dev.spinmatch.testkit.SpinningUsers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What one scenario showed, from the users' point of view (the API's answers and the outcomes on
 * spin.matches) and the audit's. A spin is <b>delayed</b> when its outcome was announced more than
 * {@link #DELAYED_MILLIS} after the last request about it was answered 202 (a healthy pipeline announces
 * within a few hundred milliseconds). <b>Recovered</b> is the later of: the last delayed spin announced,
 * and the first second after the fault whose outcomes per second reach half the steady rate before it;
 * <b>recovery</b> counts from the fault's end (the kill or pause itself, the outage's end).
 * <b>Throughput after</b> is the outcome rate from recovery to the end of the load over the steady rate.
 */
record ScenarioResult(Fault fault, long seed, long accepted, long delayed, long lost, long doubled, long violations,
        long duplicates, long dlq, double recoverySeconds, double steadyRate, double rateAfter,
        Map<String, String> producerSide, List<String> problems) {
    static final long DELAYED_MILLIS = 2_000;

    static ScenarioResult of(Fault fault, long seed, SpinningUsers load, OutcomeFeed feed, long accepted, List<String> problems,
            long dlq, long steadyFrom, long faultAt, long backAt, long stoppedAt, Map<String, String> producerSide) {
        long recoveredAt = recovered(load, feed, steadyFrom, faultAt, backAt);
        return new ScenarioResult(fault, seed, accepted, delayed(load, feed), count(problems, "lost"), doubled(problems),
                count(problems, "invariant violation"), feed.duplicates(), dlq, (recoveredAt - backAt) / 1000.0,
                rate(load, feed, steadyFrom, faultAt), rate(load, feed, recoveredAt, stoppedAt), Map.copyOf(producerSide),
                problems);
    }

    boolean recoveredInTime() {
        return recoverySeconds <= fault.recoveryTarget.toSeconds();
    }

    static String tableHeader() {
        return "| fault | seed | spins accepted | time to recover (target) | spins delayed > 2 s | lost | doubled "
                + "| invariant violations (stranded incl.) | duplicates deduped | DLQ | outcomes/s before → after |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|";
    }

    String tableRow() {
        return String.format(Locale.ROOT, "| %s | %d | %d | %.1f s (≤ %d s) | %d | %d | %d | %d | %d | %d | %.0f → %.0f |",
                fault.description, seed, accepted, recoverySeconds, fault.recoveryTarget.toSeconds(), delayed, lost,
                doubled, violations, duplicates, dlq, steadyRate, rateAfter);
    }

    private static long delayed(SpinningUsers load, OutcomeFeed feed) {
        return load.accepted().keySet().stream().filter(id -> delayMillis(load, feed, id) > DELAYED_MILLIS).count();
    }

    private static long delayMillis(SpinningUsers load, OutcomeFeed feed, UUID spinId) {
        Long announced = feed.announcedAt(spinId);
        return announced == null ? Long.MAX_VALUE : announced - load.lastAcceptedRequest(spinId);
    }

    private static long count(List<String> problems, String start) {
        return problems.stream().filter(p -> p.startsWith(start)).count();
    }

    /** Every problem that is neither a loss nor an invariant violation: an outcome doubled or misdirected. */
    private static long doubled(List<String> problems) {
        return problems.stream().filter(p -> !p.startsWith("lost") && !p.startsWith("invariant violation")
                && !p.endsWith("has no outcome")).count();
    }

    private static long recovered(SpinningUsers load, OutcomeFeed feed, long steadyFrom, long faultAt, long backAt) {
        long lastDelayed = load.accepted().keySet().stream().filter(id -> delayMillis(load, feed, id) > DELAYED_MILLIS)
                .map(feed::announcedAt).filter(t -> t != null).mapToLong(Long::longValue).max().orElse(backAt);
        double steady = rate(load, feed, steadyFrom, faultAt);
        List<Long> announced = announcements(load, feed);
        long second = backAt;
        while (countBetween(announced, second, second + 1_000) < steady / 2 && second < backAt + 120_000) {
            second += 1_000;
        }
        return Math.max(lastDelayed, second);
    }

    static double rate(SpinningUsers load, OutcomeFeed feed, long from, long to) {
        return countBetween(announcements(load, feed), from, to) * 1000.0 / Math.max(1, to - from);
    }

    private static List<Long> announcements(SpinningUsers load, OutcomeFeed feed) {
        List<Long> out = new ArrayList<>();
        load.accepted().keySet().forEach(id -> {
            Long at = feed.announcedAt(id);
            if (at != null) {
                out.add(at);
            }
        });
        return out;
    }

    private static long countBetween(List<Long> times, long from, long to) {
        return times.stream().filter(t -> t >= from && t < to).count();
    }
}
