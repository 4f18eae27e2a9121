package dev.spinmatch.events;

import java.time.Instant;
import java.util.UUID;

/** A participant ended match {@code matchId}. */
public record EndMatch(UUID eventId, String userId, UUID matchId, Instant occurredAt, String traceId)
        implements SpinRequest {
}
