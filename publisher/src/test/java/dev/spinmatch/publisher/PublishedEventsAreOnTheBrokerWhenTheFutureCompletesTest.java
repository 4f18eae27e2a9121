package dev.spinmatch.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.embedded.KafkaTopics;
import dev.spinmatch.embedded.TestKafka;
import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.JoinQueue;
import dev.spinmatch.events.SpinRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** Against the real broker: a completed future means the record is in the log, keyed, encoded and with headers. */
class PublishedEventsAreOnTheBrokerWhenTheFutureCompletesTest {

    @Test
    void joinLeaveAndEndAreStoredWithKeyValueAndHeaders() throws Exception {
        String bootstrap = TestKafka.bootstrapServers();
        String topic = KafkaTopics.unique("spin.requests");
        KafkaTopics.create(bootstrap, 1, topic);
        UUID spinId = UUID.randomUUID();
        List<Published<? extends SpinRequest>> acknowledged = new ArrayList<>();
        try (SpinPublisher publisher = new SpinPublisher(PublisherOptions.defaults(bootstrap).withTopic(topic))) {
            acknowledged.add(publisher.join("alice", "eu", spinId, "trace-a").get());
            acknowledged.add(publisher.leave("alice", spinId, null).get());
            acknowledged.add(publisher.endMatch("alice", UUID.randomUUID(), null).get());
        }

        List<ConsumerRecord<String, byte[]>> records = readAll(bootstrap, topic, 3);
        for (int i = 0; i < 3; i++) {
            Published<? extends SpinRequest> published = acknowledged.get(i);
            ConsumerRecord<String, byte[]> record = records.get(i);
            assertThat(record.offset()).isEqualTo(published.metadata().offset());
            assertThat(record.key()).isEqualTo("alice");
            assertThat(new EventCodec().decodeRequest(record.value())).isEqualTo(published.event());
            assertThat(header(record, "type")).isEqualTo(published.event().type());
            assertThat(header(record, "eventId")).isEqualTo(published.event().eventId().toString());
            assertThat(header(record, "traceId")).isEqualTo(published.event().traceId());
        }
        assertThat(((JoinQueue) acknowledged.get(0).event()).traceId()).isEqualTo("trace-a");
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic, int expected) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
