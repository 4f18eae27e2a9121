package dev.spinmatch.worker;

import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.MatchEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Publishes what the matching core announces to {@code topic.matches}, at least once. The database keeps no
 * outbox: the announcements are read from the match and spin rows by the id of the transaction that wrote
 * them (schema V6, "Relay"). One round is one transaction: the horizon (every transaction below it has
 * ended), the relay cursor row ({@code FOR UPDATE SKIP LOCKED}: one relay of the fleet at a time, the others
 * skip the round), the records of the transactions in [cursor, round end) published with key = user id and
 * headers eventId, type, traceId, every acknowledgement awaited, and only then the cursor moved and the round
 * committed. A failure or crash before that commit publishes the round again with the same event ids
 * (derived from what they announce), which consumers deduplicate.
 */
final class AnnouncementRelay implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(AnnouncementRelay.class);
    private final DataSource dataSource;
    private final Producer<byte[], byte[]> producer;
    private final EventCodec codec = new EventCodec();
    private final WorkerMetrics metrics;
    private final WorkerOptions options;
    private final Semaphore nudges = new Semaphore(0);
    private final Backoff backoff;
    private volatile boolean running = true;

    AnnouncementRelay(DataSource dataSource, Producer<byte[], byte[]> producer, WorkerMetrics metrics, WorkerOptions options) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.metrics = metrics;
        this.options = options;
        this.backoff = new Backoff(Duration.ofMillis(50), options.dbRetryBackoffMax());
    }

    /** New matches or ends were committed: relay now instead of at the next interval. */
    void nudge() {
        if (nudges.availablePermits() == 0) {
            nudges.release();
        }
    }

    void stop() {
        running = false;
        nudges.release();
    }

    @Override
    public void run() {
        MDC.put("workerId", options.workerId());
        int failures = 0;
        while (running) {
            try {
                int relayed = relayOnce();
                failures = 0;
                if (relayed < options.relayBatchSize()) {
                    awaitNudge();
                }
            } catch (SQLException | RuntimeException e) {
                log.warn("relay round failed (attempt {}); its records are published again by a later round", failures + 1, e);
                backoff.sleep(failures++);
            }
        }
        log.info("relay stopped");
    }

    /** One round; returns the number of records published (0 also when another relay holds the cursor). */
    int relayOnce() throws SQLException {
        try (Connection connection = Transactions.begin(dataSource)) {
            try {
                long horizon = longValue(connection, NamedQueries.get("relay_horizon"));
                Long cursor = claimCursor(connection);
                if (cursor == null || cursor >= horizon) {
                    connection.rollback();
                    return 0;
                }
                Round round = read(connection, cursor, horizon);
                publish(round.records());
                moveCursor(connection, round.end());
                connection.commit();
                round.records().forEach(this::relayed);
                return round.records().size();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** The records of transactions in [cursor, end), in publication order. */
    private record Round(long end, List<Announcement> records) {
    }

    private Long claimCursor(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(NamedQueries.get("relay_claim_cursor"));
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private Round read(Connection connection, long cursor, long horizon) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(NamedQueries.get("relay_round"))) {
            ps.setLong(1, cursor);
            ps.setLong(2, horizon);
            ps.setInt(3, options.relayBatchSize());
            ps.setLong(4, cursor);
            long end = horizon;
            List<Announcement> records = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    end = rs.getLong("end_xid");
                    if (rs.getString("type") != null) {
                        records.add(new Announcement(rs.getLong("xid"), rs.getTimestamp("at").toInstant(), rs.getString("type"),
                                rs.getString("user_id"), rs.getString("partner_id"), rs.getObject("match_id", UUID.class),
                                rs.getObject("spin_id", UUID.class), rs.getString("pool"), rs.getString("reason"),
                                rs.getString("ended_by"), rs.getString("trace_id")));
                    }
                }
            }
            return new Round(end, records);
        }
    }

    private void moveCursor(Connection connection, long end) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(NamedQueries.get("relay_move_cursor"))) {
            ps.setLong(1, end);
            ps.executeUpdate();
        }
    }

    private void publish(List<Announcement> records) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (Announcement record : records) {
            acks.add(producer.send(toRecord(record.toEvent())));
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("broker did not acknowledge announcements", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted publishing announcements", e);
        }
    }

    private ProducerRecord<byte[], byte[]> toRecord(MatchEvent event) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(options.matchesTopic(), bytes(event.userId()),
                codec.encode(event));
        record.headers().add("eventId", bytes(event.eventId().toString()));
        record.headers().add("type", bytes(event.type()));
        if (event.traceId() != null) {
            record.headers().add("traceId", bytes(event.traceId()));
        }
        return record;
    }

    private void relayed(Announcement record) {
        metrics.published(Duration.between(record.at(), Instant.now()));
        MatchEvent event = record.toEvent();
        try (LogContext ignored = LogContext.with().put("eventId", event.eventId()).put("userId", record.userId())
                .put("matchId", record.matchId()).put("spinId", record.spinId()).put("traceId", record.traceId())) {
            log.info("relayed {} to {}", record.type(), options.matchesTopic());
        }
    }

    private void awaitNudge() {
        try {
            nudges.tryAcquire(options.relayInterval().toMillis(), TimeUnit.MILLISECONDS);
            nudges.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static long longValue(Connection connection, String sql) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
