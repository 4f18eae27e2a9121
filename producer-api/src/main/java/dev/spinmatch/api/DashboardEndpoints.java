package dev.spinmatch.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The live dashboard: a static page (no build step) and the JSON it polls. */
final class DashboardEndpoints {
    private final DashboardSource source;
    private final byte[] page = resource("/dashboard/index.html");

    DashboardEndpoints(DashboardSource source) {
        this.source = source;
    }

    /** GET /dashboard/ */
    CompletableFuture<Reply> page(Call call) {
        return CompletableFuture.completedFuture(new Reply(200, "text/html; charset=utf-8", page, Map.of()));
    }

    /** GET /dashboard: the page's relative URLs need the trailing slash. */
    CompletableFuture<Reply> redirect(Call call) {
        return CompletableFuture.completedFuture(Reply.text(302, "text/plain", "see /dashboard/\n")
                .withHeader("Location", "/dashboard/"));
    }

    /**
     * GET /v1/dashboard/stats, answered on the server's request thread like the other database reads: not on the
     * common fork-join pool, whose one thread on a 2-core machine a slow snapshot would hold for everybody.
     */
    CompletableFuture<Reply> stats(Call call) {
        return CompletableFuture.completedFuture(Reply.json(200, source.snapshot()));
    }

    private static byte[] resource(String name) {
        try (InputStream in = DashboardEndpoints.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
