package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.JoinQueue;
import dev.spinmatch.events.LeaveQueue;
import dev.spinmatch.events.SpinRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the real broker: when a 202 arrives, its event is already readable in the topic (the log end
 * offset counts it), keyed by userId, with the traceId of the reply in its body and headers.
 */
class AcceptedSpinIsStoredInKafkaBeforeThe202Test {
    private static RealBackendsApi api;

    @BeforeAll
    static void start() throws Exception {
        api = new RealBackendsApi();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void everyAcceptedRequestIsInTheTopicWhenItsReplyArrives() throws Exception {
        List<JsonNode> accepted = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(api.topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toList());
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> reply = api.client.authorized("POST", "/v1/spins", "{\"userId\":\"user-" + i + "\"}");
                assertThat(reply.statusCode()).isEqualTo(202);
                assertThat(storedRecords(consumer, partitions)).isEqualTo(i + 1);
                accepted.add(Json.MAPPER.readTree(reply.body()));
            }
            String cancelledSpin = accepted.get(0).get("spinId").asText();
            HttpResponse<String> cancel = api.client.authorized("DELETE", "/v1/spins/" + cancelledSpin + "?userId=user-0", null);
            assertThat(cancel.statusCode()).isEqualTo(202);
            assertThat(storedRecords(consumer, partitions)).isEqualTo(11);

            Map<String, ConsumerRecord<String, byte[]>> bySpin = readAll(consumer, partitions, 11);
            for (int i = 0; i < 10; i++) {
                JsonNode reply = accepted.get(i);
                ConsumerRecord<String, byte[]> record = bySpin.get("join_queue/" + reply.get("spinId").asText());
                JoinQueue event = (JoinQueue) new EventCodec().decodeRequest(record.value());
                assertThat(record.key()).isEqualTo("user-" + i).isEqualTo(event.userId());
                assertThat(event.traceId()).isEqualTo(reply.get("traceId").asText()).isEqualTo(header(record, "traceId"));
                assertThat(header(record, "eventId")).isEqualTo(event.eventId().toString());
            }
            assertThat(bySpin.get("leave_queue/" + cancelledSpin).key()).isEqualTo("user-0");
        }
    }

    private static long storedRecords(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions) {
        return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<String, ConsumerRecord<String, byte[]>> readAll(
            KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions, int expected) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<String, ConsumerRecord<String, byte[]>> bySpin = new java.util.HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (bySpin.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                SpinRequest event = new EventCodec().decodeRequest(record.value());
                UUID spinId = event instanceof JoinQueue j ? j.spinId() : ((LeaveQueue) event).spinId();
                bySpin.put(event.type() + "/" + spinId, record);
            }
        }
        assertThat(bySpin).hasSize(expected);
        return bySpin;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, api.bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
    }
}
