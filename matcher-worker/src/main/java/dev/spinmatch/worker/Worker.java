package dev.spinmatch.worker;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One matcher worker: a request consumer (its own group member), an announcement relay, the periodic
 * tasks and the HTTP endpoints, over its own connection pool and producer. Tests run several in one
 * JVM; {@link WorkerMain} runs one per process.
 */
public final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private final WorkerOptions options;
    private final HikariDataSource dataSource;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaProducer<byte[], byte[]> deadLetterProducer;
    private final RequestConsumer consumer;
    private final AnnouncementRelay relay;
    private final PeriodicTasks periodic;
    private final BoundedCheck readiness;
    private final HealthServer http;
    private final Thread consumerThread;
    private final Thread relayThread;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Worker(WorkerOptions options, RequestConsumer.OffsetCommitHook hook) {
        this.options = options;
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("workerId", options.workerId());
        WorkerMetrics metrics = new WorkerMetrics(registry);
        dataSource = dataSource(options, registry);
        producer = new KafkaProducer<>(producerConfig(options), new ByteArraySerializer(), new ByteArraySerializer());
        SpinStore store = new SpinStore(dataSource);
        relay = new AnnouncementRelay(dataSource, producer, metrics, options);
        deadLetterProducer = new KafkaProducer<>(DeadLetters.producerConfig(options.kafkaClientConfig(), options.workerId()),
                new ByteArraySerializer(), new ByteArraySerializer());
        BatchProcessor processor = batchProcessor(options, store, metrics,
                new DeadLetters(deadLetterProducer, options.dlqTopic(), options.workerId(), metrics), relay::nudge);
        consumer = new RequestConsumer(new KafkaConsumer<>(consumerConfig(options), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), options, processor, metrics, hook);
        periodic = new PeriodicTasks(store, metrics, options, relay::nudge,
                new StrandedSweep(store, metrics, options.strandedSweepGrace()),
                new RepairJob(dataSource, new LeaderLease(dataSource, "repair", options.workerId(), options.repairLeaseTtl()),
                        metrics, options.repairSlice()));
        readiness = new BoundedCheck(() -> consumer.ready() && store.reachable(), Duration.ofSeconds(2));
        http = new HealthServer(options.httpPort(), readiness, registry);
        consumerThread = new Thread(consumer, "request-consumer-" + options.workerId());
        relayThread = new Thread(relay, "relay-" + options.workerId());
    }

    private static BatchProcessor batchProcessor(WorkerOptions options, SpinStore store, WorkerMetrics metrics,
            DeadLetters deadLetters, Runnable afterCommit) {
        ContentionRetrier retrier = new ContentionRetrier(store, metrics, options.contentionRetryAttempts(),
                new Backoff(options.contentionRetryBackoff(), options.contentionRetryBackoff().multipliedBy(32)));
        return BatchProcessor.create(store, metrics, deadLetters, retrier,
                new BatchSplitter.Retries(options.batchRetryAttempts(), options.dbRetryBackoffMax()), afterCommit);
    }

    public static Worker start(WorkerOptions options) {
        return start(options, offsets -> { });
    }

    static Worker start(WorkerOptions options, RequestConsumer.OffsetCommitHook hook) {
        Worker worker = new Worker(options, hook);
        worker.consumerThread.start();
        worker.relayThread.start();
        worker.periodic.start();
        log.info("worker {} started; http on port {}", options.workerId(), worker.http.port());
        return worker;
    }

    public int httpPort() {
        return http.port();
    }

    /** False once the request consumer has died (the process should then exit and be restarted). */
    public boolean consuming() {
        return consumer.alive();
    }

    /** Blocks until the request consumer stops, for whatever reason. */
    public void awaitConsumerStop() throws InterruptedException {
        consumerThread.join();
    }

    /**
     * Stops cleanly within the shutdown grace: no new polls, the batch in hand finished and its
     * offsets committed, the relay's round finished, then everything closed.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        long deadline = System.nanoTime() + options.shutdownGrace().toNanos();
        consumer.stop();
        join(consumerThread, deadline);
        relay.stop();
        join(relayThread, deadline);
        try {
            periodic.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
        readiness.close();
        producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        deadLetterProducer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        dataSource.close();
        log.info("worker {} stopped", options.workerId());
    }

    private static void join(Thread thread, long deadlineNanos) {
        try {
            thread.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
            if (thread.isAlive()) {
                log.warn("{} did not stop within the shutdown grace", thread.getName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HikariDataSource dataSource(WorkerOptions options, PrometheusMeterRegistry registry) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(options.dbUrl().orElseThrow(() -> new IllegalArgumentException("db.url is not set")));
        config.setUsername(options.dbUser());
        config.setPassword(options.dbPassword());
        config.setMaximumPoolSize(options.dbPoolSize());
        config.setAutoCommit(false);
        config.setPoolName("worker-" + options.workerId());
        config.setConnectionTimeout(10_000);
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        return new HikariDataSource(config);
    }

    private static Map<String, Object> producerConfig(WorkerOptions options) {
        Map<String, Object> config = options.kafkaClientConfig();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, options.workerId() + "-producer");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        return config;
    }

    private static Map<String, Object> consumerConfig(WorkerOptions options) {
        Map<String, Object> config = options.kafkaClientConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, options.groupId());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, options.workerId());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, options.batchMaxRecords());
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) options.sessionTimeout().toMillis());
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) options.heartbeatInterval().toMillis());
        options.groupInstanceId().ifPresent(id -> config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        return config;
    }
}
