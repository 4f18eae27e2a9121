package dev.spinmatch.spinctl.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Deterministic replay speed: a synthetic log (joins and cancels of {@code users} users over 8 pools
 * and 12 partitions, 20,000 events per second of event time) replayed with one worker into a fresh
 * embedded database, {@code runs} times; prints events/s of each run and the median.
 * Usage: ReplayBenchmark [events=100000] [runs=3] [batchSize=500]
 */
public final class ReplayBenchmark {
    private ReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        List<LogRecord> log = log(events, Math.max(100, events / 10));
        List<Long> rates = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            try (ScratchDatabase db = ScratchDatabase.embedded()) {
                Replay.Options options = Replay.Options.deterministic().withBatch(batchSize, java.time.Duration.ofMillis(50));
                ReplayReport report = new Replay(db, options).replay(log);
                rates.add(report.eventsPerSecond());
                System.out.printf("run %d: %d records in %d ms = %d events/s (matches %d, violations %d)%n", run,
                        report.records(), report.elapsedMillis(), report.eventsPerSecond(), report.matches(),
                        report.violations().size());
            }
        }
        System.out.printf("median: %d events/s (deterministic, 1 worker, batch %d, %d events)%n",
                rates.stream().sorted().toList().get(rates.size() / 2), batchSize, events);
    }

    static List<LogRecord> log(int events, int users) {
        SyntheticLog log = new SyntheticLog("spin.requests", 12, Instant.parse("2025-03-14T02:00:00Z"));
        Random random = new Random(42);
        int written = 0;
        for (int i = 0; written < events; i++) {
            String user = "u" + random.nextInt(users);
            long at = written / 20L;
            UUID spin = log.join(user, "pool-" + (user.hashCode() & 7), at);
            written++;
            if (random.nextInt(10) == 0 && written < events) {
                log.leave(user, spin, at + random.nextInt(100));
                written++;
            }
        }
        return log.records();
    }
}
