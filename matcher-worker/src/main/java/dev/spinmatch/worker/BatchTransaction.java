package dev.spinmatch.worker;

import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.JoinQueue;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Applies events in ONE database transaction through {@code spin.apply_batch}. The events the
 * database rejects are dead-lettered, and acknowledged, before that transaction commits: a rejected
 * event leaves no trace in the database, so a crash after the commit could not find it again.
 */
final class BatchTransaction {
    /** The database's rejections read "invalid FIELD (param): reason" (schema/README.md). */
    private static final Pattern FIELD_DETAIL = Pattern.compile("invalid (\\w+)\\b.*", Pattern.DOTALL);
    /** The user and pool of the canary join: valid ids no client uses. */
    private static final String CANARY = "spinmatch.canary";
    private final EventCodec codec;
    private final SpinStore store;
    private final DeadLetters deadLetters;
    private final WorkerMetrics metrics;

    BatchTransaction(EventCodec codec, SpinStore store, DeadLetters deadLetters, WorkerMetrics metrics) {
        this.codec = codec;
        this.store = store;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** The outcomes, committed; on any exception nothing of it is committed. */
    List<Outcome> apply(List<ConsumedEvent> events) throws SQLException {
        long start = System.nanoTime();
        try (Connection connection = Transactions.begin(store.dataSource())) {
            try {
                List<Outcome> outcomes = store.applyBatch(connection, toJsonArray(events));
                deadLetters.publishAll(rejected(events, outcomes));
                connection.commit();
                metrics.batch(events.size(), Duration.ofNanos(System.nanoTime() - start));
                return outcomes;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    /**
     * Applies a plain join of a user and pool nobody else has, and rolls it back: true when the
     * database can do that, so an event it failed on alone failed for what is in that event.
     */
    boolean appliesACanary() {
        JoinQueue canary = new JoinQueue(UUID.randomUUID(), CANARY, UUID.randomUUID(), CANARY, Instant.now(), null);
        try (Connection connection = Transactions.begin(store.dataSource())) {
            try {
                store.applyBatch(connection, toJsonArray(List.of(new ConsumedEvent(canary, null))));
                return true;
            } finally {
                rollbackQuietly(connection);
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** The events as one JSON array, the argument of {@code spin.apply_batch}. */
    private String toJsonArray(List<ConsumedEvent> events) {
        StringBuilder json = new StringBuilder(events.size() * 200).append('[');
        for (ConsumedEvent consumed : events) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(new String(codec.encode(consumed.event()), StandardCharsets.UTF_8));
        }
        return json.append(']').toString();
    }

    private static List<DeadLetter> rejected(List<ConsumedEvent> events, List<Outcome> outcomes) {
        Map<UUID, ConsumerRecord<byte[], byte[]>> records = new HashMap<>();
        events.forEach(e -> records.put(e.event().eventId(), e.record()));
        return outcomes.stream().filter(o -> o.isEventResult() && o.is(Outcome.REJECTED))
                .map(o -> deadLetter(records.get(o.eventId()), o)).toList();
    }

    private static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record, Outcome rejected) {
        String detail = rejected.detail() == null ? "rejected by the database" : rejected.detail();
        Matcher m = FIELD_DETAIL.matcher(detail);
        return new DeadLetter(record, m.matches() ? m.group(1) : "event", detail);
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; closing it discards the transaction anyway
        }
    }
}
