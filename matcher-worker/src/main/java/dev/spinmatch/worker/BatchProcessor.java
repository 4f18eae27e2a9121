package dev.spinmatch.worker;

import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.JoinQueue;
import dev.spinmatch.events.SpinRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Applies the records of one poll: decodes them, applies the valid events in ONE database
 * transaction through {@code spin.apply_batch}, dead-letters the invalid ones (and the events the
 * database rejects) before that transaction commits, then retries contended users. Throws
 * {@link BatchFailedException} when the batch must be retried; nothing of it is then committed
 * except idempotent effects, so redelivery is harmless.
 */
final class BatchProcessor {
    /** The database's rejections read "invalid FIELD (param): reason" (schema/README.md). */
    private static final Pattern FIELD_DETAIL = Pattern.compile("invalid (\\w+)\\b.*", Pattern.DOTALL);
    private final EventCodec codec;
    private final SpinStore store;
    private final DeadLetters deadLetters;
    private final ContentionRetrier retrier;
    private final WorkerMetrics metrics;
    private final Runnable afterCommit;

    BatchProcessor(EventCodec codec, SpinStore store, DeadLetters deadLetters, ContentionRetrier retrier,
            WorkerMetrics metrics, Runnable afterCommit) {
        this.codec = codec;
        this.store = store;
        this.deadLetters = deadLetters;
        this.retrier = retrier;
        this.metrics = metrics;
        this.afterCommit = afterCommit;
    }

    void process(ConsumerRecords<byte[], byte[]> records) {
        DecodedBatch batch = DecodedBatch.decode(codec, records);
        batch.events().forEach(e -> metrics.eventConsumed(e.type()));
        if (batch.events().isEmpty()) {
            deadLetters.publishAll(batch.deadLetters());
            return;
        }
        List<Outcome> outcomes = applyInOneTransaction(batch, records.count());
        Instant committed = Instant.now();
        afterCommit.run();
        report(batch, outcomes, committed);
    }

    private List<Outcome> applyInOneTransaction(DecodedBatch batch, int recordCount) {
        long start = System.nanoTime();
        try (Connection connection = Transactions.begin(store.dataSource())) {
            try {
                List<Outcome> outcomes = store.applyBatch(connection, batch.toJsonArray(codec));
                List<DeadLetter> letters = new ArrayList<>(batch.deadLetters());
                letters.addAll(rejected(batch, outcomes));
                deadLetters.publishAll(letters);
                connection.commit();
                metrics.batch(recordCount, Duration.ofNanos(System.nanoTime() - start));
                return outcomes;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw new BatchFailedException("database failed applying the batch", e);
        }
    }

    private static List<DeadLetter> rejected(DecodedBatch batch, List<Outcome> outcomes) {
        return outcomes.stream().filter(o -> o.isEventResult() && o.is(Outcome.REJECTED))
                .map(o -> deadLetter(batch, o)).collect(Collectors.toList());
    }

    private static DeadLetter deadLetter(DecodedBatch batch, Outcome rejected) {
        String detail = rejected.detail() == null ? "rejected by the database" : rejected.detail();
        Matcher m = FIELD_DETAIL.matcher(detail);
        return new DeadLetter(batch.recordsByEventId().get(rejected.eventId()), m.matches() ? m.group(1) : "event", detail);
    }

    private void report(DecodedBatch batch, List<Outcome> outcomes, Instant committed) {
        Map<UUID, SpinRequest> byEventId = new HashMap<>();
        Map<String, SpinRequest> joins = new HashMap<>();
        for (SpinRequest event : batch.events()) {
            byEventId.put(event.eventId(), event);
            if (event instanceof JoinQueue) {
                joins.put(event.userId(), event);
            }
        }
        Set<String> unmatched = new HashSet<>();
        List<Outcome> matching = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.isEventResult()) {
                metrics.eventResult(outcome.result());
                DecisionLog.applied(byEventId.get(outcome.eventId()), outcome);
            } else if (outcome.is(Outcome.MATCHED)) {
                matching.add(outcome);
            } else {
                if (outcome.is(Outcome.CONTENDED)) {
                    metrics.contended(1);
                }
                unmatched.add(outcome.userId());
            }
        }
        matched(matching, joins, committed);
        if (!unmatched.isEmpty()) {
            settle(unmatched, joins);
        }
    }

    /** Waiting and contended users get another pass after the commit (see {@link ContentionRetrier}). */
    private void settle(Set<String> unmatched, Map<String, SpinRequest> joins) {
        try {
            List<Outcome> retried = retrier.settle(unmatched,
                    (user, attempts) -> DecisionLog.contentionExhausted(user, joins.get(user), attempts));
            Instant committed = Instant.now();
            afterCommit.run();
            matched(retried, joins, committed);
        } catch (SQLException e) {
            throw new BatchFailedException("database failed matching the batch's unmatched users again", e);
        }
    }

    private void matched(List<Outcome> outcomes, Map<String, SpinRequest> joins, Instant committed) {
        Set<UUID> matches = new HashSet<>();
        for (Outcome outcome : outcomes) {
            if (outcome.is(Outcome.MATCHED)) {
                matches.add(outcome.matchId());
                SpinRequest join = joins.get(outcome.userId());
                DecisionLog.matched(outcome, join);
                if (join != null) {
                    metrics.spinToMatch(Duration.between(join.occurredAt(), committed));
                }
            }
        }
        metrics.matchesCreated(matches.size());
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; closing it discards the transaction anyway
        }
    }
}
