package dev.spinmatch.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spinmatch.events.EventCodec;
import dev.spinmatch.events.InvalidEventException;
import java.util.Iterator;
import java.util.Set;

/** JSON in and out of the API. Request bodies are read by the event codec's strict parser; every error names the field. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON object body with only {@code allowed} fields; an empty body is an empty object when {@code optional}. */
    static Body object(byte[] body, boolean optional, Set<String> allowed) {
        if (body.length == 0) {
            if (optional) {
                return new Body(MAPPER.createObjectNode());
            }
            throw new InvalidEventException("body", "is required (a JSON object)");
        }
        JsonNode json = EventCodec.parseObject(body, "body");
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidEventException(name, "is not a known field (allowed: " + String.join(", ", allowed) + ")");
            }
        }
        return new Body(json);
    }

    /** The fields of one request body. */
    static final class Body {
        private final JsonNode json;

        private Body(JsonNode json) {
            this.json = json;
        }

        /** The string value of {@code field}, or null when absent or JSON null. */
        String text(String field) {
            return EventCodec.optionalText(json, field);
        }
    }
}
