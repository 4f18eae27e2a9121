package dev.spinmatch.worker;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The worker's own decode-and-apply path ({@link BatchProcessor}: decode, {@code spin.apply_batch} in
 * one transaction, dead letters, contention retries) fed with recorded records instead of a live
 * consumer: what {@code spinctl replay} runs a log through. Nothing is published anywhere: dead
 * letters are kept in memory (an in-memory producer) and nothing is relayed.
 */
public final class RecordedLogApplier {
    private static final int EXPIRY_BATCH_SIZE = 1000;
    private final SpinStore store;
    private final MockProducer<byte[], byte[]> deadLetterSink =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final BatchProcessor processor;

    public RecordedLogApplier(DataSource dataSource, int contentionRetryAttempts, Duration contentionRetryBackoff) {
        store = new SpinStore(dataSource);
        WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry());
        ContentionRetrier retrier = new ContentionRetrier(store, metrics, contentionRetryAttempts,
                new Backoff(contentionRetryBackoff, contentionRetryBackoff.multipliedBy(32)));
        processor = BatchProcessor.create(store, metrics, new DeadLetters(deadLetterSink, "replay.dlq", "replay", metrics),
                retrier, BatchSplitter.Retries.DEFAULT, () -> { });
    }

    /** Applies one batch exactly as a worker applies one poll. */
    public void apply(ConsumerRecords<byte[], byte[]> records) {
        processor.process(records);
    }

    /** Runs the worker's expiry step once ({@code spin.expire_spins}); returns how many spins expired. */
    public int expireSpins() throws SQLException {
        return store.expireSpins(EXPIRY_BATCH_SIZE, Optional.empty());
    }

    /** The records the worker dead-lettered so far, with the reason headers it added. */
    public List<ProducerRecord<byte[], byte[]>> deadLetters() {
        return deadLetterSink.history();
    }
}
