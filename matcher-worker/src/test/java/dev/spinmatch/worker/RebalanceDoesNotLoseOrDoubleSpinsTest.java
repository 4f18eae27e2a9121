package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Three workers (each its own consumer and connection pool) share the requests while spins keep
 * coming; one stops mid-run and its partitions move: no spin may be lost, applied twice or matched twice.
 */
class RebalanceDoesNotLoseOrDoubleSpinsTest {
    private static final int USERS = 300;

    @Test
    void stoppingOneOfThreeWorkersMidRunLosesAndDoublesNothing() throws Exception {
        try (Pipeline p = new Pipeline(6)) {
            p.startWorker("w1");
            Worker leaving = p.startWorker("w2");
            p.startWorker("w3");
            CountDownLatch third = new CountDownLatch(1);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < USERS; i++) {
                    p.send(p.join(p.user(i)));
                    if (i == USERS / 3) {
                        third.countDown();
                    }
                }
            });
            third.await();
            leaving.close();
            sender.get();
            p.awaitQuiescence(USERS);
            RedeliveredBatchIsAppliedOnceTest.awaitAllCommitted(p);

            assertThat(p.strings("SELECT DISTINCT outcome FROM spin.spins")).containsExactly("matched");
            assertThat(p.count("SELECT count(*) FROM spin.matches")).isEqualTo(USERS / 2);
            p.assertHealthy();
        }
    }
}
