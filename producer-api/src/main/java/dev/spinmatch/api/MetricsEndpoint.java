package dev.spinmatch.api;

import java.util.concurrent.CompletableFuture;

/** GET /metrics: the API's meters in the Prometheus text format. */
final class MetricsEndpoint {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private final ApiMetrics metrics;

    MetricsEndpoint(ApiMetrics metrics) {
        this.metrics = metrics;
    }

    CompletableFuture<Reply> scrape(Call call) {
        return CompletableFuture.completedFuture(Reply.text(200, PROMETHEUS_TEXT, metrics.scrape()));
    }
}
