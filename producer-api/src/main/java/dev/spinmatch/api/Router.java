package dev.spinmatch.api;

import dev.spinmatch.events.InvalidEventException;
import dev.spinmatch.publisher.TraceIds;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API routes. Per request, in this order: route (405 for a known path with another method), traceId,
 * bearer token (401/403), query parameters (400), body size (413), then the endpoint. Every reply, error or not,
 * is JSON with an {@code X-Trace-Id} header and is counted in the metrics. A path no route knows is left to the
 * next handler (static pages, SSE streams, finally {@link NotFound}).
 *
 * <p>Nothing here blocks on Kafka: an endpoint returns a future and the reply is written when it completes, on
 * the thread that completes it. An endpoint that waits on another system's thread completes it on the server's
 * executor instead ({@link SpinEndpoints}), so no reply is written on the Kafka producer's I/O thread.
 */
final class Router extends Handler.Abstract.NonBlocking {
    static final String TRACE_HEADER = "X-Trace-Id";
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    private final List<Route> routes;
    private final Tokens tokens;
    private final int maxBodyBytes;
    private final ApiMetrics metrics;

    Router(List<Route> routes, Tokens tokens, int maxBodyBytes, ApiMetrics metrics) {
        this.routes = List.copyOf(routes);
        this.tokens = tokens;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Optional<String> badPath = PercentEncoding.problem(request.getHttpURI().getPath());
        if (badPath.isPresent()) {
            Reply reply = toReply(new InvalidEventException("path", "has a malformed percent-encoding: " + badPath.get()), null);
            write(reply, TraceIds.generate(), response, callback);
            metrics.request(request.getMethod(), "unmatched", reply.status(), Duration.ZERO);
            return true;
        }
        String path = Request.getPathInContext(request);
        List<Route> onPath = routes.stream().filter(r -> r.match(path) != null).collect(Collectors.toList());
        if (onPath.isEmpty()) {
            return false;
        }
        long started = System.nanoTime();
        String traceId = TraceContext.resolve(request.getHeaders().get("traceparent"),
                request.getHeaders().get("X-Request-Id"));
        Route route = onPath.stream().filter(r -> r.method().equals(request.getMethod())).findFirst().orElse(null);
        CompletableFuture<Reply> reply = route == null
                ? CompletableFuture.completedFuture(notAllowed(onPath))
                : dispatch(route, path, request, traceId);
        String routeName = route == null ? onPath.get(0).template() : route.template();
        reply.whenComplete((r, error) -> {
            Reply done = error == null ? r : toReply(error, traceId);
            write(done, traceId, response, callback);
            metrics.request(request.getMethod(), routeName, done.status(), Duration.ofNanos(System.nanoTime() - started));
        });
        return true;
    }

    private CompletableFuture<Reply> dispatch(Route route, String path, Request request, String traceId) {
        try (Mdc ignored = Mdc.traceId(traceId)) {
            if (route.action() != null) {
                tokens.authorize(request.getHeaders().get(HttpHeader.AUTHORIZATION), route.action());
            }
            Map<String, String> query = query(request, route);
            requireJsonBody(request);
            if (request.getLength() > maxBodyBytes) {
                throw ApiException.tooLarge(maxBodyBytes);
            }
            return Content.Source.asByteArrayAsync(request, maxBodyBytes)
                    .exceptionally(readError -> unreadableBody(request.getLength()))
                    .thenCompose(body -> invoke(route.endpoint(), new Call(route.match(path), query, body, traceId)));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(toReply(e, traceId));
        }
    }

    /** A chunked body (no Content-Length) fails its read past the limit: 413. A declared one failed otherwise: 400. */
    private byte[] unreadableBody(long declaredLength) {
        if (declaredLength < 0) {
            throw ApiException.tooLarge(maxBodyBytes);
        }
        throw new InvalidEventException("body", "could not be read");
    }

    private static CompletableFuture<Reply> invoke(Endpoint endpoint, Call call) {
        try (Mdc ignored = Mdc.traceId(call.traceId())) {
            return endpoint.handle(call);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A request with a body (declared or chunked) must say it is JSON in UTF-8: anything else is a 415. */
    private static void requireJsonBody(Request request) {
        if (request.getLength() == 0 || (request.getLength() < 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING))) {
            return;
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (!MediaTypes.isJson(type)) {
            throw ApiException.unsupportedMediaType(type);
        }
    }

    private static Map<String, String> query(Request request, Route route) {
        Fields fields = parsedQuery(request);
        Map<String, String> query = new HashMap<>();
        for (Fields.Field field : fields) {
            if (!route.query().contains(field.getName())) {
                throw new InvalidEventException(field.getName(), "is not a known query parameter");
            }
            if (field.getValues().size() > 1) {
                throw new InvalidEventException(field.getName(), "is given more than once");
            }
            query.put(field.getName(), field.getValue());
        }
        return query;
    }

    private static Fields parsedQuery(Request request) {
        PercentEncoding.problem(request.getHttpURI().getQuery()).ifPresent(problem -> {
            throw new InvalidEventException("query", "has a malformed percent-encoding: " + problem);
        });
        return Request.extractQueryParameters(request);
    }

    private static Reply notAllowed(List<Route> onPath) {
        String allow = onPath.stream().map(Route::method).collect(Collectors.joining(", "));
        return Reply.error(405, "method_not_allowed", null, "allowed: " + allow).withHeader("Allow", allow);
    }

    static Reply toReply(Throwable error, String traceId) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ApiException api) {
            return api.reply();
        }
        if (cause instanceof InvalidEventException invalid) {
            return Reply.error(400, "invalid_request", invalid.field(), invalid.getMessage());
        }
        try (Mdc ignored = Mdc.traceId(traceId)) {
            log.error("request failed", cause);
        }
        return Reply.error(500, "internal", null, "internal error (traceId " + traceId + ")");
    }

    static void write(Reply reply, String traceId, Response response, Callback callback) {
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        response.getHeaders().put(TRACE_HEADER, traceId);
        reply.headers().forEach(response.getHeaders()::put);
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }
}
