package dev.spinmatch.spinctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README's worked replay example quoted 329 records and 327 events applied after the shipped log had grown to
 * 333: the record count and the report's first line it shows are those of a replay of the shipped log today.
 */
class ReadmeReplayExampleMatchesTheShippedLogTest {
    @Test
    void readmeQuotesTheReplayOfTheShippedLog() throws Exception {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        List<LogRecord> log = LogFile.read(ReplayDatabases.resource("bad-night.ndjson"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (ReplayDatabases.Replayed replayed = ReplayDatabases.scratch(Replay.Options.deterministic())) {
            replayed.run(log).print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        }
        String first = printed.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();

        assertThat(readme).contains("`spinctl/src/test/resources/replay/bad-night.ndjson`,\n" + log.size() + " records");
        assertThat(readme).contains(first.substring(0, first.indexOf("dead-lettered") + "dead-lettered".length()));
    }
}
