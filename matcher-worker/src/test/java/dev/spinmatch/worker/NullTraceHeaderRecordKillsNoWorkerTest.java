package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.JoinQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * The record that stopped the fleet: a valid join_queue without traceId in its JSON whose Kafka
 * header {@code traceId} has a null value. The decoder threw on it and every worker's consumer died
 * (the API kept answering 202, nothing was matched again). Sent among valid joins to three workers,
 * it must be dead-lettered naming the header while the others are matched and every worker consumes on.
 */
class NullTraceHeaderRecordKillsNoWorkerTest {
    private static final int USERS = 40;

    @Test
    void recordIsDeadLetteredTheOthersAreMatchedAndEveryWorkerStaysUp() {
        try (Pipeline p = new Pipeline(6)) {
            List<Worker> workers = List.of(p.startWorker("w1"), p.startWorker("w2"), p.startWorker("w3"));
            List<JoinQueue> joins = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                joins.add(p.join(p.user(i)));
            }
            p.sendAll(joins.subList(0, USERS / 2));
            RecordMetadata poison = p.send(nullTraceHeader(p.requests, p.user(USERS)));
            p.sendAll(joins.subList(USERS / 2, USERS));

            p.awaitQuiescence(USERS);
            List<ConsumerRecord<byte[], byte[]>> dead = p.dlqRecords(1);
            assertThat(dead).hasSize(1);
            assertThat(Pipeline.header(dead.get(0), "field")).isEqualTo("header.traceId");
            assertThat(Pipeline.header(dead.get(0), "reason")).contains("null");
            assertThat(Pipeline.header(dead.get(0), "original.offset")).isEqualTo(Long.toString(poison.offset()));
            assertThat(p.count("SELECT count(*) FROM spin.spins WHERE outcome = 'matched'")).isEqualTo(USERS);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(p.committedOffsets())
                    .allSatisfy((partition, offset) -> assertThat(offset.offset()).isEqualTo(p.endOffsets().get(partition))));
            assertThat(workers).allSatisfy(w -> assertThat(w.consuming()).as("worker consuming").isTrue());
            p.assertHealthy();
        }
    }

    private static ProducerRecord<byte[], byte[]> nullTraceHeader(String topic, String user) {
        JoinQueue join = new JoinQueue(UUID.randomUUID(), user, UUID.randomUUID(), "default", Instant.now(), null);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, user.getBytes(StandardCharsets.UTF_8),
                new EventCodec().encode(join));
        record.headers().add("traceId", null);
        return record;
    }
}
