package dev.spinmatch.spinctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.spinctl.check.Violation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recorded spin burst (the seed's scenario) replayed by 4 racing workers: against the seed's
 * naive check-then-lock matching (test SQL installed over the real functions) it pairs a user twice;
 * against the real functions, the same replay leaves no violation at all.
 */
class NaiveCheckThenLockRaceIsReproducedByStressReplayTest {
    private static final Replay.Options STRESS = Replay.Options.deterministic().withWorkers(4)
            .withBatch(5, Duration.ofMillis(50));
    private static final int ATTEMPTS = 3;

    @Test
    void naivePatternPairsOneUserTwiceUnderAStressReplay() throws Exception {
        List<LogRecord> log = LogFile.read(ReplayDatabases.resource("spin-burst.ndjson"));
        List<String> kinds = List.of();
        for (int attempt = 0; attempt < ATTEMPTS && !kinds.contains("user_in_two_active_matches"); attempt++) {
            try (ReplayDatabases.Replayed replayed = ReplayDatabases.scratch(STRESS)) {
                installNaiveMatching(replayed);
                kinds = replayed.run(log).violations().stream().map(Violation::kind).toList();
            }
        }
        assertThat(kinds).contains("user_in_two_active_matches");
    }

    @Test
    void realMatchingShowsNoViolationUnderTheSameStressReplay() throws Exception {
        List<LogRecord> log = LogFile.read(ReplayDatabases.resource("spin-burst.ndjson"));
        try (ReplayDatabases.Replayed replayed = ReplayDatabases.scratch(STRESS)) {
            ReplayReport report = replayed.run(log);
            assertThat(report.violations()).isEmpty();
            assertThat(report.matches()).isEqualTo(150);
            assertThat(report.failedBatches()).isZero();
        }
    }

    private static void installNaiveMatching(ReplayDatabases.Replayed replayed) throws Exception {
        String sql = Files.readString(ReplayDatabases.resource("naive_check_then_lock.sql"), StandardCharsets.UTF_8);
        try (Connection c = replayed.scratch().plain().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
