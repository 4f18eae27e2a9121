package dev.spinmatch.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API's meters, scraped at /metrics in the Prometheus text format. Each meter is built and registered once,
 * on first use of its tags, and then looked up by them: not rebuilt on every request.
 */
final class ApiMetrics {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter rateLimited = Counter.builder("spinmatch.api.rate.limited")
            .description("requests refused with 429 by the per-user rate limit").register(registry);
    private final Map<List<String>, Timer> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> published = new ConcurrentHashMap<>();
    private final Map<List<String>, Counter> publishFailures = new ConcurrentHashMap<>();

    /**
     * One request: count by route and status, and its latency (histogram buckets for quantiles). A method outside
     * {@link #METHODS} is tagged {@code OTHER}: clients choose the method token, and one meter per token would let
     * them grow the registry without bound.
     */
    void request(String method, String route, int status, Duration elapsed) {
        String tag = METHODS.contains(method) ? method : "OTHER";
        requests.computeIfAbsent(List.of(tag, route, Integer.toString(status)), tags -> Timer
                .builder("http.server.requests")
                .description("HTTP requests by route and status")
                .tags("method", tags.get(0), "route", tags.get(1), "status", tags.get(2))
                .publishPercentileHistogram()
                .register(registry)).record(elapsed);
    }

    void published(String type) {
        published.computeIfAbsent(type, t -> Counter.builder("spinmatch.api.events.published")
                .description("events acknowledged by Kafka").tag("type", t).register(registry)).increment();
    }

    void publishFailed(String type, Throwable cause) {
        publishFailures.computeIfAbsent(List.of(type, cause.getClass().getSimpleName()), tags -> Counter
                .builder("spinmatch.api.publish.failures").description("events Kafka did not acknowledge (503)")
                .tags("type", tags.get(0), "cause", tags.get(1)).register(registry)).increment();
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
