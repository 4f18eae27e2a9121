package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spinmatch.events.JoinQueue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Invariant 6 end to end: real broker, real database, two workers in one consumer group. Each round
 * sends pairs of users of one pool at the same instant (their keys fall in different partitions, so
 * usually on different workers); one second after the round's last event reached the database,
 * invariant_violations('0 seconds') must be empty. The run is a healthy storm, so the repair job
 * (running on one of the workers) must never have repaired anything.
 */
class SimultaneousJoinersOnTwoWorkersAreNeverStrandedTest {
    private static final int ROUNDS = 40;
    private static final int PAIRS = 10;

    @Test
    void everyRoundIsFullyPairedWithinOneSecondAndNothingNeedsRepair() throws Exception {
        try (Pipeline p = new Pipeline(6)) {
            Worker w1 = p.startWorker("w1");
            Worker w2 = p.startWorker("w2");
            long spins = 0;
            for (int round = 0; round < ROUNDS; round++) {
                List<JoinQueue> joins = new ArrayList<>();
                for (int pair = 0; pair < PAIRS; pair++) {
                    String pool = "r" + round + "p" + pair;
                    for (int side = 0; side < 2; side++) {
                        String user = p.prefix + pool + "-" + side;
                        joins.add(new JoinQueue(UUID.randomUUID(), user, UUID.randomUUID(), pool, Instant.now(), "t-" + user));
                    }
                }
                p.sendAll(joins);
                spins += joins.size();
                awaitApplied(p, spins);
                assertPairedWithinOneSecond(p, round);
            }
            assertThat(p.count("SELECT count(*) FROM spin.repair_log")).isZero();
            assertThat(Scrape.value(w1, "spinmatch_repair_runs_total", "") + Scrape.value(w2, "spinmatch_repair_runs_total", ""))
                    .as("the repair job ran").isPositive();
            assertThat(Scrape.value(w1, "spinmatch_repairs_total", "") + Scrape.value(w2, "spinmatch_repairs_total", "")).isZero();
        }
    }

    private static void awaitApplied(Pipeline p, long spins) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (p.count("SELECT count(*) FROM spin.spins") < spins) {
            assertThat(System.nanoTime()).as("events applied").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** Polls from the moment the last event was seen applied (at most 10 ms after it was). */
    private static void assertPairedWithinOneSecond(Pipeline p, int round) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        List<String> violations = p.strings(VIOLATIONS);
        while (!violations.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            violations = p.strings(VIOLATIONS);
        }
        assertThat(violations).as("round %d, one second after its last event", round).isEmpty();
    }

    private static final String VIOLATIONS = "SELECT kind || ' ' || coalesce(user_id, '') || ' ' || coalesce(detail, '') "
            + "FROM spin.invariant_violations(interval '0 seconds')";
}
