package dev.spinmatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Any API client can name any match id. A batch holds its own users' active matches locked (event phase, L3);
 * if an end naming somebody else's match also locked that match before checking who asks, two batches that each
 * end the other's match waited for each other: a deadlock, and both batches of real events retried. Ownership
 * is checked by a plain read first: crossed foreign ends are no-ops that take no lock.
 */
class CrossedForeignEndsNeverDeadlockTest extends SpinDatabase {
    private static final int ROUNDS = 100;

    @Test
    void twoBatchesEndingEachOthersMatchBothCommitAsNoOps() throws Exception {
        List<String> failures = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (Sql first = newSession(); Sql second = newSession()) {
            for (int round = 0; round < ROUNDS; round++) {
                String a = "a" + round;
                String c = "c" + round;
                Object one = pair(a, "b" + round);
                Object two = pair(c, "d" + round);
                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<String> x = CompletableFuture.supplyAsync(() -> endInBatch(first, start, a, two), callers);
                CompletableFuture<String> y = CompletableFuture.supplyAsync(() -> endInBatch(second, start, c, one), callers);
                for (String outcome : List.of(x.get(), y.get())) {
                    if (!outcome.equals("noop")) {
                        failures.add("round " + round + ": " + outcome);
                    }
                }
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(failures).as("every crossed end a no-op, no deadlock (40P01)").isEmpty();
        assertThat(sql.count("SELECT count(*) FROM spin.matches WHERE ended_at IS NULL")).isEqualTo(2 * ROUNDS);
        assertThat(sql.count("SELECT count(*) FROM spin.event_results WHERE reason = 'not a participant'")).isEqualTo(2 * ROUNDS);
        assertThat(sql.violations()).isEmpty();
    }

    private Object pair(String a, String b) {
        sql.join(a, "lobby", spin());
        sql.join(b, "lobby", spin());
        return sql.match(a).get(0).get("match_id");
    }

    /** One batch of a participant of one match ending the other match; its result, or the error's SQLSTATE. */
    private static String endInBatch(Sql session, CyclicBarrier start, String user, Object foreignMatch) {
        try {
            start.await();
            List<Map<String, Object>> rows = session.rows("SELECT * FROM spin.apply_batch(?::jsonb)",
                    Events.array(List.of(Events.end(user, foreignMatch))));
            return (String) rows.get(0).get("result");
        } catch (Sql.SqlFailure e) {
            return "error " + e.sqlState + " " + e.getMessage();
        } catch (Exception e) {
            return "error " + e;
        }
    }
}
