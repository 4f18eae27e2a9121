package dev.spinmatch.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spinmatch.events.EventFields;
import dev.spinmatch.events.InvalidEventException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Records the dead letters whose event id can be read in {@code spin.event_results} as rejected, with the dead
 * letter's reason, before they are published and the poll's offsets committed: the API answers
 * GET /v1/events/{eventId} from that table once the workers' offsets are past the event, so an event the worker
 * set aside must not read as applied. A record whose id cannot be read is only dead-lettered.
 */
final class DeadLetterResults {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TYPES = Set.of("join_queue", "leave_queue", "end_match");
    private final SpinStore store;
    private final WorkerMetrics metrics;

    DeadLetterResults(SpinStore store, WorkerMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    /** Records them; {@link BatchFailedException} (the poll is retried) when the database fails. */
    void record(List<DeadLetter> letters) {
        ArrayNode results = JSON.createArrayNode();
        letters.forEach(letter -> result(letter).ifPresent(results::add));
        if (results.isEmpty()) {
            return;
        }
        try {
            store.recordEventResults(results.toString());
        } catch (SQLException e) {
            metrics.batchFailed(DatabaseFailures.sqlState(e));
            throw new BatchFailedException("database failed recording dead letters", e);
        }
    }

    /** The {"event", "result"} object {@code spin._record_event_results} takes, when the event id is readable. */
    static Optional<ObjectNode> result(DeadLetter letter) {
        JsonNode event = readObject(letter.record().value());
        String eventId = readable(event, "eventId", true);
        if (eventId == null) {
            return Optional.empty();
        }
        ObjectNode what = JSON.createObjectNode();
        String type = event.path("type").asText(null);
        what.put("type", TYPES.contains(type) ? type : null);
        what.put("spinId", readable(event, "spinId", true));
        what.put("matchId", readable(event, "matchId", true));
        ObjectNode result = JSON.createObjectNode();
        result.put("event_id", eventId);
        result.put("user_id", readable(event, "userId", false));
        result.put("result", "rejected");
        result.put("detail", letter.field() + ": " + letter.reason());
        return Optional.of(JSON.createObjectNode().<ObjectNode>set("event", what).set("result", result));
    }

    private static JsonNode readObject(byte[] value) {
        try {
            JsonNode node = value == null ? null : JSON.readTree(value);
            return node != null && node.isObject() ? node : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** A field that meets the event contract's rule (a UUID, or a user id), else null. */
    private static String readable(JsonNode event, String field, boolean uuid) {
        JsonNode value = event.get(field);
        if (value == null || !value.isTextual()) {
            return null;
        }
        try {
            return uuid ? EventFields.uuid(field, value.asText()).toString() : EventFields.userId(value.asText());
        } catch (InvalidEventException e) {
            return null;
        }
    }
}
