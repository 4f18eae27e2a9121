package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spinmatch.events.JoinQueue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A record the broker accepted compressed must be dead-lettered whatever its size: a ~1.1 MB join
 * sent lz4-compressed was re-sent to the DLQ uncompressed, refused as too large, and its batch was
 * retried forever (every user of that partition lost). The DLQ producer compresses, so that record
 * goes to the DLQ whole; one too large even compressed goes by reference (origin, size, hash,
 * reason, a prefix). Either way the valid join behind it in the same partition is matched.
 */
class OversizedRecordNeverStallsItsPartitionTest {

    @Test
    void compressedJoinOfOnePointOneMegabytesIsDeadLetteredWhole() throws Exception {
        try (Pipeline p = new Pipeline(1)) {
            String pool = "x".repeat(1_100_000);
            byte[] value = ("{\"type\":\"join_queue\",\"v\":1,\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\""
                    + p.user(1) + "\",\"spinId\":\"" + UUID.randomUUID() + "\",\"pool\":\"" + pool
                    + "\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
            RecordMetadata big = sendLz4(p, p.user(1), value);
            assertThat(value.length).isGreaterThan(1_048_576);
            RecordMetadata last = joinTwoBehindIt(p);

            p.startWorker("w1");
            p.awaitQuiescence(2);

            List<ConsumerRecord<byte[], byte[]>> dead = p.dlqRecords(1);
            assertThat(dead).hasSize(1);
            assertThat(Pipeline.header(dead.get(0), "dlq.stored")).isEqualTo("record");
            assertThat(Pipeline.header(dead.get(0), "field")).isEqualTo("pool");
            assertThat(Pipeline.header(dead.get(0), "original.offset")).isEqualTo(Long.toString(big.offset()));
            assertThat(dead.get(0).value()).isEqualTo(value);
            assertCommittedPast(p, last);
            p.assertHealthy();
        }
    }

    @Test
    void recordTooLargeEvenCompressedIsDeadLetteredByReference() throws Exception {
        try (Pipeline p = new Pipeline(1)) {
            allowLargeRecords(p, p.requests, 4 * 1024 * 1024);
            byte[] value = new byte[1_500_000];
            new Random(42).nextBytes(value);
            RecordMetadata big = sendLz4(p, p.user(1), value);
            RecordMetadata last = joinTwoBehindIt(p);

            p.startWorker("w1");
            p.awaitQuiescence(2);

            List<ConsumerRecord<byte[], byte[]>> dead = p.dlqRecords(1);
            assertThat(dead).hasSize(1);
            ConsumerRecord<byte[], byte[]> letter = dead.get(0);
            assertThat(Pipeline.header(letter, "dlq.stored")).isEqualTo("reference");
            assertThat(Pipeline.header(letter, "field")).isEqualTo("value");
            assertThat(Pipeline.header(letter, "reason")).isNotBlank();
            assertThat(Pipeline.header(letter, "original.topic")).isEqualTo(p.requests);
            assertThat(Pipeline.header(letter, "original.partition")).isEqualTo("0");
            assertThat(Pipeline.header(letter, "original.offset")).isEqualTo(Long.toString(big.offset()));
            assertThat(Long.parseLong(Pipeline.header(letter, "original.size"))).isGreaterThanOrEqualTo(value.length);
            assertThat(Pipeline.header(letter, "original.sha256"))
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value)));
            assertThat(letter.value()).isEqualTo(Arrays.copyOf(value, DeadLetters.PREFIX_BYTES));
            assertCommittedPast(p, last);
            p.assertHealthy();
        }
    }

    /** Two valid joins in the same (only) partition, after the big record. */
    private static RecordMetadata joinTwoBehindIt(Pipeline p) {
        JoinQueue first = p.join(p.user(2));
        p.send(first);
        return p.send(p.join(p.user(3)));
    }

    private static void assertCommittedPast(Pipeline p, RecordMetadata last) {
        assertThat(p.strings("SELECT outcome FROM spin.spins")).containsExactly("matched", "matched");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(p.committedOffsets().values())
                .allSatisfy(o -> assertThat(o.offset()).isEqualTo(last.offset() + 1)));
    }

    private static RecordMetadata sendLz4(Pipeline p, String key, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, p.bootstrap, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024), new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(p.requests, key.getBytes(StandardCharsets.UTF_8), value)).get();
        }
    }

    private static void allowLargeRecords(Pipeline p, String topic, int bytes) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, p.bootstrap))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(
                    new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(bytes)),
                            AlterConfigOp.OpType.SET)))).all().get();
        }
    }
}
