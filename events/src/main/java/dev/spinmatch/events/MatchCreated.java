package dev.spinmatch.events;

import java.time.Instant;
import java.util.UUID;

/** One per participant: {@code userId} was paired with {@code partnerId}. */
public record MatchCreated(UUID eventId, String userId, UUID matchId, String partnerId, String pool, UUID spinId,
        Instant occurredAt, String traceId) implements MatchEvent {
}
