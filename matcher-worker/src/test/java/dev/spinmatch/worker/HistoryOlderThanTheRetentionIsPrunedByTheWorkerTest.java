package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tables must not grow with history forever: a worker prunes finished spins, ended matches,
 * once they are older than spin.settings.history_retention, and
 * leaves the live match of the same run alone.
 */
class HistoryOlderThanTheRetentionIsPrunedByTheWorkerTest {

    @Test
    void anEndedMatchOlderThanTheRetentionIsPrunedAndTheLiveOneStays() {
        try (Pipeline p = new Pipeline(1)) {
            Worker worker = p.startWorker("w1", Map.of("SPINMATCH_WORKER_PRUNE_INTERVAL", "100ms"), offsets -> { });
            p.send(p.join(p.user(1)));
            p.send(p.join(p.user(2)));
            p.awaitQuiescence(2);
            p.execute("SELECT spin.end_match(match_id) FROM spin.matches");
            // one transaction: the worker prunes every 100 ms and must never see the history half moved
            p.execute("DO $$ BEGIN"
                    + " UPDATE spin.spins SET created_at = created_at - interval '8 days', closed_at = closed_at - interval '8 days';"
                    + " UPDATE spin.matches SET created_at = created_at - interval '8 days', ended_at = ended_at - interval '8 days';"
                    + " END $$");
            p.send(p.join(p.user(3)));
            p.send(p.join(p.user(4)));

            await().atMost(Duration.ofSeconds(30)).until(() -> p.count("SELECT count(*) FROM spin.matches WHERE ended_at IS NULL") == 1
                    && p.count("SELECT count(*) FROM spin.matches WHERE ended_at IS NOT NULL") == 0);
            assertThat(p.count("SELECT count(*) FROM spin.spins")).isEqualTo(2);
            // counted once the round has committed, a moment after the rows are gone
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    Scrape.value(worker, "spinmatch_history_pruned_total", "kind=\"matches\"") == 1.0);
            assertThat(p.violations()).isEmpty();
        }
    }
}
