package dev.spinmatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every meter of issue 4's audit is on a worker's /metrics, under a stable Prometheus name. */
class MetricsEndpointExposesEveryAuditedMeterTest {

    @Test
    void scrapedMetricsNameEveryAuditedMeter() {
        try (Pipeline p = new Pipeline(1)) {
            Worker worker = p.startWorker("w1");
            p.send(p.join(p.user(1)));
            p.send(p.join(p.user(2)));
            p.sendRaw(p.user(3), "{not json".getBytes(StandardCharsets.UTF_8));
            p.awaitQuiescence(2);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    Scrape.value(worker, "spinmatch_relay_published_total", "") >= 2);
            assertThat(Scrape.metrics(worker)).contains(
                    "spinmatch_events_consumed_total{type=\"join_queue\"",
                    "spinmatch_matches_total{",
                    "spinmatch_spin_to_match_seconds_bucket{",
                    "spinmatch_lock_contention_total{",
                    "spinmatch_lock_contention_retries_total{",
                    "spinmatch_lock_contention_exhausted_total{",
                    "spinmatch_stranded_found_total{",
                    "spinmatch_repairs_total{kind=\"broken_match\"",
                    "spinmatch_repairs_total{kind=\"stranded\"",
                    "spinmatch_repair_runs_total{",
                    "spinmatch_dlq_records_total{field=\"value\"",
                    "spinmatch_relay_backlog{",
                    "spinmatch_relay_lag_seconds_bucket{",
                    "spinmatch_consumer_lag{",
                    "spinmatch_batch_size_records_bucket{",
                    "spinmatch_batch_transaction_seconds_bucket{",
                    "spinmatch_spins_expired_total{",
                    "spinmatch_history_pruned_total{kind=\"matches\"",
                    "workerId=\"w1\"");
        }
    }
}
