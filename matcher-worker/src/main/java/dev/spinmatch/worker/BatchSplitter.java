package dev.spinmatch.worker;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a batch's events so that no event can hold the others back. A transaction that fails on
 * a conflict with concurrent ones (deadlock, serialization) is tried again after a backoff, a
 * bounded number of times; one that still fails, or fails on an error an event's data may cause, is
 * split in two halves applied one after the other (so one user's events keep their order), down to
 * the single event that fails alone, which is dead-lettered with the error while the rest commit.
 *
 * <p>Nothing is dead-lettered when the database is unavailable ({@link DatabaseFailures}), nor when
 * it fails a plain join as well (a canary, rolled back: the fault is then the database's, say a bad
 * migration, not the event's): the batch fails with {@link BatchFailedException} and the consumer
 * retries it, offsets uncommitted.
 */
final class BatchSplitter {
    private static final Logger log = LoggerFactory.getLogger(BatchSplitter.class);
    private final BatchTransaction transaction;
    private final DeadLetters deadLetters;
    private final DeadLetterResults deadLetterResults;
    private final WorkerMetrics metrics;
    private final int attempts;
    private final Backoff backoff;

    /** Tries of a conflicting transaction before it is split, and the longest backoff between them (from 50 ms). */
    record Retries(int attempts, Duration backoffMax) {
        /** What replay uses: the worker's defaults. */
        static final Retries DEFAULT = new Retries(3, Duration.ofSeconds(5));
    }

    BatchSplitter(BatchTransaction transaction, DeadLetters deadLetters, DeadLetterResults deadLetterResults,
            WorkerMetrics metrics, Retries retries) {
        this.transaction = transaction;
        this.deadLetters = deadLetters;
        this.deadLetterResults = deadLetterResults;
        this.metrics = metrics;
        this.attempts = retries.attempts();
        this.backoff = new Backoff(Duration.ofMillis(50), retries.backoffMax());
    }

    /** The outcomes of every event applied, in order; the events that failed alone are dead-lettered. */
    List<Outcome> apply(List<ConsumedEvent> events) {
        List<DeadLetter> failed = new ArrayList<>();
        List<Outcome> outcomes = applyOrSplit(events, failed);
        deadLetterResults.record(failed);
        deadLetters.publishAll(failed);
        return outcomes;
    }

    private List<Outcome> applyOrSplit(List<ConsumedEvent> events, List<DeadLetter> failed) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.apply(events);
            } catch (SQLException e) {
                metrics.batchFailed(DatabaseFailures.sqlState(e));
                if (!DatabaseFailures.eventMayBeAtFault(e)) {
                    throw new BatchFailedException("database failed applying the batch", e);
                }
                if (!DatabaseFailures.isTransient(e) || attempt >= attempts) {
                    return split(events, failed, e, attempt);
                }
                log.warn("transaction of {} events failed (attempt {} of {}), trying again: SQLSTATE {}: {}",
                        events.size(), attempt, attempts, e.getSQLState(), e.getMessage());
                if (!backoff.sleep(attempt - 1)) {
                    throw new BatchFailedException("interrupted while retrying the batch", e);
                }
            }
        }
    }

    private List<Outcome> split(List<ConsumedEvent> events, List<DeadLetter> failed, SQLException error, int tries) {
        if (events.size() == 1) {
            if (!transaction.appliesACanary()) {
                throw new BatchFailedException("the database fails a plain join too: it is failing, not the event", error);
            }
            failed.add(DeadLetter.failedInDatabase(events.get(0).record(), error, tries));
            return List.of();
        }
        metrics.batchSplit();
        log.warn("transaction of {} events failed {} times (SQLSTATE {}: {}); splitting it to find the event that fails it",
                events.size(), tries, error.getSQLState(), error.getMessage());
        int half = events.size() / 2;
        List<Outcome> outcomes = new ArrayList<>(applyOrSplit(events.subList(0, half), failed));
        outcomes.addAll(applyOrSplit(events.subList(half, events.size()), failed));
        return outcomes;
    }
}
