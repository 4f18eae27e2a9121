package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Two relays share one cursor while matches keep being written: every announcement is published, none
 * twice (one relay at a time holds the cursor), and each match reaches spin.matches once per participant,
 * keyed by that user.
 */
class TwoRelaysPublishEveryAnnouncementOnceTest {

    @Test
    void twoRelaysPublishEveryRecordOnce() throws Exception {
        try (Pipeline p = new Pipeline(1)) {
            makeMatches(p, 0, 200);
            SimpleMeterRegistry registryA = new SimpleMeterRegistry();
            SimpleMeterRegistry registryB = new SimpleMeterRegistry();
            try (Relay a = new Relay(p, "relay-a", registryA); Relay b = new Relay(p, "relay-b", registryB)) {
                for (int from = 200; from < 600; from += 40) {
                    makeMatches(p, from, from + 40);
                    Thread.sleep(20);
                }
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> p.count("SELECT count(*) FROM spin.matches") == 300 && p.relayBacklog() == 0);
            }
            assertThat(registryA.counter("spinmatch.relay.published").count()).as("relay a took part").isPositive();
            assertThat(registryB.counter("spinmatch.relay.published").count()).as("relay b took part").isPositive();

            List<ConsumerRecord<byte[], byte[]>> records = p.matchRecords(600);
            Map<String, Long> perEventId = records.stream().collect(Collectors.groupingBy(
                    r -> Pipeline.json(r).path("eventId").asText(), Collectors.counting()));
            assertThat(perEventId).hasSize(600);
            assertThat(perEventId.values()).as("no record published twice").containsOnly(1L);
            assertThat(records).allSatisfy(r -> {
                assertThat(Pipeline.header(r, "eventId")).isEqualTo(Pipeline.json(r).path("eventId").asText());
                assertThat(Pipeline.header(r, "type")).isEqualTo("match_created");
            });
            p.assertHealthy();
        }
    }

    /** Users from..to-1 join and are matched in pairs, straight through SQL (no worker). */
    static void makeMatches(Pipeline p, int from, int to) {
        p.execute("SELECT spin.join_queue('" + p.prefix + "' || i, 'default', gen_random_uuid(), NULL, 'trace-' || i) "
                + "FROM generate_series(" + from + ", " + (to - 1) + ") i");
        p.execute("SELECT count(*) FROM spin.process_matching("
                + "ARRAY(SELECT user_id FROM spin.spins WHERE outcome IS NULL ORDER BY seq))");
    }

    /** One relay with its own producer, as on one worker. */
    private static final class Relay implements AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;
        private final AnnouncementRelay relay;
        private final Thread thread;

        Relay(Pipeline p, String id, SimpleMeterRegistry registry) {
            WorkerOptions options = p.options(id, Map.of("SPINMATCH_WORKER_RELAY_BATCH_SIZE", "25",
                    "SPINMATCH_WORKER_RELAY_INTERVAL", "10ms"));
            producer = new KafkaProducer<>(options.kafkaClientConfig(), new ByteArraySerializer(), new ByteArraySerializer());
            relay = new AnnouncementRelay(p.dataSource, producer, new WorkerMetrics(registry), options);
            thread = new Thread(relay, id);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            relay.stop();
            thread.join();
            producer.close();
        }
    }
}
