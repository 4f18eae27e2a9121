package dev.spinmatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spinmatch.testkit.PipelineAudit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A worker leaves the fleet while users keep spinning through the API: its partitions move to the
 * two others mid-run. A spin lost in the hand-over (offsets committed before the DB) or applied twice
 * (the batch redone by the new owner and counted again) must show.
 */
class WorkerStoppedMidRunLosesNothingAndDoublesNothingTest {
    private static final int USERS = 1_000;
    private static final int ACTIONS_AFTER_FIRST_SPIN = 2;

    @Test
    void stoppingOneOfThreeWorkersMidRunLosesAndDoublesNoSpinAndNoEvent() throws Exception {
        try (SpinSystem system = new SpinSystem(12, 3);
             SimulatedUsers users = new SimulatedUsers(system, USERS, ACTIONS_AFTER_FIRST_SPIN, 0)) {
            CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(() -> runQuietly(users));
            await().atMost(Duration.ofMinutes(3)).until(() -> users.spinsSent() >= USERS + USERS / 2);
            system.stopWorker("w2");
            assertThat(run.get(5, TimeUnit.MINUTES)).as("every user finished its script").isTrue();
            users.cancelTheWaitingOnceQuiet();

            new PipelineAudit(system).allChecks(users.accepted()).assertNoProblems();
            assertThat(users.accepted()).as("spins accepted").hasSize(users.spinsSent());
        }
    }

    private static boolean runQuietly(SimulatedUsers users) {
        try {
            return users.run(Duration.ofMinutes(4));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
