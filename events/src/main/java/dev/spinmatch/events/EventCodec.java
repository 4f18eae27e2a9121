package dev.spinmatch.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Set;
import java.util.UUID;

/**
 * The one JSON codec for every event, used by the API, the publisher, the workers and the tools.
 * Decoding is strict: an unknown type or field, a missing or malformed field, or another version is
 * an {@link InvalidEventException} naming the field. Thread-safe.
 */
public final class EventCodec {
    /** Strict reading: a duplicate key or anything after the object is malformed input. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> COMMON = Set.of("type", "v", "eventId", "userId", "occurredAt", "traceId");

    public byte[] encode(SpinRequest event) {
        ObjectNode json = header(event.type(), event.eventId(), event.userId(), event.occurredAt(), event.traceId());
        if (event instanceof JoinQueue join) {
            json.put("spinId", join.spinId().toString()).put("pool", join.pool());
        } else if (event instanceof LeaveQueue leave) {
            json.put("spinId", leave.spinId().toString());
        } else if (event instanceof EndMatch end) {
            json.put("matchId", end.matchId().toString());
        }
        return bytes(json);
    }

    public byte[] encode(MatchEvent event) {
        ObjectNode json = header(event.type(), event.eventId(), event.userId(), event.occurredAt(), event.traceId());
        if (event instanceof MatchCreated created) {
            json.put("matchId", created.matchId().toString()).put("partnerId", created.partnerId())
                    .put("pool", created.pool()).put("spinId", created.spinId().toString());
        } else if (event instanceof MatchEnded ended) {
            json.put("matchId", ended.matchId().toString()).put("partnerId", ended.partnerId())
                    .put("reason", ended.reason());
            if (ended.endedBy() != null) {
                json.put("endedBy", ended.endedBy());
            }
        } else if (event instanceof SpinExpired expired) {
            json.put("spinId", expired.spinId().toString()).put("pool", expired.pool());
        } else if (event instanceof SpinCancelled cancelled) {
            json.put("spinId", cancelled.spinId().toString()).put("pool", cancelled.pool());
        }
        return bytes(json);
    }

    public SpinRequest decodeRequest(byte[] value) {
        Reader r = new Reader(parse(value));
        switch (r.type()) {
            case JOIN_QUEUE:
                r.onlyFields("spinId", "pool");
                return new JoinQueue(r.eventId(), r.userId(), r.uuid("spinId"), EventFields.pool(r.optText("pool")),
                        r.occurredAt(), r.traceId());
            case LEAVE_QUEUE:
                r.onlyFields("spinId");
                return new LeaveQueue(r.eventId(), r.userId(), r.uuid("spinId"), r.occurredAt(), r.traceId());
            case END_MATCH:
                r.onlyFields("matchId");
                return new EndMatch(r.eventId(), r.userId(), r.uuid("matchId"), r.occurredAt(), r.traceId());
            default:
                throw new InvalidEventException("type", "'" + r.type().wireName() + "' is not a request event");
        }
    }

    public MatchEvent decodeMatchEvent(byte[] value) {
        Reader r = new Reader(parse(value));
        switch (r.type()) {
            case MATCH_CREATED:
                r.onlyFields("matchId", "partnerId", "pool", "spinId");
                return new MatchCreated(r.eventId(), r.userId(), r.uuid("matchId"),
                        EventFields.userId(r.text("partnerId")), r.text("pool"), r.uuid("spinId"), r.occurredAt(),
                        r.traceId());
            case MATCH_ENDED:
                r.onlyFields("matchId", "partnerId", "reason", "endedBy");
                return new MatchEnded(r.eventId(), r.userId(), r.uuid("matchId"), EventFields.userId(r.text("partnerId")),
                        r.text("reason"), r.optText("endedBy"), r.occurredAt(), r.traceId());
            case SPIN_EXPIRED:
                r.onlyFields("spinId", "pool");
                return new SpinExpired(r.eventId(), r.userId(), r.uuid("spinId"), r.text("pool"), r.occurredAt(),
                        r.traceId());
            case SPIN_CANCELLED:
                r.onlyFields("spinId", "pool");
                return new SpinCancelled(r.eventId(), r.userId(), r.uuid("spinId"), r.text("pool"), r.occurredAt(),
                        r.traceId());
            default:
                throw new InvalidEventException("type", "'" + r.type().wireName() + "' is not a match event");
        }
    }

    private static ObjectNode header(String type, UUID eventId, String userId, Instant occurredAt, String traceId) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("type", type).put("v", EventFields.VERSION).put("eventId", eventId.toString())
                .put("userId", userId).put("occurredAt", occurredAt.toString());
        if (traceId != null) {
            json.put("traceId", traceId);
        }
        return json;
    }

    private static byte[] bytes(ObjectNode json) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(byte[] value) {
        return parseObject(value, "value");
    }

    /**
     * Parses {@code bytes} as one JSON object, or throws an {@link InvalidEventException} naming
     * {@code field}: the same words for a Kafka record value and an HTTP request body.
     */
    public static JsonNode parseObject(byte[] bytes, String field) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidEventException(field, "is empty");
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new InvalidEventException(field, "is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(field, "is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new InvalidEventException(field, "cannot be read (" + e.getMessage() + ")");
        }
    }

    /**
     * The string value of {@code field} in a JSON object, or null when absent or JSON null; any other
     * type is an {@link InvalidEventException} naming the field (Kafka values and HTTP bodies alike).
     */
    public static String optionalText(JsonNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidEventException(field, "must be a string");
        }
        return node.textValue();
    }

    /** Reads fields off one JSON object, naming the field in every error. */
    private static final class Reader {
        private final JsonNode json;

        Reader(JsonNode json) {
            this.json = json;
            JsonNode version = json.get("v");
            if (version == null || !version.isInt() || version.intValue() != EventFields.VERSION) {
                throw new InvalidEventException("v", "must be " + EventFields.VERSION);
            }
        }

        EventType type() {
            String name = text("type");
            return EventType.fromWireName(name)
                    .orElseThrow(() -> new InvalidEventException("type", "unknown event type '" + name + "'"));
        }

        void onlyFields(String... specific) {
            Set<String> allowed = Set.of(specific);
            for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!COMMON.contains(name) && !allowed.contains(name)) {
                    throw new InvalidEventException(name, "is not a field of " + text("type"));
                }
            }
        }

        UUID eventId() {
            return uuid("eventId");
        }

        String userId() {
            return EventFields.userId(optText("userId"));
        }

        String traceId() {
            return EventFields.traceId(optText("traceId"));
        }

        Instant occurredAt() {
            return EventFields.occurredAt(text("occurredAt"));
        }

        UUID uuid(String field) {
            return EventFields.uuid(field, text(field));
        }

        String text(String field) {
            String text = optText(field);
            if (text == null || text.isEmpty()) {
                throw new InvalidEventException(field, "is required");
            }
            return text;
        }

        String optText(String field) {
            return optionalText(json, field);
        }
    }
}
