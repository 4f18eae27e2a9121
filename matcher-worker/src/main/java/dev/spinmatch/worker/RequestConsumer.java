package dev.spinmatch.worker;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Owns the Kafka consumer of spin.requests (one thread): poll, apply the batch, and only after the
 * database commit, commit the offsets. A batch that fails is never skipped: the consumer seeks back
 * to the batch's first offsets and retries it after a backoff. Because the loop is synchronous, every
 * batch handed out by a poll is finished before the next poll; a rebalance (which runs inside poll)
 * therefore finds only finished work, and commits whatever offsets a failed commit left pending.
 */
final class RequestConsumer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RequestConsumer.class);
    private final Consumer<byte[], byte[]> consumer;
    private final WorkerOptions options;
    private final BatchProcessor processor;
    private final WorkerMetrics metrics;
    private final OffsetCommitHook beforeOffsetCommit;
    private final Backoff backoff;
    private final PartitionProgress progress;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private volatile boolean running = true;
    private volatile boolean joined;
    private volatile boolean alive = true;

    /** Runs after the database commit and before the offset commit; tests use it to crash there. */
    interface OffsetCommitHook {
        void beforeOffsetCommit(Map<TopicPartition, OffsetAndMetadata> offsets);
    }

    RequestConsumer(Consumer<byte[], byte[]> consumer, WorkerOptions options, BatchProcessor processor,
            WorkerMetrics metrics, OffsetCommitHook beforeOffsetCommit) {
        this.consumer = consumer;
        this.options = options;
        this.processor = processor;
        this.metrics = metrics;
        this.beforeOffsetCommit = beforeOffsetCommit;
        this.backoff = new Backoff(Duration.ofMillis(50), options.dbRetryBackoffMax());
        this.progress = new PartitionProgress(metrics.registry(), System::nanoTime);
    }

    /** Asks the loop to stop after the batch in hand; {@link #run()} then commits and closes the consumer. */
    void stop() {
        running = false;
    }

    /** In the group (has been assigned partitions, possibly none) and the loop has not died. */
    boolean ready() {
        return joined && alive;
    }

    boolean alive() {
        return alive;
    }

    @Override
    public void run() {
        MDC.put("workerId", options.workerId());
        boolean crashed = true;
        try {
            consumer.subscribe(List.of(options.requestsTopic()), new Rebalance());
            int failures = 0;
            while (running) {
                failures = pollOnce(failures);
            }
            commitPending();
            crashed = false;
        } catch (RuntimeException | Error e) {
            log.error("request consumer died; offsets of unfinished work stay uncommitted", e);
            throw e;
        } finally {
            alive = false;
            // a crash closes without committing: what was not committed is redelivered to the next owner
            consumer.close(crashed ? Duration.ZERO : options.shutdownGrace());
            log.info("request consumer closed");
        }
    }

    private int pollOnce(int failures) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(options.pollTimeout());
        records.partitions().forEach(progress::fetched);
        metrics.consumerLag(lag());
        if (records.isEmpty()) {
            commitPending();   // a commit refused by a rebalance must not wait for the next record
            return failures;
        }
        try {
            processor.process(records);
        } catch (BatchFailedException e) {
            if (!e.fromDatabase()) {
                metrics.batchFailed("none");   // the database's failures were counted where they happened
            }
            log.warn("batch of {} records failed (attempt {}); seeking back to retry it", records.count(),
                    failures + 1, e);
            seekBack(records);
            backoff.sleep(failures);
            return failures + 1;
        }
        commit(nextOffsets(records));
        return 0;
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        beforeOffsetCommit.beforeOffsetCommit(offsets);
        pending.putAll(offsets);
        commitPending();
    }

    private void commitPending() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(pending);
            progress.committed(pending.keySet());
            pending.clear();
        } catch (KafkaException e) {
            // the batch is applied; if the partitions moved, the new owner's redelivery is harmless
            log.warn("offset commit failed; kept to retry after the next poll", e);
        }
    }

    private void seekBack(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private long lag() {
        long total = 0;
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(partition);
            lag.ifPresent(records -> progress.lag(partition, records));
            total += lag.orElse(0);
        }
        return total;
    }

    /** Cooperative rebalancing: only the partitions that move are revoked, between two batches. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitPending();
            progress.released(partitions);
            log.info("partitions revoked: {}", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            joined = true;
            progress.assigned(partitions);
            log.info("partitions assigned: {}", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // another member owns them now; our pending offsets for them must not be committed
            partitions.forEach(pending::remove);
            progress.released(partitions);
            log.warn("partitions lost: {}", partitions);
        }
    }
}
