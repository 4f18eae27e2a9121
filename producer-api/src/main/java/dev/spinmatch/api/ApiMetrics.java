package dev.spinmatch.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/** The API's meters, scraped at /metrics in the Prometheus text format. */
final class ApiMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter rateLimited = Counter.builder("spinmatch.api.rate.limited")
            .description("requests refused with 429 by the per-user rate limit").register(registry);

    /** One request: count by route and status, and its latency (histogram buckets for quantiles). */
    void request(String method, String route, int status, Duration elapsed) {
        Timer.builder("http.server.requests")
                .description("HTTP requests by route and status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .publishPercentileHistogram()
                .register(registry)
                .record(elapsed);
    }

    void published(String type) {
        Counter.builder("spinmatch.api.events.published").description("events acknowledged by Kafka")
                .tag("type", type).register(registry).increment();
    }

    void publishFailed(String type, Throwable cause) {
        Counter.builder("spinmatch.api.publish.failures").description("events Kafka did not acknowledge (503)")
                .tags("type", type, "cause", cause.getClass().getSimpleName()).register(registry).increment();
    }

    void rateLimited() {
        rateLimited.increment();
    }

    String scrape() {
        return registry.scrape();
    }

    void close() {
        registry.close();
    }
}
