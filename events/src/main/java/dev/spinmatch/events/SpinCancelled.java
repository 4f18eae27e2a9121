package dev.spinmatch.events;

import java.time.Instant;
import java.util.UUID;

/** Spin {@code spinId} was cancelled by the user before it was matched. */
public record SpinCancelled(UUID eventId, String userId, UUID spinId, String pool, Instant occurredAt,
        String traceId) implements MatchEvent {
}
