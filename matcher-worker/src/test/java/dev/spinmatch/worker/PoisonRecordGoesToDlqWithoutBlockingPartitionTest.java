package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.JoinQueue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * A malformed record must land in the DLQ with its reason and origin, while the valid records
 * around it in the same partition are applied and the partition's offset moves past it.
 */
class PoisonRecordGoesToDlqWithoutBlockingPartitionTest {

    @Test
    void poisonRecordsAreDeadLetteredAndTheirNeighboursMatched() {
        try (Pipeline p = new Pipeline(1)) {
            JoinQueue first = p.join(p.user(1));
            p.send(first);
            RecordMetadata garbage = p.sendRaw(p.user(9), "{not json".getBytes(StandardCharsets.UTF_8));
            RecordMetadata noSpinId = p.sendRaw(p.user(8), ("{\"type\":\"join_queue\",\"v\":1,\"eventId\":\""
                    + UUID.randomUUID() + "\",\"userId\":\"" + p.user(8)
                    + "\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8));
            JoinQueue wrongKey = p.join(p.user(7));
            RecordMetadata misKeyed = p.sendRaw(p.user(6), new EventCodec().encode(wrongKey));
            JoinQueue second = p.join(p.user(2));
            RecordMetadata last = p.send(second);

            p.startWorker("w1");
            p.awaitQuiescence(2);

            assertThat(p.strings("SELECT outcome FROM spin.spins")).containsExactly("matched", "matched");
            List<ConsumerRecord<byte[], byte[]>> dead = p.dlqRecords(3);
            Map<Long, ConsumerRecord<byte[], byte[]>> byOffset = dead.stream().collect(Collectors.toMap(
                    r -> Long.parseLong(Pipeline.header(r, "original.offset")), r -> r));
            assertThat(byOffset).containsOnlyKeys(garbage.offset(), noSpinId.offset(), misKeyed.offset());
            assertThat(Pipeline.header(byOffset.get(garbage.offset()), "field")).isEqualTo("value");
            assertThat(Pipeline.header(byOffset.get(noSpinId.offset()), "field")).isEqualTo("spinId");
            assertThat(Pipeline.header(byOffset.get(misKeyed.offset()), "field")).isEqualTo("key");
            for (ConsumerRecord<byte[], byte[]> r : dead) {
                assertThat(Pipeline.header(r, "reason")).isNotBlank();
                assertThat(Pipeline.header(r, "original.topic")).isEqualTo(p.requests);
                assertThat(Pipeline.header(r, "original.partition")).isEqualTo("0");
            }
            assertThat(new String(byOffset.get(garbage.offset()).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
            await().untilAsserted(() ->
                    assertThat(p.committedOffsets().values()).allSatisfy(o -> assertThat(o.offset()).isEqualTo(last.offset() + 1)));
            assertThat(p.violations()).isEmpty();
        }
    }
}
