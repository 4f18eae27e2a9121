package dev.spinmatch.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The operational endpoints: liveness, readiness (Kafka and DB reachable), Prometheus metrics, the OpenAPI document. */
final class Health {
    private final Map<String, Probe> probes;
    private final ApiMetrics metrics;
    private final byte[] openapi = resource("/openapi.yaml");

    Health(Map<String, Probe> probes, ApiMetrics metrics) {
        this.probes = Map.copyOf(probes);
        this.metrics = metrics;
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

    /** GET /metrics */
    CompletableFuture<Reply> metrics(Call call) {
        return CompletableFuture.completedFuture(
                Reply.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    }

    /** GET /openapi.yaml */
    CompletableFuture<Reply> openapi(Call call) {
        return CompletableFuture.completedFuture(new Reply(200, "application/yaml", openapi, Map.of()));
    }

    private static String outcome(Probe probe) {
        try {
            probe.check();
            return "up";
        } catch (Exception e) {
            return "down: " + e;
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = Health.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
