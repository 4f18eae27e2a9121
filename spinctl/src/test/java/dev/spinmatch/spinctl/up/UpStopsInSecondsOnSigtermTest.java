package dev.spinmatch.spinctl.up;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.spinctl.cli.SpinctlProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C, SIGTERM and --exit-after-demo (all three run the same shutdown hook) took 77-100 s: the embedded
 * PostgreSQL's own shutdown hook stopped the database within 0.1 s of the signal while the workers still ran and
 * retried for a minute. The stack stops the API, the workers, Kafka, then PostgreSQL last: an idle stack of three
 * workers is gone within five seconds of SIGTERM.
 */
class UpStopsInSecondsOnSigtermTest {
    private static final Duration STOP_LIMIT = Duration.ofSeconds(5);

    @Test
    void idleStackStopsWithinFiveSecondsInOrder(@TempDir Path dir) throws Exception {
        try (SpinctlProcess up = SpinctlProcess.start(dir, List.of("-Xmx1g"), "up", "--api-port", "0", "--workers",
                "3", "--log-file", dir.resolve("up.log").toString())) {
            assertThat(up.awaitOutput("running; Ctrl-C stops everything.", Duration.ofMinutes(3))).as(up.output()).isTrue();
            Thread.sleep(2_000);

            long signalled = System.nanoTime();
            up.terminate();
            Integer code = up.awaitExit(Duration.ofSeconds(60));
            Duration took = Duration.ofNanos(System.nanoTime() - signalled);

            System.out.println("stopped " + took.toMillis() + " ms after SIGTERM; " + up.output().lines()
                    .filter(line -> line.startsWith("stopped in")).findFirst().orElse("(no timings)"));
            assertThat(code).as(up.output()).isNotNull();
            assertThat(up.output()).contains("stopping: API, workers, Kafka, PostgreSQL").contains("stopped in");
            assertThat(took).as("SIGTERM to exit").isLessThanOrEqualTo(STOP_LIMIT);
        }
    }
}
