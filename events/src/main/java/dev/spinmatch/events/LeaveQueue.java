package dev.spinmatch.events;

import java.time.Instant;
import java.util.UUID;

/** The user cancelled spin {@code spinId}; a no-op once it is matched. */
public record LeaveQueue(UUID eventId, String userId, UUID spinId, Instant occurredAt, String traceId)
        implements SpinRequest {
}
