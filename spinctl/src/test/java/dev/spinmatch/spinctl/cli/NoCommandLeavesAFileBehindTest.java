package dev.spinmatch.spinctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every spinctl command left a /tmp/spinctl-PID.log behind. Only {@code up} writes a log file, where it says;
 * a command whose Kafka client logs (here export, against a broker that is not there) leaves nothing.
 */
class NoCommandLeavesAFileBehindTest {
    @Test
    void exportLeavesTheTemporaryDirectoryEmpty(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        try (SpinctlProcess export = SpinctlProcess.start(dir, List.of("-Djava.io.tmpdir=" + tmp), "export",
                "--kafka", "127.0.0.1:" + Run.closedPort())) {
            assertThat(export.awaitExit(Duration.ofSeconds(60))).as(export.output()).isEqualTo(2);
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }
}
