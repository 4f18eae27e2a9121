package dev.spinmatch.spinctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped bad-night log replayed deterministically: the expected report, the outcome export and
 * alice's story are golden files (regenerate with -Dreplay.updateGolden=true and review the diff).
 */
class BadNightReplayTest {
    private static List<LogRecord> log;

    @BeforeAll
    static void readLog() throws Exception {
        log = LogFile.read(ReplayDatabases.resource("bad-night.ndjson"));
    }

    @Test
    void replayOfTheBadNightGivesTheRecordedOutcomeAndAliceStory() throws Exception {
        try (ReplayDatabases.Replayed replayed = ReplayDatabases.scratch(Replay.Options.deterministic())) {
            ReplayReport report = replayed.run(log);

            assertThat(report.records()).isEqualTo(log.size());
            assertThat(report.deadLettered()).as("the non-UTF-8 record and the event without ids").isEqualTo(2);
            assertThat(report.outcomes()).containsEntry("expired", 1L).containsKey("cancelled").containsKey("superseded");
            assertThat(report.violations()).isEmpty();
            assertThat(report.strandedUsers()).isEmpty();
            assertGolden("bad-night.outcomes.ndjson", replayed.outcomes());
            List<String> story = new Explain(replayed.scratch().plain(), log, List.of())
                    .story(new Explain.Subject("alice", null, null));
            assertGolden("bad-night.explain-alice.txt", String.join("\n", story) + "\n");
            List<String> carol = new Explain(replayed.scratch().plain(), log, List.of())
                    .story(new Explain.Subject("carol", null, null));
            assertGolden("bad-night.explain-carol.txt", String.join("\n", carol) + "\n");
        }
    }

    @Test
    void sameLogReplayedTwiceGivesTheSameOutcomeExportByteForByte() throws Exception {
        String first;
        try (ReplayDatabases.Replayed replayed = ReplayDatabases.scratch(Replay.Options.deterministic())) {
            replayed.run(log);
            first = replayed.outcomes();
        }
        try (ReplayDatabases.Replayed replayed = ReplayDatabases.scratch(Replay.Options.deterministic())) {
            replayed.run(log);
            assertThat(replayed.outcomes()).isEqualTo(first).contains("\"matchId\":");
        }
    }

    private static void assertGolden(String name, String actual) throws Exception {
        if (Boolean.getBoolean("replay.updateGolden")) {
            Files.writeString(Path.of("src/test/resources/replay", name), actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual).isEqualTo(Files.readString(ReplayDatabases.resource(name), StandardCharsets.UTF_8));
    }
}
