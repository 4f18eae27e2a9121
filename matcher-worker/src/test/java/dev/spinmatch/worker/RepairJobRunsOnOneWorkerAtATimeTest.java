package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The repair job is scheduled on every worker but runs on one at a time (the spin.leases lease):
 * while the holder lives the other never runs it; when the holder stops, the other takes over. A
 * repair it makes is counted by kind, logged and announced on spin.matches.
 */
class RepairJobRunsOnOneWorkerAtATimeTest {
    private static final Map<String, String> FAST_REPAIR =
            Map.of("SPINMATCH_WORKER_REPAIR_INTERVAL", "100ms", "SPINMATCH_WORKER_REPAIR_LEASE_TTL", "3s");

    @Test
    void onlyTheLeaseHolderRunsTheRepairAndTheOtherTakesOverWhenItStops() throws Exception {
        try (Pipeline p = new Pipeline(2)) {
            Worker w1 = p.startWorker("w1", FAST_REPAIR, offsets -> { });
            Worker w2 = p.startWorker("w2", FAST_REPAIR, offsets -> { });
            await().atMost(Duration.ofSeconds(10)).until(() -> runs(w1) + runs(w2) >= 5);
            Worker holder = runs(w1) > 0 ? w1 : w2;
            Worker other = holder == w1 ? w2 : w1;
            double before = runs(holder);
            Thread.sleep(1000);
            assertThat(runs(other)).as("the worker without the lease never ran the repair").isZero();
            assertThat(runs(holder)).isGreaterThan(before);

            holder.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> runs(other) > 0);
            assertThat(p.strings("SELECT holder FROM spin.leases WHERE name = 'repair'")).containsExactly(other == w1 ? "w1" : "w2");
        }
    }

    @Test
    void aRepairIsCountedByKindAndAnnounced() {
        try (Pipeline p = new Pipeline(1)) {
            Worker w1 = p.startWorker("w1", FAST_REPAIR, offsets -> { });
            String user = p.user(1);
            String partner = p.user(2);
            p.send(p.join(user));
            p.send(p.join(partner));
            p.awaitQuiescence(2);
            // corruption no function writes: the partner's spin released while their match is active
            p.execute("UPDATE spin.spins SET live = NULL WHERE user_id = '" + partner + "'");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    Scrape.value(w1, "spinmatch_repairs_total", "kind=\"broken_match\"") == 1);
            List<JsonNode> ended = p.matchRecords(4).stream().map(Pipeline::json)
                    .filter(e -> e.path("type").asText().equals("match_ended")).toList();
            assertThat(ended).extracting(e -> e.path("userId").asText()).containsExactlyInAnyOrder(user, partner);
            assertThat(ended).allSatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("repair"));
            assertThat(p.count("SELECT count(*) FROM spin.repair_log WHERE kind = 'broken_match'")).isEqualTo(1);
            assertThat(p.violations()).isEmpty();
        }
    }

    private static double runs(Worker worker) {
        return Scrape.value(worker, "spinmatch_repair_runs_total", "");
    }
}
