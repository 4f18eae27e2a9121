package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A worker that dies after its batch committed in PostgreSQL but before the offsets were committed
 * in Kafka: the next owner gets the batch again; nothing is lost and nothing applied twice.
 */
class WorkerCrashBetweenDbCommitAndOffsetCommitLosesNothingTest {

    @Test
    void theRedeliveredBatchIsAppliedOnceAndTheRestProceeds() {
        try (Pipeline p = new Pipeline(2)) {
            for (int i = 0; i < 40; i++) {
                p.send(p.join(p.user(i)));
            }
            AtomicBoolean crashed = new AtomicBoolean();
            Worker doomed = p.startWorker("doomed", Map.of("SPINMATCH_WORKER_BATCH_MAX_RECORDS", "10"), offsets -> {
                crashed.set(true);
                throw new IllegalStateException("simulated crash between DB commit and offset commit");
            });
            // the consumer thread dies of the simulated crash on purpose: not a failure of this test
            await().dontCatchUncaughtExceptions().until(() -> !doomed.consuming());
            assertThat(crashed).isTrue();
            assertThat(p.count("SELECT count(*) FROM spin.spins")).as("the batch reached the database").isPositive();
            assertThat(p.committedOffsets()).as("no offsets committed").isEmpty();
            doomed.close();

            p.startWorker("heir");
            p.awaitQuiescence(40);
            RedeliveredBatchIsAppliedOnceTest.awaitAllCommitted(p);

            assertThat(p.strings("SELECT DISTINCT outcome FROM spin.spins")).containsExactly("matched");
            assertThat(p.count("SELECT count(*) FROM spin.matches")).isEqualTo(20);
            p.assertHealthy();
        }
    }
}
