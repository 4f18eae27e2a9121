package dev.spinmatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The meters are looked up by their tags once built: a request never lands on another method, route or status's meter. */
class RequestsAreCountedPerMethodRouteAndStatusTest {

    @Test
    void eachMethodRouteAndStatusHasItsOwnCount() {
        ApiMetrics metrics = new ApiMetrics();
        metrics.request("POST", "/v1/spins", 202, Duration.ofMillis(1));
        metrics.request("POST", "/v1/spins", 202, Duration.ofMillis(1));
        metrics.request("POST", "/v1/spins", 429, Duration.ofMillis(1));
        metrics.request("DELETE", "/v1/spins/{spinId}", 202, Duration.ofMillis(1));
        metrics.published("join_queue");
        metrics.published("join_queue");
        metrics.published("leave_queue");
        metrics.publishFailed("join_queue", new TimeoutException());
        metrics.publishFailed("join_queue", new IllegalStateException());

        assertThat(metrics.scrape()).contains(
                "http_server_requests_seconds_count{method=\"POST\",route=\"/v1/spins\",status=\"202\"} 2",
                "http_server_requests_seconds_count{method=\"POST\",route=\"/v1/spins\",status=\"429\"} 1",
                "http_server_requests_seconds_count{method=\"DELETE\",route=\"/v1/spins/{spinId}\",status=\"202\"} 1",
                "spinmatch_api_events_published_total{type=\"join_queue\"} 2.0",
                "spinmatch_api_events_published_total{type=\"leave_queue\"} 1.0",
                "spinmatch_api_publish_failures_total{cause=\"TimeoutException\",type=\"join_queue\"} 1.0",
                "spinmatch_api_publish_failures_total{cause=\"IllegalStateException\",type=\"join_queue\"} 1.0");
        metrics.close();
    }
}
