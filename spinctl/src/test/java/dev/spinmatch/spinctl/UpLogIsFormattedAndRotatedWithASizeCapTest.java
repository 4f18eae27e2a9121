package dev.spinmatch.spinctl;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spinctl up}'s log lines carried unfilled templates ({@code "{} {}{}"}, the values in a separate array),
 * and its one file grew to 121 MB in 15 minutes. With up's configuration, in a logging context of its own: the
 * messages are formatted, and the file rotates at its size cap keeping three older files.
 */
class UpLogIsFormattedAndRotatedWithASizeCapTest {
    @Test
    void linesAreFormattedAndTheFileRotatesAtItsCap(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("up.log");
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        Logging.configureUp(context, file, "20KB");
        Logger log = context.getLogger("dev.spinmatch.worker.decisions");
        long until = System.nanoTime() + 3_500_000_000L;
        for (int i = 0; System.nanoTime() < until; i++) {
            log.info("user-{} matched with user-{} in pool {}", i, i + 1, "lobby");
            Thread.sleep(1);
        }
        context.stop();

        String first = Files.readString(dir.resolve("up.log.1"), StandardCharsets.UTF_8).lines().findFirst()
                .orElseThrow();
        assertThat(first).containsPattern("\"formattedMessage\":\"user-\\d+ matched with user-\\d+ in pool lobby\"")
                .doesNotContain("user-{}").doesNotContain("\"arguments\"");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).as("the file and at most three older ones").contains("up.log", "up.log.1")
                    .doesNotContain("up.log.4").hasSizeLessThanOrEqualTo(4);
        }
        assertThat(Files.size(dir.resolve("up.log.1"))).as("a rotated file, near its cap").isLessThan(2_000_000);
    }
}
