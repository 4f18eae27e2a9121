package dev.spinmatch.spinctl.storm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.spinmatch.spinctl.check.ViolationTable;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** The final report of a storm, for people (text) and machines (JSON). */
public final class StormReport {
    private static final int TIMELINE_ROWS = 20;

    private StormReport() {
    }

    public static String json(StormResult r) throws JsonProcessingException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(Map.of("passed", r.passed(), "storm", r));
    }

    public static void print(StormResult r, PrintStream out) {
        out.printf("%nstorm %s finished in %.1f s%n", r.runId(), r.seconds());
        double load = Math.max(1, r.timeline().size());
        out.printf("  spins accepted  %,12d  (%,.0f/s)%n", r.accepted(), r.accepted() / load);
        out.printf("  matches         %,12d  (%,.0f/s)%n", r.matches(), r.matches() / load);
        out.printf("  cancelled %,d, expired %,d, superseded %,d, matches ended %,d, duplicate events %,d%n",
                r.cancelled(), r.expired(), r.superseded(), r.matchesEnded(), r.duplicateEvents());
        Map<String, Double> l = r.latencyMillis();
        out.printf("  202 -> match_created latency (ms): p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (n=%,.0f)%n",
                l.get("p50"), l.get("p90"), l.get("p99"), l.get("p99.9"), l.get("max"), l.get("count"));
        printTimeline(r.timeline(), out);
        out.println(r.errors().isEmpty() ? "  errors: none" : "  errors by kind:");
        r.errors().forEach((kind, n) -> out.printf("    %-44s %,d%n", kind, n));
        out.printf("  accepted spins without an outcome after the drain (%.1f s): %,d%n", r.drainSeconds(),
                r.unresolvedSpins());
        if (r.violations() == null) {
            out.println("  invariants: not checked (no --db)");
        } else {
            ViolationTable.print(r.violations(), out);
        }
        out.println(r.passed() ? "PASSED" : "FAILED: " + String.join("; ", r.failures()));
    }

    private static void printTimeline(List<StormStats.Second> timeline, PrintStream out) {
        int step = Math.max(1, (timeline.size() + TIMELINE_ROWS - 1) / TIMELINE_ROWS);
        out.printf("  throughput over time (per second, averaged over %d s):%n", step);
        for (int i = 0; i < timeline.size(); i += step) {
            List<StormStats.Second> slice = timeline.subList(i, Math.min(timeline.size(), i + step));
            out.printf("    %4d s  accepted %,8.0f/s  matches %,8.0f/s  errors %,d%n", slice.get(0).second(),
                    slice.stream().mapToLong(StormStats.Second::accepted).average().orElse(0),
                    slice.stream().mapToLong(StormStats.Second::matches).average().orElse(0),
                    slice.stream().mapToLong(StormStats.Second::errors).sum());
        }
    }
}
