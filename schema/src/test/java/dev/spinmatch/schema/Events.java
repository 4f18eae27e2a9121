package dev.spinmatch.schema;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** Request events in the JSON contract shape, for apply_batch. */
final class Events {
    private Events() {
    }

    static String join(String user, String pool, UUID spin) {
        return "{\"type\":\"join_queue\",\"v\":1,\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + user
                + "\",\"spinId\":\"" + spin + "\",\"pool\":\"" + pool + "\",\"traceId\":\"t-" + user
                + "\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}";
    }

    static String leave(String user, UUID spin) {
        return "{\"type\":\"leave_queue\",\"v\":1,\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + user
                + "\",\"spinId\":\"" + spin + "\"}";
    }

    static String end(String user, Object match) {
        return "{\"type\":\"end_match\",\"v\":1,\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + user
                + "\",\"matchId\":\"" + match + "\"}";
    }

    static String array(List<String> events) {
        return events.stream().collect(Collectors.joining(",", "[", "]"));
    }
}
