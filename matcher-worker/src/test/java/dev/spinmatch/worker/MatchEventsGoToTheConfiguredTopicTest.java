package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.embedded.KafkaTopics;
import dev.spinmatch.testkit.SpinFixture;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code topic.matches} was documented and did nothing: the relay sent every event to the topic the SQL wrote into
 * each outbox row, always spin.matches. A worker configured with another topic announces its matches there.
 */
class MatchEventsGoToTheConfiguredTopicTest {
    @Test
    void matchCreatedReachesTheConfiguredTopic() throws Exception {
        String topic = KafkaTopics.unique("matches-elsewhere");
        try (Pipeline p = new Pipeline(2)) {
            KafkaTopics.create(p.bootstrap, 2, topic);
            p.startWorker("w1", Map.of("SPINMATCH_TOPIC_MATCHES", topic), offsets -> { });
            p.sendAll(List.of(p.join(p.user(1)), p.join(p.user(2))));

            List<ConsumerRecord<byte[], byte[]>> records = p.matchRecords(topic, 2);

            assertThat(records).extracting(SpinFixture::key).containsExactlyInAnyOrder(p.user(1), p.user(2));
            assertThat(records).extracting(r -> SpinFixture.header(r, "type")).containsOnly("match_created");
        }
    }
}
