package dev.spinmatch.api;

import dev.spinmatch.events.EventFields;
import dev.spinmatch.events.InvalidEventException;
import dev.spinmatch.events.SpinRequest;
import dev.spinmatch.publisher.Published;
import dev.spinmatch.publisher.SpinPublisher;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write endpoints. Each validates, applies the user's rate limit, publishes, and answers 202 only from
 * the acknowledgement of Kafka ({@code acks=all}); a send that fails or times out is a 503 with Retry-After,
 * never a 202. The 202 names the event and where to learn what became of it ({@link EventEndpoints}): the
 * event's resource, with its position in the request topic so the answer can tell applied from not yet read.
 */
final class SpinEndpoints {
    private static final Logger log = LoggerFactory.getLogger(SpinEndpoints.class);
    private final SpinPublisher publisher;
    private final RateLimiter limiter;
    private final ApiMetrics metrics;
    private final Duration retryAfter;
    private final Executor replies;

    /** {@code replies} runs what follows Kafka's answer: the HTTP server's executor. */
    SpinEndpoints(SpinPublisher publisher, RateLimiter limiter, ApiMetrics metrics, Duration retryAfter,
            Executor replies) {
        this.publisher = publisher;
        this.limiter = limiter;
        this.metrics = metrics;
        this.retryAfter = retryAfter;
        this.replies = replies;
    }

    /** POST /v1/spins {userId, pool?, spinId?} */
    CompletableFuture<Reply> spin(Call call) {
        Json.Body body = Json.object(call.body(), false, Set.of("userId", "pool", "spinId"));
        String userId = EventFields.userId(body.text("userId"));
        String pool = EventFields.pool(body.text("pool"));
        String spinText = body.text("spinId");
        UUID spinId = spinText == null ? null : EventFields.uuid("spinId", spinText);
        limit(userId);
        return accepted("join_queue", publisher.join(userId, pool, spinId, call.traceId()), join -> reply(
                "spinId", join.event().spinId(), "queued", join)
                .withHeader("Location", "/v1/spins/" + join.event().spinId()));
    }

    /** DELETE /v1/spins/{spinId}, userId in the query or in the body. */
    CompletableFuture<Reply> cancel(Call call) {
        UUID spinId = EventFields.uuid("spinId", call.path("spinId"));
        String userId = EventFields.userId(userIdOf(call));
        limit(userId);
        return accepted("leave_queue", publisher.leave(userId, spinId, call.traceId()), leave -> reply(
                "spinId", leave.event().spinId(), "cancel_requested", leave));
    }

    /** POST /v1/matches/{matchId}/end {userId} */
    CompletableFuture<Reply> end(Call call) {
        UUID matchId = EventFields.uuid("matchId", call.path("matchId"));
        String userId = EventFields.userId(Json.object(call.body(), false, Set.of("userId")).text("userId"));
        limit(userId);
        return accepted("end_match", publisher.endMatch(userId, matchId, call.traceId()), end -> reply(
                "matchId", end.event().matchId(), "end_requested", end));
    }

    private static String userIdOf(Call call) {
        String inQuery = call.query().get("userId");
        String inBody = Json.object(call.body(), true, Set.of("userId")).text("userId");
        if (inQuery != null && inBody != null && !inQuery.equals(inBody)) {
            throw new InvalidEventException("userId", "differs between the query and the body");
        }
        return inQuery != null ? inQuery : inBody;
    }

    private void limit(String userId) {
        long waitNanos = limiter.acquire(userId);
        if (waitNanos > 0) {
            metrics.rateLimited();
            throw ApiException.rateLimited(Duration.ofNanos(waitNanos));
        }
    }

    private <E extends SpinRequest> CompletableFuture<Reply> accepted(
            String type, CompletableFuture<Published<E>> sent, Function<Published<E>, Reply> reply) {
        // Kafka completes every send on its producer's one I/O thread. Run the rest (metrics, log line, JSON
        // body and the response write Router chains on) there, and all replies queue behind each other on
        // the thread that should be sending records. On the server's executor they run in parallel.
        return sent.handleAsync((published, error) -> error == null ? acknowledged(published, reply) : failed(type, error), replies);
    }

    private <E extends SpinRequest> Reply acknowledged(Published<E> published, Function<Published<E>, Reply> reply) {
        E event = published.event();
        metrics.published(event.type());
        try (Mdc ignored = Mdc.of(event)) {
            log.info("accepted {} (stored at {}-{}@{})", event.type(), published.metadata().topic(),
                    published.metadata().partition(), published.metadata().offset());
        }
        return reply.apply(published);
    }

    private Reply failed(String type, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        metrics.publishFailed(type, cause);
        log.warn("Kafka did not acknowledge a {} event; answering 503: {}", type, cause.toString());
        return ApiException.unavailable(retryAfter, "the event was not stored (Kafka unavailable); retry later")
                .reply();
    }

    private static Reply reply(String idName, UUID id, String status, Published<?> published) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(idName, id.toString());
        body.put("status", status);
        body.put("traceId", published.event().traceId());
        body.put("eventId", published.event().eventId().toString());
        body.put("eventUrl", EventEndpoints.url(published));
        return Reply.json(202, body);
    }
}
