package dev.spinmatch.spinctl.replay;

import dev.spinmatch.worker.RecordedLogApplier;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Runs a recorded log through the worker's own apply path ({@link RecordedLogApplier}) into a
 * scratch database. Partitions are dealt to {@code workers} threads the way a consumer group deals
 * them to a fleet; each thread applies its partitions' records in batches, on its own connection
 * pool and its own replay clock. With one worker the whole run is deterministic: one total order
 * ({@link LogOrder#merged}), batches cut by size and event time only, time and ids from the replay
 * clock. With several, the threads race for real, as workers do.
 */
public final class Replay {
    /** How the log is cut into batches and how often expiry runs, in event time. */
    public record Options(int workers, int batchSize, Duration batchWindow, Duration expiryInterval,
            int contentionRetryAttempts, Duration contentionRetryBackoff) {
        public static Options deterministic() {
            return new Options(1, 500, Duration.ofMillis(50), Duration.ofSeconds(1), 10, Duration.ofMillis(5));
        }

        public Options withWorkers(int n) {
            return new Options(n, batchSize, batchWindow, expiryInterval, contentionRetryAttempts, contentionRetryBackoff);
        }

        public Options withBatch(int size, Duration window) {
            return new Options(workers, size, window, expiryInterval, contentionRetryAttempts, contentionRetryBackoff);
        }
    }

    /** What the workers did; the database state is read by {@link ReplayReport}. */
    record Run(int records, int batches, int failedBatches, int expired, List<String> deadLetterReasons,
            Instant lastEventTime, Duration elapsed) {
    }

    private final ScratchDatabase db;
    private final Options options;

    public Replay(ScratchDatabase db, Options options) {
        this.db = db;
        this.options = options;
    }

    /** Replays {@code log} and reports the state it left. */
    public ReplayReport replay(List<LogRecord> log) throws Exception {
        return ReplayReport.of(run(log), db, options.workers());
    }

    Run run(List<LogRecord> log) throws Exception {
        List<List<LogRecord>> shares = deal(log);
        long start = System.nanoTime();
        ExecutorService threads = Executors.newFixedThreadPool(shares.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Run>> runs = new ArrayList<>();
            for (int i = 0; i < shares.size(); i++) {
                ReplayWorker worker = new ReplayWorker(db.clockedPool("w" + i, 2), options);
                List<LogRecord> share = shares.get(i);
                runs.add(threads.submit(() -> {
                    go.await();
                    return worker.run(share);
                }));
            }
            go.countDown();
            List<Run> done = new ArrayList<>();
            for (Future<Run> r : runs) {
                done.add(r.get());
            }
            return merge(done, Duration.ofNanos(System.nanoTime() - start));
        } finally {
            threads.shutdownNow();
        }
    }

    /** Partition i goes to worker i mod N (of the partitions present, in order). */
    private List<List<LogRecord>> deal(List<LogRecord> log) {
        List<Integer> partitions = log.stream().map(LogRecord::partition).distinct().sorted().toList();
        int n = Math.max(1, Math.min(options.workers(), partitions.size()));
        Map<Integer, Integer> owner = new HashMap<>();
        for (int i = 0; i < partitions.size(); i++) {
            owner.put(partitions.get(i), i % n);
        }
        List<List<LogRecord>> shares = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            shares.add(new ArrayList<>());
        }
        log.forEach(r -> shares.get(owner.get(r.partition())).add(r));
        return shares;
    }

    private static Run merge(List<Run> runs, Duration elapsed) {
        List<String> reasons = new ArrayList<>();
        runs.forEach(r -> reasons.addAll(r.deadLetterReasons()));
        return new Run(runs.stream().mapToInt(Run::records).sum(), runs.stream().mapToInt(Run::batches).sum(),
                runs.stream().mapToInt(Run::failedBatches).sum(), runs.stream().mapToInt(Run::expired).sum(), reasons,
                runs.stream().map(Run::lastEventTime).max(Instant::compareTo).orElse(Instant.EPOCH), elapsed);
    }

    /** One replaying worker thread: its partitions, its pool, its clock, the worker's applier. */
    private static final class ReplayWorker {
        private static final int BATCH_ATTEMPTS = 3;
        private final ReplayClock clock;
        private final Options options;
        private final RecordedLogApplier applier;
        private Instant lastExpiry = Instant.EPOCH;
        private int batches;
        private int failed;
        private int expired;

        ReplayWorker(ReplayClock clock, Options options) {
            this.clock = clock;
            this.options = options;
            this.applier = new RecordedLogApplier(clock, options.contentionRetryAttempts(),
                    options.contentionRetryBackoff());
        }

        Run run(List<LogRecord> share) throws SQLException {
            List<LogRecord> ordered = LogOrder.merged(share);
            Instant last = Instant.EPOCH;
            for (int from = 0; from < ordered.size(); ) {
                int to = batchEnd(ordered, from);
                List<LogRecord> batch = ordered.subList(from, to);
                expireUpTo(Instant.ofEpochMilli(batch.get(0).timestamp()));
                last = Instant.ofEpochMilli(batch.get(batch.size() - 1).timestamp());
                clock.set(last);
                apply(batch);
                from = to;
            }
            return new Run(ordered.size(), batches, failed, expired, applier.deadLetters().stream()
                    .map(ReplayWorker::reason).toList(), last, Duration.ZERO);
        }

        /** A batch: at most batchSize records within batchWindow of event time of its first one. */
        private int batchEnd(List<LogRecord> ordered, int from) {
            long until = ordered.get(from).timestamp() + options.batchWindow().toMillis();
            int to = from + 1;
            while (to < ordered.size() && to - from < options.batchSize() && ordered.get(to).timestamp() < until) {
                to++;
            }
            return to;
        }

        /** The worker's expiry timer, ticking in event time. */
        private void expireUpTo(Instant time) throws SQLException {
            if (Duration.between(lastExpiry, time).compareTo(options.expiryInterval()) >= 0) {
                clock.set(time);
                expired += applier.expireSpins();
                lastExpiry = time;
            }
        }

        /** As the consumer does: a failed batch is retried (the effects are idempotent), then given up. */
        private void apply(List<LogRecord> batch) {
            batches++;
            ConsumerRecords<byte[], byte[]> records = consumerRecords(batch);
            for (int attempt = 1; ; attempt++) {
                try {
                    applier.apply(records);
                    return;
                } catch (RuntimeException e) {
                    if (attempt == BATCH_ATTEMPTS) {
                        failed++;
                        return;
                    }
                }
            }
        }

        private static ConsumerRecords<byte[], byte[]> consumerRecords(List<LogRecord> batch) {
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
            for (LogRecord r : batch) {
                byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new ArrayList<>())
                        .add(r.toConsumerRecord());
            }
            return new ConsumerRecords<>(byPartition, Map.of());
        }

        private static String reason(ProducerRecord<byte[], byte[]> letter) {
            Header header = letter.headers().lastHeader("reason");
            return header == null ? "unknown" : new String(header.value(), StandardCharsets.UTF_8);
        }
    }
}
