package dev.spinmatch.api;

import java.util.concurrent.CompletableFuture;

/** The JSON the live dashboard polls. The snapshot may ask the database and Kafka: its route is offloaded. */
final class DashboardEndpoints {
    private final DashboardSource source;

    DashboardEndpoints(DashboardSource source) {
        this.source = source;
    }

    /** GET /v1/dashboard/stats */
    CompletableFuture<Reply> stats(Call call) {
        return CompletableFuture.completedFuture(Reply.json(200, source.snapshot()));
    }
}
