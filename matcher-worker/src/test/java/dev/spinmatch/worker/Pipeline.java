package dev.spinmatch.worker;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spinmatch.common.Settings;
import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.JoinQueue;
import dev.spinmatch.events.LeaveQueue;
import dev.spinmatch.events.SpinRequest;
import dev.spinmatch.testkit.PipelineAudit;
import dev.spinmatch.testkit.SpinFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One test's pipeline: its own database, topics, consumer group and users with the probes that read
 * them back ({@link SpinFixture}), matcher workers started in this JVM, and a producer of request events.
 */
final class Pipeline extends SpinFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventCodec codec = new EventCodec();
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<Worker> workers = new ArrayList<>();

    Pipeline(int partitions) {
        super("u", partitions, Duration.ofSeconds(30));
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
        return send(new ProducerRecord<>(requests, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
    }

    /** Any record, headers included, as a careless producer may write it. */
    RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
        try {
            return producer.send(record).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ checks

    /**
     * The pipeline-wide checks every test ends with, by the audit the end-to-end tests use: the
     * invariants hold, and each match
     * was announced on spin.matches after dedupe by eventId once to each participant (its match_created
     * and, once ended, its match_ended).
     */
    void assertHealthy() {
        new PipelineAudit(this).invariantsHold().everyMatchAnnouncedToBothUsersOnce().assertNoProblems();
    }

    /** Every spin has an outcome or is the single waiting spin of its pool, and everything is announced. */
    void awaitQuiescence(long spins) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                count("SELECT count(*) FROM spin.spins") == spins
                        && count("SELECT count(*) FROM spin.spins WHERE outcome IS NULL") <= 1
                        && relayBacklog() == 0);
    }

    /** The sum of a metric's samples on the worker's /metrics endpoint (0 when absent). */
    static double metric(Worker worker, String name) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + worker.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return response.body().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
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
        super.close();
    }
}
