package dev.spinmatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.api.ApiOptions;
import dev.spinmatch.api.ApiServer;
import dev.spinmatch.common.Settings;
import dev.spinmatch.embedded.TestDatabases;
import dev.spinmatch.testkit.SpinFixture;
import dev.spinmatch.worker.Worker;
import dev.spinmatch.worker.WorkerOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The whole system for one test, every part real: the producer-api started as production starts it
 * (bound to a free loopback port), the JVM's broker (this test's own request and DLQ topics and
 * consumer group), matcher workers each with its own consumer, producer and connection pool, and a
 * migrated database of its own ({@link SpinFixture}, whose probes and whose audit the tests use).
 */
final class SpinSystem extends SpinFixture {
    static final String TOKEN = "dev-token";
    ApiServer api;
    private final Map<String, Worker> workers = new HashMap<>();
    private KafkaProducer<byte[], byte[]> rawProducer;

    SpinSystem(int partitions, int workerCount) throws Exception {
        super("e2e", partitions, Duration.ofSeconds(90));
        startProcesses(workerCount);
    }

    /** On the given broker and migrated database: for the tests that restart them. */
    SpinSystem(int partitions, int workerCount, String bootstrap, TestDatabases.TestDatabase db) throws Exception {
        super(bootstrap, db, "e2e", partitions, Duration.ofSeconds(90));
        startProcesses(workerCount);
    }

    private void startProcesses(int workerCount) throws Exception {
        api = ApiServer.start(ApiOptions.from(settings(Map.of(
                        "SPINMATCH_HTTP_HOST", "127.0.0.1",
                        "SPINMATCH_HTTP_PORT", "0",
                        "SPINMATCH_TOPIC_REQUESTS", requests,
                        "SPINMATCH_WORKER_GROUP_ID", group,
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

    /** The workers running now. */
    java.util.Collection<Worker> workers() {
        return java.util.List.copyOf(workers.values());
    }

    /** Any record, headers included, straight onto the request topic; does not wait for the acknowledgement. */
    java.util.concurrent.Future<RecordMetadata> sendRaw(ProducerRecord<byte[], byte[]> record) {
        return rawProducer.send(record);
    }

    /** Each worker's /readyz status, by worker id (0: no answer). */
    Map<String, Integer> readiness() {
        Map<String, Integer> statuses = new HashMap<>();
        workers.forEach((id, worker) -> statuses.put(id, status(URI.create("http://127.0.0.1:" + worker.httpPort() + "/readyz"))));
        return statuses;
    }

    private static int status(URI uri) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Stops a worker cleanly (as on SIGTERM); the group hands its partitions to the others. */
    void stopWorker(String workerId) {
        workers.remove(workerId).close();
    }

    /** Bytes straight onto the request topic, past the API's validation: how a buggy producer writes. */
    RecordMetadata sendRaw(String key, String value) throws ExecutionException, InterruptedException {
        return rawProducer.send(new ProducerRecord<>(requests, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8))).get();
    }

    // ------------------------------------------------------------------ quiescence

    /** Waits until every request is committed and every announcement relayed (bounded: 2 minutes). */
    void awaitQuiescence() throws InterruptedException {
        assertThat(awaitQuiescence(Duration.ofMinutes(2))).as("the pipeline went quiet within 2 minutes").isTrue();
    }

    // ------------------------------------------------------------------ database probes

    /** The spins still open (waiting), by user. */
    Map<String, UUID> openSpins() {
        Map<String, UUID> open = new HashMap<>();
        query("SELECT user_id, spin_id FROM spin.spins WHERE outcome IS NULL", rs -> open.put(rs.getString(1),
                rs.getObject(2, UUID.class)));
        return open;
    }

    private static Settings settings(Map<String, String> env) {
        return new Settings(env, new Properties());
    }

    @Override
    public void close() {
        workers.values().forEach(Worker::close);
        api.close();
        rawProducer.close();
        super.close();
    }
}
