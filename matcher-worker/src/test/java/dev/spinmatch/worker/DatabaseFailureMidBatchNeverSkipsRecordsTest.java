package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * While every batch fails in the database, the worker must neither commit offsets nor skip the
 * records (nor dead-letter them: the database is unavailable, the records are fine), and must report
 * the partitions stalled; once the database works again, every record is applied and the stall clears.
 */
class DatabaseFailureMidBatchNeverSkipsRecordsTest {

    @Test
    void failingBatchesAreRetriedUntilTheDatabaseRecovers() throws Exception {
        try (Pipeline p = new Pipeline(2)) {
            p.execute("ALTER FUNCTION spin.apply_batch(jsonb) RENAME TO apply_batch_unavailable");
            Worker worker = p.startWorker("w1");
            for (int i = 0; i < 30; i++) {
                p.send(p.join(p.user(i)));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> Pipeline.metric(worker, "spinmatch_batch_failures_total") >= 2);
            assertThat(p.committedOffsets()).as("nothing committed while failing").isEmpty();
            assertThat(worker.consuming()).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> Scrape.max(worker, "spinmatch_partition_stalled_seconds") > 2);

            p.execute("ALTER FUNCTION spin.apply_batch_unavailable(jsonb) RENAME TO apply_batch");
            p.awaitQuiescence(30);
            RedeliveredBatchIsAppliedOnceTest.awaitAllCommitted(p);

            assertThat(p.count("SELECT count(*) FROM spin.matches")).isEqualTo(15);
            assertThat(p.dlqRecords(0)).as("nothing dead-lettered").isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> Scrape.max(worker, "spinmatch_partition_stalled_seconds") == 0);
            p.assertHealthy();
        }
    }
}
