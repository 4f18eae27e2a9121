package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Invariant 6 under the worst timing: in every round, pairs of users of one pool join on two
 * different emulated workers (own connection and transaction each, like two matcher workers), and a
 * barrier holds every worker's transaction open until ALL of them have run their matching phase. So
 * each user's matching runs before the partner's join is committed, and both commit as 'waiting'
 * (the seed's "zero matches") every time. What must pair them: the worker's re-run for users left
 * waiting after its commit (as BatchProcessor does) and the fleet's stranded sweep
 * (spin.match_stranded every 250 ms). After each round, within one second of the last commit,
 * invariant_violations('0 seconds') must be empty. The control test turns both off and shows the
 * same rounds strand every pair, so this test can fail.
 */
class SimultaneousJoinersOnDifferentWorkersAreNeverStrandedTest extends SpinDatabase {
    private static final int WORKERS = 3;
    private static final int POOLS_PER_ROUND = 6;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicBoolean sweeping = new AtomicBoolean();

    @AfterEach
    void stopThreads() throws InterruptedException {
        sweeping.set(false);
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void rerunAfterCommitAndSweepTogetherLeaveNobodyStranded() throws Exception {
        startSweep();
        rounds(200, true);
    }

    @Test
    void sweepAloneLeavesNobodyStrandedForLongerThanOneSecond() throws Exception {
        startSweep();
        rounds(40, false);
    }

    @Test
    void rerunAfterCommitAloneLeavesNobodyStranded() throws Exception {
        rounds(60, true);
    }

    @Test
    void withoutRerunAndSweepEveryPairIsStrandedAndTheCheckerSaysSo() throws Exception {
        for (int round = 0; round < 5; round++) {
            Set<String> users = round(round, false);
            assertThat(strandedUsers()).containsAll(users);
        }
    }

    private void rounds(int rounds, boolean rerun) throws Exception {
        for (int round = 0; round < rounds; round++) {
            round(round, rerun);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            List<Map<String, Object>> violations = sql.violations();
            while (!violations.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                violations = sql.violations();
            }
            assertThat(violations).as("round %d, one second after its last commit", round).isEmpty();
        }
    }

    /** One round: every worker applies its batch of joins at the same instant; returns the users. */
    private Set<String> round(int round, boolean rerun) throws Exception {
        List<List<String>> batches = new ArrayList<>();
        Set<String> users = new TreeSet<>();
        for (int w = 0; w < WORKERS; w++) {
            batches.add(new ArrayList<>());
        }
        for (int p = 0; p < POOLS_PER_ROUND; p++) {
            String pool = "r" + round + "p" + p;
            for (int side = 0; side < 2; side++) {
                String user = pool + "-u" + side;
                users.add(user);
                batches.get((p + side) % WORKERS).add(Events.join(user, pool, UUID.randomUUID()));
            }
        }
        CyclicBarrier allMatched = new CyclicBarrier(WORKERS);
        List<Future<?>> workers = new ArrayList<>();
        for (List<String> batch : batches) {
            workers.add(threads.submit(() -> applyAsAWorker(batch, allMatched, rerun)));
        }
        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }
        return users;
    }

    private Void applyAsAWorker(List<String> batch, CyclicBarrier allMatched, boolean rerun) throws Exception {
        try (Sql worker = newSession()) {
            Connection c = worker.connection;
            c.setAutoCommit(false);
            List<Map<String, Object>> rows = worker.rows("SELECT * FROM spin.apply_batch(?::jsonb)", Events.array(batch));
            allMatched.await(10, TimeUnit.SECONDS);
            c.commit();
            if (rerun) {
                rerunUnmatched(worker, unmatched(rows));
            }
        }
        return null;
    }

    /** The worker's after-commit pass: waiting and contended users again, with jittered backoff, bounded. */
    private static void rerunUnmatched(Sql worker, Set<String> pending) throws SQLException, InterruptedException {
        for (int attempt = 0; attempt < 6 && !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << attempt));
            }
            List<Map<String, Object>> rows = worker.rows("SELECT * FROM spin.process_matching(?)",
                    (Object) worker.array(pending.toArray(String[]::new)));
            worker.connection.commit();
            pending = new TreeSet<>();
            for (Map<String, Object> row : rows) {
                if ("contended".equals(row.get("result"))) {
                    pending.add((String) row.get("user_id"));
                }
            }
        }
    }

    private static Set<String> unmatched(List<Map<String, Object>> rows) {
        Set<String> users = new TreeSet<>();
        for (Map<String, Object> row : rows) {
            if (row.get("event_id") == null && !"matched".equals(row.get("result"))) {
                users.add((String) row.get("user_id"));
            }
        }
        return users;
    }

    /** The fleet's sweep, as the workers run it (StrandedSweep): every 250 ms, grace 100 ms. */
    private void startSweep() {
        sweeping.set(true);
        threads.submit(() -> {
            try (Sql sweeper = newSession()) {
                while (sweeping.get()) {
                    sweeper.rows("SELECT * FROM spin.match_stranded(interval '100 milliseconds', 500)");
                    Thread.sleep(250);
                }
            }
            return null;
        });
    }

    private List<Object> strandedUsers() {
        return sql.rows("SELECT user_id FROM spin.invariant_violations(interval '0') WHERE kind = 'stranded'")
                .stream().map(r -> r.get("user_id")).toList();
    }
}
