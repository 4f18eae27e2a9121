package dev.spinmatch.spinctl.replay;

import dev.spinmatch.spinctl.bench.ServerCpu;
import com.sun.management.OperatingSystemMXBean;
import dev.spinmatch.spinctl.Logging;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Deterministic replay speed: a synthetic log replayed with one worker into a fresh embedded scratch
 * database (as {@code spinctl replay} does, logs to a file), {@code runs} times; prints for each run
 * events/s and where the CPU went (this JVM, the PostgreSQL server: microseconds per event), then
 * the median events/s. Logs ({@code mix}), 20 events per millisecond of event time, 12 partitions:
 * <ul>
 * <li>{@code rejoin}: joins and 10% cancels of events/10 users over 8 pools; users join again and
 * again, mostly while matched (a "next": their match ends first), so most events take
 * {@code apply_batch}'s per-event paths;</li>
 * <li>{@code fresh}: joins of new users only, over 4 pools, as the DB-level matching benchmark
 * sends them (every event takes the set-based paths).</li>
 * </ul>
 * Usage: ReplayBenchmark [events=100000] [runs=3] [batchSize=500] [batchWindowMs=50] [mix=rejoin]
 */
public final class ReplayBenchmark {
    private static final int EVENTS_PER_MILLI = 20;

    private ReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        Duration window = Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 50);
        String mix = args.length > 4 ? args[4] : "rejoin";
        List<LogRecord> log = mix.equals("fresh") ? fresh(events) : log(events, Math.max(100, events / 10));
        Replay.Options options = Replay.Options.deterministic().withBatch(batchSize, window);
        List<Long> rates = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            rates.add(run(run, log, options));
        }
        System.out.printf("median: %d events/s (deterministic, 1 worker, batch %d / %d ms, %d events, mix %s)%n",
                rates.stream().sorted().toList().get(rates.size() / 2), batchSize, window.toMillis(), events, mix);
    }

    private static long run(int run, List<LogRecord> log, Replay.Options options) throws Exception {
        try (ScratchDatabase db = ScratchDatabase.embedded()) {
            ServerCpu server = ServerCpu.of(db.plain());
            Duration serverBefore = server.total();
            long jvmBefore = jvmCpuNanos();
            Replay.Run done = new Replay(db, options).run(log);
            long jvm = jvmCpuNanos() - jvmBefore;
            Duration pg = server.total().minus(serverBefore);
            ReplayReport report = ReplayReport.of(done, db, 1);
            System.out.printf("run %d: %d records in %d ms = %d events/s; CPU per event: JVM %d us, PostgreSQL %d us"
                            + " (matches %d, violations %d, batches %d)%n", run, report.records(),
                    report.elapsedMillis(), report.eventsPerSecond(), jvm / 1000 / log.size(),
                    pg.toNanos() / 1000 / log.size(), report.matches(), report.violations().size(), report.batches());
            return report.eventsPerSecond();
        }
    }

    private static long jvmCpuNanos() {
        return ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getProcessCpuTime();
    }

    static List<LogRecord> log(int events, int users) {
        SyntheticLog log = synthetic();
        Random random = new Random(42);
        int written = 0;
        for (int i = 0; written < events; i++) {
            String user = "u" + random.nextInt(users);
            long at = written / EVENTS_PER_MILLI;
            UUID spin = log.join(user, "pool-" + (user.hashCode() & 7), at);
            written++;
            if (random.nextInt(10) == 0 && written < events) {
                log.leave(user, spin, at + random.nextInt(100));
                written++;
            }
        }
        return log.records();
    }

    /** Every event a join of a new user; users 2k and 2k+1 share a pool, so most pair in their batch. */
    static List<LogRecord> fresh(int events) {
        SyntheticLog log = synthetic();
        for (int i = 0; i < events; i++) {
            log.join("f" + i, "pool-" + (i / 2 & 3), i / EVENTS_PER_MILLI);
        }
        return log.records();
    }

    private static SyntheticLog synthetic() {
        return new SyntheticLog("spin.requests", 12, Instant.parse("2025-03-14T02:00:00Z"));
    }
}
