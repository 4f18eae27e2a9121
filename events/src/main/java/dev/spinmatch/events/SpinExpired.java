package dev.spinmatch.events;

import java.time.Instant;
import java.util.UUID;

/** Spin {@code spinId} waited longer than the spin timeout and was taken out of the queue. */
public record SpinExpired(UUID eventId, String userId, UUID spinId, String pool, Instant occurredAt, String traceId)
        implements MatchEvent {
}
