package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The relay moves its cursor past the records it publishes, so the move must not outlive a refusal: while
 * the broker refuses the records (a topic whose records may be at most 64 bytes) the cursor stays and every
 * record is still to publish; once the broker accepts them, one round publishes each once and nothing is left.
 */
class RelayCursorStaysUntilKafkaAcknowledgesTest {

    @Test
    void recordsTheBrokerRefusedAreStillToPublishAndPublishedOnceLater() throws Exception {
        try (Pipeline p = new Pipeline(1); Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, p.bootstrap))) {
            String topic = p.requests + ".refusing";
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("max.message.bytes", "64")))).all().get();
            TwoRelaysPublishEveryAnnouncementOnceTest.makeMatches(p, 0, 10);
            assertThat(p.relayBacklog()).isEqualTo(10);

            WorkerOptions options = p.options("relay", Map.of("SPINMATCH_TOPIC_MATCHES", topic));
            try (KafkaProducer<byte[], byte[]> producer = producer(options)) {
                AnnouncementRelay relay = new AnnouncementRelay(p.dataSource, producer, new WorkerMetrics(new SimpleMeterRegistry()), options);

                assertThatThrownBy(relay::relayOnce).hasMessageContaining("did not acknowledge");
                assertThat(p.relayBacklog()).as("records the broker refused").isEqualTo(10);

                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(
                        new AlterConfigOp(new ConfigEntry("max.message.bytes", "1048588"), AlterConfigOp.OpType.SET))))
                        .all().get();
                assertThat(relay.relayOnce()).isEqualTo(10);
            }
            assertThat(p.relayBacklog()).isZero();
            assertThat(records(p, topic)).as("each record published once").hasSize(10)
                    .extracting(r -> Pipeline.header(r, "eventId")).doesNotHaveDuplicates();
        }
    }

    /** The worker's producer settings, with a delivery timeout short enough for a test. */
    private static KafkaProducer<byte[], byte[]> producer(WorkerOptions options) {
        Map<String, Object> config = options.kafkaClientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2_000);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Every record of the topic: reads until the end offset known after the relay's round. */
    private static List<ConsumerRecord<byte[], byte[]>> records(Pipeline p, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, p.bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
