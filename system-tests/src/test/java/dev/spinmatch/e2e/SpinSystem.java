package dev.spinmatch.e2e;

import static org.awaitility.Awaitility.await;

import dev.spinmatch.api.ApiOptions;
import dev.spinmatch.api.ApiServer;
import dev.spinmatch.common.Settings;
import dev.spinmatch.embedded.KafkaTopics;
import dev.spinmatch.embedded.TestDatabases;
import dev.spinmatch.embedded.TestKafka;
import dev.spinmatch.schema.Migrations;
import dev.spinmatch.worker.Worker;
import dev.spinmatch.worker.WorkerOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The whole system for one test, every part real: the producer-api started as production starts it
 * (bound to a free loopback port), the JVM's broker (this test's own request and DLQ topics and
 * consumer group), matcher workers each with its own consumer, producer and connection pool, and a
 * migrated database of its own. spin.matches is named by the outbox rows, so it is shared by the
 * JVM: this test's users carry a unique prefix and its probes keep only records keyed by them.
 */
final class SpinSystem implements AutoCloseable {
    static final String MATCHES_TOPIC = "spin.matches";
    static final String TOKEN = "dev-token";
    final String bootstrap = TestKafka.bootstrapServers();
    final TestDatabases.TestDatabase db = TestDatabases.create("spin", Migrations::migrate);
    final DataSource dataSource = db.dataSource();
    final String requests = KafkaTopics.unique("spin.requests");
    final String dlq = requests + ".dlq";
    final String group = requests + "-workers";
    final String prefix = "e2e" + UUID.randomUUID().toString().substring(0, 6) + "-";
    final ApiServer api;
    private final Map<String, Worker> workers = new HashMap<>();
    private final KafkaProducer<byte[], byte[]> rawProducer;

    SpinSystem(int partitions, int workerCount) throws Exception {
        KafkaTopics.create(bootstrap, partitions, requests, dlq);
        KafkaTopics.create(bootstrap, 6, MATCHES_TOPIC);
        api = ApiServer.start(ApiOptions.from(settings(Map.of(
                        "SPINMATCH_HTTP_HOST", "127.0.0.1",
                        "SPINMATCH_HTTP_PORT", "0",
                        "SPINMATCH_TOPIC_REQUESTS", requests,
                        "SPINMATCH_API_RATE_LIMIT_PER_SECOND", "0",
                        // a loaded test machine may be slow to acknowledge: wait rather than answer 503
                        "SPINMATCH_API_KAFKA_DELIVERY_TIMEOUT", "30s",
                        "SPINMATCH_API_KAFKA_MAX_BLOCK", "10s")))
                .withKafkaBootstrap(bootstrap).withDb(db.jdbcUrl(), db.user(), db.password()));
        rawProducer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new ByteArraySerializer(), new ByteArraySerializer());
        for (int i = 1; i <= workerCount; i++) {
            startWorker("w" + i);
        }
    }

    URI apiUri() {
        return URI.create("http://127.0.0.1:" + api.port());
    }

    Worker startWorker(String workerId) {
        Worker worker = Worker.start(WorkerOptions.from(settings(Map.of(
                "SPINMATCH_WORKER_ID", workerId,
                "SPINMATCH_WORKER_GROUP_ID", group,
                "SPINMATCH_TOPIC_REQUESTS", requests,
                "SPINMATCH_TOPIC_DLQ", dlq,
                "SPINMATCH_HTTP_PORT", "0",
                "SPINMATCH_WORKER_SHUTDOWN_GRACE", "20s")))
                .withEndpoints(bootstrap, db.jdbcUrl(), db.user(), db.password()));
        workers.put(workerId, worker);
        return worker;
    }

    /** Stops a worker cleanly (as on SIGTERM); the group hands its partitions to the others. */
    void stopWorker(String workerId) {
        workers.remove(workerId).close();
    }

    String user(int i) {
        return prefix + i;
    }

    /** Bytes straight onto the request topic, past the API's validation: how a buggy producer writes. */
    RecordMetadata sendRaw(String key, String value) throws ExecutionException, InterruptedException {
        return rawProducer.send(new ProducerRecord<>(requests, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8))).get();
    }

    // ------------------------------------------------------------------ quiescence

    /**
     * Waits (bounded, generous for a loaded machine) until the workers consumed and committed every
     * request record and relayed every outbox row, twice in a row one second apart, so the
     * post-commit matching passes and the stranded sweep have had their turn too.
     */
    void awaitQuiescence() throws InterruptedException {
        for (int round = 0; round < 2; round++) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() ->
                    allRequestsCommitted() && count("SELECT count(*) FROM spin.outbox WHERE published_at IS NULL") == 0);
            Thread.sleep(1_000);
        }
    }

    private boolean allRequestsCommitted() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            return consumer.endOffsets(partitions(consumer, requests)).entrySet().stream().allMatch(e -> e.getValue() == 0
                    || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() == e.getValue()));
        }
    }

    // ------------------------------------------------------------------ database probes

    List<String> violations() {
        return strings("SELECT kind || ' ' || coalesce(user_id, '') || ' ' || coalesce(detail, '') "
                + "FROM spin.invariant_violations(interval '1 second')");
    }

    /** The spins still open (waiting), by user. */
    Map<String, UUID> openSpins() {
        Map<String, UUID> open = new HashMap<>();
        query("SELECT user_id, spin_id FROM spin.spins WHERE outcome IS NULL", rs -> open.put(rs.getString(1),
                rs.getObject(2, UUID.class)));
        return open;
    }

    long count(String sql) {
        return Long.parseLong(strings(sql).get(0));
    }

    List<String> strings(String sql) {
        List<String> out = new ArrayList<>();
        query(sql, rs -> out.add(rs.getString(1)));
        return out;
    }

    void query(String sql, RowReader reader) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                reader.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    // ------------------------------------------------------------------ Kafka probes

    /**
     * This test's records on spin.matches from the beginning of the topic: reads until at least
     * {@code atLeast} arrived and it caught up with the end (bounded), so extra (duplicate) records show.
     */
    List<ConsumerRecord<byte[], byte[]>> matchRecords(long atLeast) {
        return read(MATCHES_TOPIC, atLeast, true);
    }

    List<ConsumerRecord<byte[], byte[]>> dlqRecords(long atLeast) {
        return read(dlq, atLeast, false);
    }

    private List<ConsumerRecord<byte[], byte[]>> read(String topic, long atLeast, boolean onlyOurKeys) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while ((records.size() < atLeast || !caughtUp(consumer, end)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (!onlyOurKeys || (r.key() != null && key(r).startsWith(prefix))) {
                        records.add(r);
                    }
                }
                if (records.size() < atLeast) {
                    end = consumer.endOffsets(partitions);
                }
            }
        }
        return records;
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
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private static Settings settings(Map<String, String> env) {
        return new Settings(env, new Properties());
    }

    @Override
    public void close() {
        workers.values().forEach(Worker::close);
        api.close();
        rawProducer.close();
        db.close();
    }
}
