package dev.spinmatch.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One claimed row of spin.outbox; {@code body} is {@code payload} parsed, {@code headers} its string-valued header fields. */
record OutboxRow(long id, UUID eventId, String key, String payload, JsonNode body,
        Map<String, String> headers, Instant createdAt) {

    /** A text field of the event body, or null. */
    String field(String name) {
        JsonNode value = body.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }
}
