package dev.spinmatch.api;

import dev.spinmatch.events.EventFields;
import dev.spinmatch.events.InvalidEventException;
import dev.spinmatch.publisher.Published;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * GET /v1/events/{eventId}: what became of an event a write endpoint accepted. The database records every
 * event that changed nothing, with the reason ({@code spin.event_results}: a no-op, or a rejection); an applied
 * event leaves no such record, so "no record" alone cannot tell applied from not read yet. The event's position
 * in the request topic (the {@code partition} and {@code offset} of the 202's {@code eventUrl}) can: below the
 * workers' committed offset it was processed, and its record, if any, is already visible. Without a position,
 * "no record" is reported as {@code pending}. Blocking (database and Kafka Admin reads).
 */
final class EventEndpoints {
    private final StateStore store;
    private final WorkerProgress progress;
    private final String requestsTopic;

    EventEndpoints(StateStore store, WorkerProgress progress, String requestsTopic) {
        this.store = store;
        this.progress = progress;
        this.requestsTopic = requestsTopic;
    }

    /** Where the outcome of a published event is read: its resource, with its position. */
    static String url(Published<?> published) {
        return "/v1/events/" + published.event().eventId() + "?partition=" + published.metadata().partition()
                + "&offset=" + published.metadata().offset();
    }

    CompletableFuture<Reply> event(Call call) throws Exception {
        UUID eventId = EventFields.uuid("eventId", call.path("eventId"));
        Optional<Position> position = Position.of(call.query());
        // Offsets first: a worker commits them after its transaction, so a record read afterwards is never missed.
        boolean processed = position.isPresent()
                && progress.processed(requestsTopic, position.get().partition(), position.get().offset());
        Map<String, Object> body = store.eventResult(eventId).orElseGet(() -> {
            Map<String, Object> unrecorded = new LinkedHashMap<>();
            unrecorded.put("eventId", eventId.toString());
            unrecorded.put("status", processed ? "applied" : "pending");
            return unrecorded;
        });
        return CompletableFuture.completedFuture(Reply.json(200, body));
    }

    /** Where an event is stored in the request topic. */
    private record Position(int partition, long offset) {
        /** partition and offset, given together or not at all. */
        static Optional<Position> of(Map<String, String> query) {
            String partition = query.get("partition");
            String offset = query.get("offset");
            if (partition == null && offset == null) {
                return Optional.empty();
            }
            if (partition == null || offset == null) {
                throw new InvalidEventException(partition == null ? "partition" : "offset",
                        "is required with " + (partition == null ? "offset" : "partition"));
            }
            return Optional.of(new Position((int) number("partition", partition, Integer.MAX_VALUE),
                    number("offset", offset, Long.MAX_VALUE)));
        }

        private static long number(String field, String text, long max) {
            try {
                long value = Long.parseLong(text);
                if (value >= 0 && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidEventException(field, "must be a whole number from 0 to " + max);
        }
    }
}
