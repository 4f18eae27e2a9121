package dev.spinmatch.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's snapshot, assembled from PostgreSQL ({@link DashboardQueries}) and Kafka ({@link WorkerGroup})
 * and cached: however many clients poll, the database and the broker are asked at most once a second, and the
 * heavier checks (repairs, the invariant check) once every ten seconds. A source that fails shows as an "error"
 * field.
 */
final class DashboardStats implements DashboardSource {
    private static final long FAST_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long SLOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    private final DashboardQueries queries;
    private final WorkerGroup workers;
    private Map<String, Object> fast = Map.of();
    private Map<String, Object> slow = Map.of();
    private long fastAt = Long.MIN_VALUE / 2;
    private long slowAt = Long.MIN_VALUE / 2;

    DashboardStats(DashboardQueries queries, WorkerGroup workers) {
        this.queries = queries;
        this.workers = workers;
    }

    @Override
    public synchronized Map<String, Object> snapshot() {
        long now = System.nanoTime();
        if (now - fastAt >= FAST_NANOS) {
            fast = fast();
            fastAt = now;
        }
        if (now - slowAt >= SLOW_NANOS) {
            slow = slow();
            slowAt = now;
        }
        Map<String, Object> all = new LinkedHashMap<>(fast);
        all.putAll(slow);
        return all;
    }

    private Map<String, Object> fast() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", Instant.now().toString());
        m.put("pools", guarded(queries::pools));
        m.put("rates", guarded(queries::rates));
        m.put("latencyMs", guarded(queries::latency));
        m.put("workers", guarded(workers::describe));
        return m;
    }

    private Map<String, Object> slow() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("repairs", guarded(queries::repairs));
        m.put("invariants", guarded(queries::invariants));
        return m;
    }

    private interface Source {
        Object get() throws Exception;
    }

    private static Object guarded(Source source) {
        try {
            return source.get();
        } catch (Exception e) {
            return Map.of("error", String.valueOf(e.getMessage()));
        }
    }
}
