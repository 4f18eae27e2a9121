package dev.spinmatch.api;

import java.util.Map;

/** What the live dashboard shows, as one JSON object (GET /v1/dashboard/stats). */
@FunctionalInterface
interface DashboardSource {
    DashboardSource NONE = () -> Map.of("available", false);

    Map<String, Object> snapshot();
}
