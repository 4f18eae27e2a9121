package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A client picks the method token of a 405: each new token must not become a new meter. */
class UnknownMethodsCannotGrowTheMetricsRegistryTest {

    @Test
    void methodsOutsideTheKnownSetShareOneMeter() {
        ApiMetrics metrics = new ApiMetrics();
        for (int i = 0; i < 100; i++) {
            metrics.request("X" + i, "/v1/spins", 405, Duration.ofMillis(1));
        }
        metrics.request("GET", "/v1/spins", 405, Duration.ofMillis(1));

        String scrape = metrics.scrape();
        assertThat(scrape).contains(
                "http_server_requests_seconds_count{method=\"OTHER\",route=\"/v1/spins\",status=\"405\"} 100",
                "http_server_requests_seconds_count{method=\"GET\",route=\"/v1/spins\",status=\"405\"} 1");
        assertThat(scrape).doesNotContain("method=\"X");
        metrics.close();
    }
}
