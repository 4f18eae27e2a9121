package dev.spinmatch.spinctl.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spinctl replay}: a recorded log through the worker's code into a scratch database. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Run a recorded log (a file, or a topic range) through the matcher-worker's apply path into "
                + "a scratch database. --workers 1 (default) is deterministic: event time from record timestamps, "
                + "ids from a sequence, the same log gives the same outcome export byte for byte. --workers N "
                + "races N threads over the partitions like a fleet. Writes no topic; exit 1 when an invariant "
                + "is violated.")
public final class ReplayCommand implements Callable<Integer> {
    @Mixin
    LogSource source;

    @Mixin
    ScratchOptions scratch;

    @Option(names = "--workers", defaultValue = "1", description = "Replaying workers (default: ${DEFAULT-VALUE} = deterministic).")
    int workers;

    @Option(names = "--batch-size", defaultValue = "500", description = "Most records per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--batch-window-ms", defaultValue = "50",
            description = "Most event time one batch spans, like one poll (default: ${DEFAULT-VALUE}).")
    long batchWindowMs;

    @Option(names = "--outcomes", paramLabel = "FILE", description = "Write the outcome export of the result here.")
    Path outcomes;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<LogRecord> log = source.read();
        try (ScratchDatabase db = scratch.open()) {
            Replay.Options options = Replay.Options.deterministic().withWorkers(workers)
                    .withBatch(batchSize, Duration.ofMillis(batchWindowMs));
            ReplayReport report = new Replay(db, options).replay(log);
            if (outcomes != null) {
                try (Writer w = Files.newBufferedWriter(outcomes, StandardCharsets.UTF_8)) {
                    Outcomes.write(Outcomes.read(db.plain()), w);
                }
            }
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            } else {
                report.print(System.out);
            }
            return report.violations().isEmpty() ? 0 : 1;
        } catch (IllegalArgumentException e) {
            System.err.println("spinctl replay: " + e.getMessage());
            return 2;
        }
    }
}
