package dev.spinmatch.spinctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README's step 5: the shipped bad night replayed by 4 racing workers in batches of 5. Each worker's clock is
 * the event time of its own batch, and the workers run ahead of each other; when a match's times came from
 * those clocks, a match one worker created after another worker's commit ended the user's previous match could
 * carry an earlier time, and the checker reported 50-63 overlapping_matches where no user was ever in two
 * matches. Match times follow commit order, so a stress replay of the real functions reports nothing
 * (that the same replay still catches a real double pairing: NaiveCheckThenLockRaceIsReproducedByStressReplayTest).
 */
class StressReplayOrdersMatchesByCommitTest {
    private static final Replay.Options README_STRESS = Replay.Options.deterministic().withWorkers(4)
            .withBatch(5, Duration.ofMillis(50));

    @Test
    void badNightReplayedByFourWorkersReportsNoViolation() throws Exception {
        List<LogRecord> log = LogFile.read(ReplayDatabases.resource("bad-night.ndjson"));
        for (int run = 0; run < 3; run++) {
            try (ReplayDatabases.Replayed replayed = ReplayDatabases.scratch(README_STRESS)) {
                ReplayReport report = replayed.run(log);

                assertThat(report.failedBatches()).isZero();
                assertThat(report.matches()).as("matches made").isPositive();
                assertThat(report.violations()).as("run %d", run).isEmpty();
            }
        }
    }
}
