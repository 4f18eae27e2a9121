package dev.spinmatch.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The files the API serves as they are: the OpenAPI document and the live dashboard's page (no build step). */
final class StaticDocuments {
    private final byte[] openapi = resource("/openapi.yaml");
    private final byte[] dashboard = resource("/dashboard/index.html");

    /** GET /openapi.yaml */
    CompletableFuture<Reply> openapi(Call call) {
        return CompletableFuture.completedFuture(new Reply(200, "application/yaml", openapi, Map.of()));
    }

    /** GET /dashboard/ */
    CompletableFuture<Reply> dashboard(Call call) {
        return CompletableFuture.completedFuture(new Reply(200, "text/html; charset=utf-8", dashboard, Map.of()));
    }

    /** GET /dashboard: the page's relative URLs need the trailing slash. */
    CompletableFuture<Reply> dashboardRedirect(Call call) {
        return CompletableFuture.completedFuture(Reply.text(302, "text/plain", "see /dashboard/\n")
                .withHeader("Location", "/dashboard/"));
    }

    private static byte[] resource(String name) {
        try (InputStream in = StaticDocuments.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
