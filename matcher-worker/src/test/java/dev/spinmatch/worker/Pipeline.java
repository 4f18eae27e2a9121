package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spinmatch.common.Settings;
import dev.spinmatch.embedded.KafkaTopics;
import dev.spinmatch.embedded.TestDatabases;
import dev.spinmatch.embedded.TestKafka;
import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.JoinQueue;
import dev.spinmatch.events.LeaveQueue;
import dev.spinmatch.events.SpinRequest;
import dev.spinmatch.schema.Migrations;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One test's pipeline: its own database, its own request and DLQ topics and consumer group on the
 * JVM's broker, a producer of request events, and probes of the database and of spin.matches. User
 * ids carry a per-test prefix, since spin.matches (named by the outbox rows) is shared by the JVM.
 */
final class Pipeline implements AutoCloseable {
    static final String MATCHES_TOPIC = "spin.matches";
    private static final ObjectMapper JSON = new ObjectMapper();
    final String bootstrap = TestKafka.bootstrapServers();
    final TestDatabases.TestDatabase db = TestDatabases.create("spin", Migrations::migrate);
    final DataSource dataSource = db.dataSource();
    final String requests = KafkaTopics.unique("spin.requests");
    final String dlq = requests + ".dlq";
    final String group = requests + "-workers";
    final String prefix = "u" + UUID.randomUUID().toString().substring(0, 6) + "-";
    private final EventCodec codec = new EventCodec();
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<Worker> workers = new ArrayList<>();

    Pipeline(int partitions) {
        KafkaTopics.create(bootstrap, partitions, requests, dlq);
        KafkaTopics.create(bootstrap, 6, MATCHES_TOPIC);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 2), new ByteArraySerializer(), new ByteArraySerializer());
    }

    WorkerOptions options(String workerId, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("SPINMATCH_KAFKA_BOOTSTRAP", bootstrap);
        env.put("SPINMATCH_DB_URL", db.jdbcUrl());
        env.put("SPINMATCH_DB_USER", db.user());
        env.put("SPINMATCH_DB_PASSWORD", db.password());
        env.put("SPINMATCH_TOPIC_REQUESTS", requests);
        env.put("SPINMATCH_TOPIC_DLQ", dlq);
        env.put("SPINMATCH_WORKER_GROUP_ID", group);
        env.put("SPINMATCH_WORKER_ID", workerId);
        env.put("SPINMATCH_HTTP_PORT", "0");
        env.put("SPINMATCH_WORKER_SHUTDOWN_GRACE", "10s");
        env.putAll(overrides);
        return WorkerOptions.from(new Settings(env, new Properties()));
    }

    Worker startWorker(String workerId) {
        return startWorker(workerId, Map.of(), offsets -> { });
    }

    Worker startWorker(String workerId, Map<String, String> overrides, RequestConsumer.OffsetCommitHook hook) {
        Worker worker = Worker.start(options(workerId, overrides), hook);
        workers.add(worker);
        return worker;
    }

    String user(int i) {
        return prefix + i;
    }

    JoinQueue join(String userId) {
        return new JoinQueue(UUID.randomUUID(), userId, UUID.randomUUID(), "default", Instant.now(),
                "trace-" + userId);
    }

    LeaveQueue leave(JoinQueue join) {
        return new LeaveQueue(UUID.randomUUID(), join.userId(), join.spinId(), Instant.now(), join.traceId());
    }

    RecordMetadata send(SpinRequest event) {
        return sendRaw(event.userId(), codec.encode(event));
    }

    /** Sends every event at once (no waiting between them), then waits for all acknowledgements. */
    void sendAll(List<? extends SpinRequest> events) {
        List<java.util.concurrent.Future<RecordMetadata>> acks = new ArrayList<>();
        for (SpinRequest event : events) {
            acks.add(producer.send(new ProducerRecord<>(requests, event.userId().getBytes(StandardCharsets.UTF_8),
                    codec.encode(event))));
        }
        producer.flush();
        try {
            for (java.util.concurrent.Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    RecordMetadata sendRaw(String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(requests, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ database probes

    List<String> violations() {
        return strings("SELECT kind || ' ' || coalesce(user_id, '') || ' ' || coalesce(detail, '') "
                + "FROM spin.invariant_violations(interval '1 second')");
    }

    void execute(String sql) {
        try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The pipeline-wide checks every test ends with: the invariants hold, every spin was applied
     * once (one "queued" decision per spin), and each match was announced exactly twice on
     * spin.matches after dedupe by eventId, once to each participant.
     */
    void assertHealthy() {
        assertThat(violations()).as("invariant violations").isEmpty();
        assertThat(count("SELECT count(*) FROM spin.decisions WHERE kind = 'queued'"))
                .as("spins applied once each").isEqualTo(count("SELECT count(*) FROM spin.spins"));
        long matches = count("SELECT count(*) FROM spin.matches");
        Map<String, List<String>> usersByMatch = new HashMap<>();
        Map<String, JsonNode> created = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : matchRecords((int) matches * 2)) {
            JsonNode event = json(r);
            if (event.path("type").asText().equals("match_created")
                    && created.putIfAbsent(event.path("eventId").asText(), event) == null) {
                assertThat(key(r)).isEqualTo(event.path("userId").asText());
                usersByMatch.computeIfAbsent(event.path("matchId").asText(), k -> new ArrayList<>()).add(key(r));
            }
        }
        assertThat(usersByMatch).as("matches announced").hasSize((int) matches);
        assertThat(usersByMatch.values()).allSatisfy(users -> assertThat(users).hasSize(2).doesNotHaveDuplicates());
    }

    long count(String sql) {
        return Long.parseLong(strings(sql).get(0));
    }

    List<String> strings(String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every spin has an outcome or is the single waiting spin of its pool, and the outbox is relayed. */
    void awaitQuiescence(long spins) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                count("SELECT count(*) FROM spin.spins") == spins
                        && count("SELECT count(*) FROM spin.users WHERE state = 'waiting'") <= 1
                        && count("SELECT count(*) FROM spin.outbox WHERE published_at IS NULL") == 0);
    }

    // ------------------------------------------------------------------ Kafka probes

    /** This test's records on spin.matches (keyed by its users), from the beginning of the topic. */
    List<ConsumerRecord<byte[], byte[]>> matchRecords(int atLeast) {
        List<ConsumerRecord<byte[], byte[]>> events = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, MATCHES_TOPIC);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((events.size() < atLeast || !caughtUp(consumer, end)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && new String(r.key(), StandardCharsets.UTF_8).startsWith(prefix)) {
                        events.add(r);
                    }
                }
                if (events.size() < atLeast) {
                    end = consumer.endOffsets(partitions);
                }
            }
        }
        return events;
    }

    List<ConsumerRecord<byte[], byte[]>> dlqRecords(int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, dlq);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    Map<TopicPartition, OffsetAndMetadata> committedOffsets() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<TopicPartition, Long> endOffsets() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            return consumer.endOffsets(partitions(consumer, requests));
        }
    }

    /** The sum of a metric's samples on the worker's /metrics endpoint (0 when absent). */
    static double metric(Worker worker, String name) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + worker.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return response.body().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic)) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        return partitions;
    }

    static JsonNode json(ConsumerRecord<byte[], byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        workers.forEach(Worker::close);
        producer.close();
        db.close();
    }
}
