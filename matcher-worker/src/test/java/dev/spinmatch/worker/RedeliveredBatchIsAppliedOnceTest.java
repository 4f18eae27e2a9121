package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

/** Replaying every request (offsets reset to the start) must change nothing: no second spin, match or announcement. */
class RedeliveredBatchIsAppliedOnceTest {

    @Test
    void replayingTheWholeTopicAppliesNothingTwice() throws Exception {
        try (Pipeline p = new Pipeline(3)) {
            for (int i = 0; i < 100; i++) {
                p.send(p.join(p.user(i)));
            }
            Worker first = p.startWorker("w1");
            p.awaitQuiescence(100);
            awaitAllCommitted(p);
            first.close();
            String before = state(p);

            rewindGroup(p);
            p.startWorker("w2");
            awaitAllCommitted(p);

            p.awaitQuiescence(100);

            assertThat(state(p)).isEqualTo(before);
            assertThat(p.count("SELECT count(*) FROM spin.matches")).isEqualTo(50);
            assertThat(p.matchRecords(100)).as("one match_created per participant, none announced again").hasSize(100);
            p.assertHealthy();
        }
    }

    private static String state(Pipeline p) {
        return p.count("SELECT count(*) FROM spin.spins") + " spins, "
                + p.count("SELECT count(*) FROM spin.matches") + " matches, "
                + p.count("SELECT count(*) FROM spin.event_results") + " event results";
    }

    static void awaitAllCommitted(Pipeline p) {
        Map<org.apache.kafka.common.TopicPartition, Long> end = p.endOffsets();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> committed = p.committedOffsets();
            return end.entrySet().stream().allMatch(e -> e.getValue() == 0
                    || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() == e.getValue()));
        });
    }

    private static void rewindGroup(Pipeline p) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, p.bootstrap))) {
            admin.alterConsumerGroupOffsets(p.group, p.endOffsets().keySet().stream()
                    .collect(Collectors.toMap(tp -> tp, tp -> new OffsetAndMetadata(0)))).all().get();
        }
    }
}
