package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.events.JoinQueue;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A worker stopped (SIGTERM) while records keep arriving must leave the committed offsets exactly
 * at what it applied: every applied batch committed, nothing committed that was not applied.
 */
class GracefulShutdownCommitsFinishedBatchTest {
    private static final int USERS = 240;

    @Test
    void afterStopTheCommittedOffsetsCoverExactlyTheAppliedSpins() throws Exception {
        try (Pipeline p = new Pipeline(2)) {
            Worker worker = p.startWorker("w1", Map.of("SPINMATCH_WORKER_BATCH_MAX_RECORDS", "20"), offsets -> { });
            Map<String, RecordMetadata> sent = new ConcurrentHashMap<>();
            CountDownLatch started = new CountDownLatch(USERS / 3);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < USERS; i++) {
                    JoinQueue join = p.join(p.user(i));
                    sent.put(join.spinId().toString(), p.send(join));
                    started.countDown();
                }
            });
            started.await();
            worker.close();
            sender.get();

            Map<TopicPartition, OffsetAndMetadata> committed = p.committedOffsets();
            Set<String> belowCommitted = new HashSet<>();
            sent.forEach((spinId, at) -> {
                OffsetAndMetadata c = committed.get(new TopicPartition(at.topic(), at.partition()));
                if (c != null && at.offset() < c.offset()) {
                    belowCommitted.add(spinId);
                }
            });
            List<String> applied = p.strings("SELECT spin_id::text FROM spin.spins");
            assertThat(applied).as("some work was done before the stop").isNotEmpty();
            assertThat(new HashSet<>(applied)).isEqualTo(belowCommitted);

            p.startWorker("w2");
            p.awaitQuiescence(USERS);
            p.assertHealthy();
        }
    }
}
