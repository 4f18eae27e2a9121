package dev.spinmatch.events;

import java.time.Instant;
import java.util.UUID;

/** The user pressed spin: queue them in {@code pool}. Idempotent on {@code spinId}; while matched it means "next". */
public record JoinQueue(UUID eventId, String userId, UUID spinId, String pool, Instant occurredAt, String traceId)
        implements SpinRequest {
}
