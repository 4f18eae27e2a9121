package dev.spinmatch.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Relays the transactional outbox to Kafka, at least once. Each round takes the oldest rows out of
 * the table (a {@code DELETE} of rows claimed with {@code FOR UPDATE SKIP LOCKED}), publishes them (key
 * and headers traceId, eventId, type), waits for every acknowledgement and only then commits. The row
 * locks are held until that commit, so relays on other workers skip these rows instead of publishing
 * them again; a failure or crash before the commit rolls the delete back and the rows are published
 * again (consumers dedupe on eventId).
 */
final class OutboxRelay implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DataSource dataSource;
    private final Producer<byte[], byte[]> producer;
    private final WorkerMetrics metrics;
    private final WorkerOptions options;
    private final Semaphore nudges = new Semaphore(0);
    private final Backoff backoff;
    private volatile boolean running = true;

    OutboxRelay(DataSource dataSource, Producer<byte[], byte[]> producer, WorkerMetrics metrics, WorkerOptions options) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.metrics = metrics;
        this.options = options;
        this.backoff = new Backoff(Duration.ofMillis(50), options.dbRetryBackoffMax());
    }

    /** New rows were committed: relay now instead of at the next interval. */
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
                log.warn("outbox relay round failed (attempt {}); rows stay unpublished and are retried", failures + 1, e);
                backoff.sleep(failures++);
            }
        }
        log.info("outbox relay stopped");
    }

    /** One claim-publish-commit round; returns the number of rows relayed. */
    int relayOnce() throws SQLException {
        try (Connection connection = Transactions.begin(dataSource)) {
            try {
                List<OutboxRow> rows = claim(connection);
                if (!rows.isEmpty()) {
                    publish(rows);
                }
                connection.commit();
                rows.forEach(this::relayed);
                return rows.size();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private List<OutboxRow> claim(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(NamedQueries.get("claim_outbox"))) {
            ps.setInt(1, options.relayBatchSize());
            List<OutboxRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String payload = rs.getString("payload");
                    rows.add(new OutboxRow(rs.getLong("id"), rs.getObject("event_id", UUID.class),
                            rs.getString("message_key"), payload, read(payload), headers(rs.getString("headers")),
                            rs.getTimestamp("created_at").toInstant()));
                }
            }
            return rows;
        }
    }

    private void publish(List<OutboxRow> rows) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        for (OutboxRow row : rows) {
            acks.add(producer.send(toRecord(row)));
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("broker did not acknowledge outbox records", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted publishing outbox records", e);
        }
    }

    /** To {@code topic.matches}, whatever topic the row names: the configured topic is the one consumers read. */
    private ProducerRecord<byte[], byte[]> toRecord(OutboxRow row) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(options.matchesTopic(), bytes(row.key()),
                bytes(row.payload()));
        Map<String, String> headers = new LinkedHashMap<>(row.headers());
        headers.put("eventId", row.eventId().toString());
        headers.computeIfAbsent("type", row::field);
        headers.computeIfAbsent("traceId", row::field);
        headers.forEach((name, value) -> {
            if (value != null) {
                record.headers().add(name, bytes(value));
            }
        });
        return record;
    }

    private void relayed(OutboxRow row) {
        metrics.published(Duration.between(row.createdAt(), Instant.now()));
        try (LogContext ignored = LogContext.with().put("eventId", row.eventId()).put("userId", row.key())
                .put("matchId", row.field("matchId")).put("spinId", row.field("spinId"))
                .put("traceId", row.field("traceId"))) {
            log.info("relayed {} to {}", row.field("type"), options.matchesTopic());
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

    private static Map<String, String> headers(String json) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (json != null) {
            read(json).fields().forEachRemaining(f -> {
                if (f.getValue().isValueNode()) {
                    headers.put(f.getKey(), f.getValue().asText());
                }
            });
        }
        return headers;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
