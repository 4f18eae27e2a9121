package dev.spinmatch.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Liveness and readiness, as Kubernetes probes them. Readiness asks every dependency (each probe bounded by
 * its own timeout), so it blocks: its route runs on {@link BlockingCalls}.
 */
final class Health {
    private final Map<String, Probe> probes;

    Health(Map<String, Probe> probes) {
        this.probes = Map.copyOf(probes);
    }

    /** GET /healthz: the process serves HTTP. */
    CompletableFuture<Reply> live(Call call) {
        return CompletableFuture.completedFuture(Reply.json(200, Map.of("status", "up")));
    }

    /** GET /readyz: 200 when every dependency answers, else 503 naming the ones that do not. */
    CompletableFuture<Reply> ready(Call call) {
        Map<String, String> checks = new LinkedHashMap<>();
        probes.forEach((name, probe) -> checks.put(name, outcome(probe)));
        boolean ready = checks.values().stream().allMatch("up"::equals);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "not_ready");
        body.put("checks", checks);
        return CompletableFuture.completedFuture(Reply.json(ready ? 200 : 503, body));
    }

    private static String outcome(Probe probe) {
        try {
            probe.check();
            return "up";
        } catch (Exception e) {
            return "down: " + e;
        }
    }
}
