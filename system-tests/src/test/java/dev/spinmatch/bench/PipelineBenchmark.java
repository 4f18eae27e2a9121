package dev.spinmatch.bench;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spinmatch.common.Settings;
import dev.spinmatch.embedded.EmbeddedKafka;
import dev.spinmatch.embedded.EmbeddedPostgres;
import dev.spinmatch.embedded.KafkaTopics;
import dev.spinmatch.publisher.PublisherOptions;
import dev.spinmatch.publisher.SpinPublisher;
import dev.spinmatch.schema.Migrations;
import dev.spinmatch.worker.Worker;
import dev.spinmatch.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.LoggerFactory;

/**
 * End-to-end pipeline benchmark: publisher (acks=all) -> embedded broker -> N matcher workers ->
 * embedded PostgreSQL (fsync on) -> outbox relay -> spin.matches, all in this JVM on this machine.
 * Offers {@code rate} joins/s of distinct users for {@code seconds}, then half that rate, and prints
 * accepted spins/s, matches/s (distinct match ids announced) and send -> match_created latency.
 *
 * <p>Arguments: rate seconds workers partitions (defaults 10000 60 3 12).
 */
public final class PipelineBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int rate = arg(args, 0, 10_000);
        int seconds = arg(args, 1, 60);
        int workers = arg(args, 2, 3);
        int partitions = arg(args, 3, 12);
        quietDecisionLogs();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             EmbeddedPostgres pg = EmbeddedPostgres.start(EmbeddedPostgres.Options.from(Settings.fromEnvironment()))) {
            Migrations.migrate(pg.dataSource("postgres"));
            KafkaTopics.create(kafka.bootstrapServers(), partitions, "spin.requests", "spin.matches", "spin.requests.dlq");
            List<Worker> fleet = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                fleet.add(Worker.start(options(kafka.bootstrapServers(), pg.jdbcUrl("postgres"), "bench-w" + i)));
            }
            System.out.printf("pipeline: %d workers, %d partitions, cores=%d%n", workers, partitions,
                    Runtime.getRuntime().availableProcessors());
            run(kafka.bootstrapServers(), "full", rate, seconds);
            run(kafka.bootstrapServers(), "half", rate / 2, seconds);
            fleet.forEach(Worker::close);
        }
    }

    private static void run(String bootstrap, String label, int rate, int seconds) throws Exception {
        String prefix = label + "-" + UUID.randomUUID().toString().substring(0, 4) + "-";
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        MatchWatcher watcher = new MatchWatcher(bootstrap, prefix, sentAt);
        Thread watcherThread = new Thread(watcher, "match-watcher");
        watcherThread.start();
        long start = System.nanoTime();
        try (SpinPublisher publisher = new SpinPublisher(PublisherOptions.defaults(bootstrap))) {
            long sent = 0;
            long total = (long) rate * seconds;
            while (sent < total) {
                long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
                for (; sent < due; sent++) {
                    String user = prefix + sent;
                    sentAt.put(user, System.nanoTime());
                    publisher.join(user, "default", UUID.randomUUID(), null).whenComplete((ok, error) -> {
                        (error == null ? accepted : failed).incrementAndGet();
                    });
                }
                Thread.sleep(1);
            }
            publisher.flush();
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long expected = ((long) rate * seconds) / 2;
        long drainDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (watcher.matches() < expected && System.nanoTime() < drainDeadline) {
            Thread.sleep(100);
        }
        double allSeconds = (watcher.lastMatchNanos() - start) / 1e9;
        watcher.stop();
        watcherThread.join();
        long[] latencies = watcher.latenciesMicros();
        Arrays.sort(latencies);
        System.out.printf("%s: offered %d spins/s for %ds: accepted %.0f spins/s (%d failed); %d matches in %.1fs = %.0f matches/s;"
                        + " send->match_created latency p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d users)%n",
                label, rate, seconds, accepted.get() / sendSeconds, failed.get(), watcher.matches(), allSeconds,
                watcher.matches() / allSeconds, pct(latencies, 0.50), pct(latencies, 0.99), pct(latencies, 1.0),
                latencies.length);
    }

    private static WorkerOptions options(String bootstrap, String url, String id) {
        Map<String, String> env = new HashMap<>();
        env.put("SPINMATCH_KAFKA_BOOTSTRAP", bootstrap);
        env.put("SPINMATCH_DB_URL", url);
        env.put("SPINMATCH_WORKER_ID", id);
        env.put("SPINMATCH_HTTP_PORT", "0");
        env.putAll(System.getenv());
        return WorkerOptions.from(new Settings(env, new Properties()));
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1000.0;
    }

    private static int arg(String[] args, int i, int otherwise) {
        return args.length > i ? Integer.parseInt(args[i]) : otherwise;
    }

    private static void quietDecisionLogs() {
        for (String name : List.of("dev.spinmatch.worker.decisions", "dev.spinmatch.worker.OutboxRelay")) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN);
        }
    }

    /** Reads spin.matches; for each first match_created of a benchmark user, the latency since its send. */
    private static final class MatchWatcher implements Runnable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final String prefix;
        private final Map<String, Long> sentAt;
        private final Map<String, Boolean> matchIds = new ConcurrentHashMap<>();
        private final List<Long> latencies = new ArrayList<>();
        private volatile boolean running = true;
        private volatile long lastMatchNanos = System.nanoTime();

        MatchWatcher(String bootstrap, String prefix, Map<String, Long> sentAt) {
            this.prefix = prefix;
            this.sentAt = sentAt;
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "bench-" + prefix, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of("spin.matches"));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
        }

        @Override
        public void run() {
            try {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        observe(r);
                    }
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            } finally {
                consumer.close();
            }
        }

        private void observe(ConsumerRecord<byte[], byte[]> r) throws java.io.IOException {
            long now = System.nanoTime();
            JsonNode event = JSON.readTree(r.value());
            String user = event.path("userId").asText();
            if (!user.startsWith(prefix) || !"match_created".equals(event.path("type").asText())) {
                return;
            }
            Long sent = sentAt.remove(user);
            if (sent != null) {
                synchronized (latencies) {
                    latencies.add((now - sent) / 1000);
                }
            }
            matchIds.put(event.path("matchId").asText(), Boolean.TRUE);
            lastMatchNanos = now;
        }

        long matches() {
            return matchIds.size();
        }

        long lastMatchNanos() {
            return lastMatchNanos;
        }

        long[] latenciesMicros() {
            synchronized (latencies) {
                return latencies.stream().mapToLong(Long::longValue).toArray();
            }
        }

        void stop() {
            running = false;
        }
    }
}
