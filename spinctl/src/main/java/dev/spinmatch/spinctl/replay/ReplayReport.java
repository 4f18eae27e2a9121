package dev.spinmatch.spinctl.replay;

import dev.spinmatch.spinctl.check.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The end of a replay: what was fed and applied, and the state it left, read on the replay clock
 * one second after the last event (the stranded-user grace of DESIGN.md invariant 6).
 */
public record ReplayReport(String mode, int workers, int records, int eventsApplied, int deadLettered,
        Map<String, Long> deadLetterReasons, int batches, int failedBatches, int expiredByTimer, long matches,
        Map<String, Long> outcomes, Map<String, Long> notApplied, List<Violation> violations,
        List<String> strandedUsers, long elapsedMillis, long eventsPerSecond) {
    static final Duration GRACE = Duration.ofSeconds(1);
    private static final String VIOLATIONS = resource("/sql/invariant_violations.sql");

    static ReplayReport of(Replay.Run run, ScratchDatabase db, int workers) throws SQLException {
        ReplayClock clock = db.clockedPool("report", 1);
        clock.set(run.lastEventTime().plus(GRACE));
        try (Connection c = clock.getConnection()) {
            List<Violation> violations = violations(c);
            long millis = Math.max(1, run.elapsed().toMillis());
            return new ReplayReport(workers == 1 ? "deterministic" : "stress", workers, run.records(),
                    run.records() - run.deadLetterReasons().size(), run.deadLetterReasons().size(),
                    new TreeMap<>(run.deadLetterReasons().stream()
                            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))),
                    run.batches(), run.failedBatches(), run.expired(), count(c, "match_count"),
                    counts(c, "outcomes_by_kind"), counts(c, "not_applied_by_reason"), violations,
                    violations.stream().filter(v -> v.kind().equals("stranded")).map(Violation::userId)
                            .distinct().sorted().toList(),
                    millis, run.records() * 1000L / millis);
        }
    }

    void print(PrintStream out) {
        out.printf("replay (%s, %d worker%s): %d records, %d events applied, %d dead-lettered, %d batches (%d failed)%n",
                mode, workers, workers == 1 ? "" : "s", records, eventsApplied, deadLettered, batches, failedBatches);
        deadLetterReasons.forEach((reason, n) -> out.printf("  dead letter x%d: %s%n", n, reason));
        out.printf("matches: %d%n", matches);
        out.printf("spin outcomes: %s%n", outcomes);
        out.printf("events not applied: %s%n", notApplied);
        out.printf("expired by the timer: %d%n", expiredByTimer);
        out.printf("invariant violations: %d%n", violations.size());
        violations.forEach(v -> out.printf("  %s user=%s match=%s spin=%s %s%n", v.kind(), v.userId(), v.matchId(),
                v.spinId(), v.detail() == null ? "" : v.detail()));
        out.printf("stranded users: %s%n", strandedUsers);
        out.printf("elapsed: %d ms (%d events/s)%n", elapsedMillis, eventsPerSecond);
    }

    private static List<Violation> violations(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(VIOLATIONS)) {
            ps.setString(1, GRACE.toMillis() + " milliseconds");
            List<Violation> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Violation(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
            return found;
        }
    }

    private static long count(Connection c, String query) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Sql.get(query)); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, Long> counts(Connection c, String query) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(Sql.get(query)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    private static String resource(String name) {
        try (InputStream in = ReplayReport.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
