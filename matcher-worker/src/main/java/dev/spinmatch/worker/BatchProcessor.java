package dev.spinmatch.worker;

import dev.spinmatch.events.EventCodec;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Applies the records of one poll: decodes them ({@link RecordDecoder}, which never throws), applies
 * the valid events ({@link BatchSplitter}: one transaction, split only when it keeps failing),
 * dead-letters the undecodable records, reports ({@link BatchReport}) and then matches the users the
 * batch left unmatched once more ({@link ContentionRetrier}). Throws {@link BatchFailedException}
 * when the poll must be retried (database or broker unavailable); nothing of it is then committed
 * except idempotent effects, so redelivery is harmless.
 */
final class BatchProcessor {
    private final RecordDecoder decoder;
    private final BatchSplitter splitter;
    private final DeadLetters deadLetters;
    private final DeadLetterResults deadLetterResults;
    private final ContentionRetrier retrier;
    private final WorkerMetrics metrics;
    private final Runnable afterCommit;

    BatchProcessor(RecordDecoder decoder, BatchSplitter splitter, DeadLetters deadLetters,
            DeadLetterResults deadLetterResults, ContentionRetrier retrier, WorkerMetrics metrics, Runnable afterCommit) {
        this.decoder = decoder;
        this.splitter = splitter;
        this.deadLetters = deadLetters;
        this.deadLetterResults = deadLetterResults;
        this.retrier = retrier;
        this.metrics = metrics;
        this.afterCommit = afterCommit;
    }

    /** The worker's apply path over {@code store}; replay builds the same with its own retrier. */
    static BatchProcessor create(SpinStore store, WorkerMetrics metrics, DeadLetters deadLetters,
            ContentionRetrier retrier, BatchSplitter.Retries retries, Runnable afterCommit) {
        EventCodec codec = new EventCodec();
        DeadLetterResults results = new DeadLetterResults(store, metrics);
        BatchSplitter splitter = new BatchSplitter(new BatchTransaction(codec, store, deadLetters, metrics), deadLetters,
                results, metrics, retries);
        return new BatchProcessor(new RecordDecoder(codec), splitter, deadLetters, results, retrier, metrics,
                afterCommit);
    }

    void process(ConsumerRecords<byte[], byte[]> records) {
        DecodedBatch batch = DecodedBatch.decode(decoder, records);
        batch.events().forEach(e -> metrics.eventConsumed(e.event().type()));
        List<Outcome> outcomes = batch.events().isEmpty() ? List.of() : splitter.apply(batch.events());
        // after the events: a poll retried while the database is down does not dead-letter these again
        deadLetterResults.record(batch.deadLetters());
        deadLetters.publishAll(batch.deadLetters());
        if (batch.events().isEmpty()) {
            return;
        }
        Instant committed = Instant.now();
        afterCommit.run();
        BatchReport report = new BatchReport(metrics, batch.events());
        Set<String> unmatched = report.applied(outcomes, committed);
        if (!unmatched.isEmpty()) {
            settle(unmatched, report);
        }
    }

    /** Waiting and contended users get another pass after the commit (see {@link ContentionRetrier}). */
    private void settle(Set<String> unmatched, BatchReport report) {
        try {
            List<Outcome> retried = retrier.settle(unmatched,
                    (user, attempts) -> DecisionLog.contentionExhausted(user, report.joinOf(user), attempts));
            Instant committed = Instant.now();
            afterCommit.run();
            report.matched(retried, committed);
        } catch (SQLException e) {
            metrics.batchFailed(DatabaseFailures.sqlState(e));
            throw new BatchFailedException("database failed matching the batch's unmatched users again", e);
        }
    }
}
