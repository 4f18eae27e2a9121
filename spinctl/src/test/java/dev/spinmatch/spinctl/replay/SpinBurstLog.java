package dev.spinmatch.spinctl.replay;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Writes src/test/resources/replay/spin-burst.ndjson: the seed's failure scenario recorded, many
 * users of one pool pressing spin at the same moment, in bursts, over 12 partitions. Against the
 * seed's naive check-then-lock matching, concurrent workers pair one waiting user twice.
 */
public final class SpinBurstLog {
    private SpinBurstLog() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "spinctl/src/test/resources/replay/spin-burst.ndjson");
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            LogFile.write(build(), w);
        }
    }

    static List<LogRecord> build() {
        SyntheticLog log = new SyntheticLog("spin.requests", 12, Instant.parse("2025-03-14T03:00:00Z"));
        for (int burst = 0; burst < 6; burst++) {
            for (int i = 0; i < 50; i++) {
                log.join("burst-" + burst + "-user-" + i, "lobby", burst * 2_000L + i / 10);
            }
        }
        return log.records();
    }
}
